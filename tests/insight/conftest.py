"""The insight tests read the one test city (tests/city.py): `small_city` and `linked_city`."""
