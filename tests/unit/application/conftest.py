import pytest

from tests.unit.application.kit import Housing


@pytest.fixture
def housing() -> Housing:
    return Housing()
