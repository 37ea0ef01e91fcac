import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_messages():
    """Service messages are matched in English (pages still render in each request's language)."""
    with translation.override("en"):
        yield
