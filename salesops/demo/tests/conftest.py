"""The demo and generator commands print in the active language; these tests read their English text."""

from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_command_output() -> Iterator[None]:
    with translation.override("en"):
        yield
