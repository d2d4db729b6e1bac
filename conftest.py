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
    """A database that several threads can write to at once, each on its own connection.

    SQLite's in-memory test database (the default SQLite test run) is one shared-cache database: there a
    second writer gets "database table is locked" at once instead of waiting, because SQLite's busy
    timeout does not cover shared-cache table locks. That is a property of the test database, not of the
    file database the application uses (WAL, BEGIN IMMEDIATE, busy timeout: writers queue), so the race
    tests run on PostgreSQL and on a SQLite file (``DB_TEST_NAME=/path/to/file.sqlite3``) and skip only
    on the in-memory one.
    """
    if connection.vendor == "sqlite" and connection.is_in_memory_db():  # type: ignore[attr-defined]
        pytest.skip("SQLite's in-memory shared-cache test database cannot queue concurrent writers.")
