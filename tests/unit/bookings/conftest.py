import pytest

from tests.unit.bookings.kit import Campus


@pytest.fixture
def campus() -> Campus:
    return Campus()
