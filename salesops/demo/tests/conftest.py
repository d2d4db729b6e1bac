"""The demo and generator tests cover the people and the registry itself: the steps that features register
(customers, follow-ups, ...) are switched off here and tested in those features' own modules. The commands
print in the active language; these tests read their English text."""

from collections.abc import Iterator

import pytest
from django.utils import translation

from salesops.demo import registry


@pytest.fixture(autouse=True)
def _people_only(monkeypatch: pytest.MonkeyPatch) -> None:
    registry.discover()
    monkeypatch.setattr(registry, "_demo_steps", {})
    monkeypatch.setattr(registry, "_generator_steps", {})


@pytest.fixture(autouse=True)
def _english_command_output() -> Iterator[None]:
    with translation.override("en"):
        yield
