"""Shared fixtures: the named actors (R1), API clients logged in as any of them, a finished set-up."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from salesops.accounts.models import User
from salesops.organisation.models import Organisation
from salesops.testing.actors import Actors, make_actors


@pytest.fixture
def org(db: None) -> Organisation:
    """An organisation whose first-run set-up is done (so pages do not redirect to /setup/)."""
    organisation = Organisation.load()
    organisation.name = "星辰科技有限公司"
    organisation.setup_completed_at = timezone.now()
    organisation.save()
    return organisation


@pytest.fixture
def actors(org: Organisation) -> Actors:
    return make_actors()


@pytest.fixture
def api_as() -> Callable[[User | None], APIClient]:
    """``api_as(user)``: an API client authenticated as that user (or anonymous with None)."""

    def make(user: User | None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user=user)
        return client

    return make


@pytest.fixture
def concurrent_db(transactional_db: None) -> None:
    """A database that several threads can write to at once, each on its own connection: PostgreSQL, or
    the SQLite file the test settings give each test process. SQLite's in-memory test database (one
    shared cache) cannot queue writers, a second one fails at once on a table lock, so the race tests
    refuse it rather than pass or skip there."""
    assert not (connection.vendor == "sqlite" and connection.is_in_memory_db()), (  # type: ignore[attr-defined]
        "The race tests need a database that queues writers: a SQLite file (settings), not memory."
    )
