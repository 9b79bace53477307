from tests.casework.conftest import family, sign_in  # noqa: F401
