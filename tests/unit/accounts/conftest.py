import pytest

from tests.unit.accounts.kit import Accounts


@pytest.fixture
def accounts() -> Accounts:
    return Accounts()
