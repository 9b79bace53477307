from tests.casework.conftest import family  # noqa: F401 (the route probe's world starts from it)
