"""Governance: the one access decision (`access.decide`) and what it rests on: working
relationships (allocations), purposes, the dataset register (lawful basis and permitted uses),
recorded reasons for access ("break glass") and their review, pseudonyms, the append-only,
hash-chained audit log, and sign-in throttling.

It sits below every app that shows people's records and imports none of them; the data
protection officer's pages are in `upstream.oversight`."""
