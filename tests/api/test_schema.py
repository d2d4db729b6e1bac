"""Schema fuzzing: every operation of /api/schema/ is called with generated input as an admin.

What must hold for every call (API.md): never a 5xx, a 2xx answer conforms to the documented response
schema, status and content type; every 4xx answer is one of the statuses API.md names and carries the
error shape ``{"error": {"code", "message", "fields"}}``. Documented error statuses are held to the
schema too (status code conformance applies as soon as an operation documents any 4xx).

The schema is loaded from the WSGI application itself (no server); requests run inside the test's
database transaction, so nothing generated stays behind.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from knox.models import AuthToken
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from salesops.accounts.models import Role, User
from salesops.testing.actors import Actors
from salesops.testing.factories import UserFactory

pytestmark = pytest.mark.schema

# API.md "Errors": the statuses an error may have (plus 401/405/429 from auth, methods and throttling).
ERROR_STATUSES = {400, 401, 403, 404, 405, 409, 413, 415, 429}


@pytest.fixture
def api_admin(actors: Actors) -> User:
    """An admin (each call gets an API token), next to the named actors (so ids in paths often hit real rows)."""
    return UserFactory.create(username="schema_admin", display_name="接口管理员", role=Role.ADMIN, team=None)


@pytest.fixture
def api_schema(api_admin: User, actors: Actors) -> Iterator[Any]:
    from salesops.wsgi import application

    # The WSGI handler closes "old" connections around each request; inside the test's transaction that
    # would end it. Django's own test client switches this off the same way while it calls the app.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
        schema.config.generation.update(with_security_parameters=False)
        # Explicit examples and random (positive and negative) input. The exhaustive coverage phase would
        # make about four times as many calls again and take minutes, more than this suite can spend.
        schema.config.phases.update(phases=["examples", "fuzzing"])
        known_ids = sorted({*User.objects.values_list("pk", flat=True), actors.team_a.pk, actors.team_c.pk})

        @schema.hook
        def flatmap_path_parameters(context: Any, path_parameters: dict[str, Any]) -> st.SearchStrategy[Any]:
            """Half of the generated ids are real rows, so detail operations get past 404."""
            if not path_parameters or not isinstance(path_parameters.get("id"), int):
                return st.just(path_parameters)
            return st.one_of(
                st.just(path_parameters), st.sampled_from(known_ids).map(lambda pk: {**path_parameters, "id": pk})
            )

        yield schema
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def documents_errors(case: Any) -> bool:
    return any(str(code).startswith("4") or str(code) == "default" for code in case.operation.responses.status_codes)


def status_where_sensible(ctx: Any, response: Any, case: Any) -> bool | None:
    """Success statuses must be documented; error statuses only once the operation documents errors."""
    if response.status_code < 400 or documents_errors(case):
        return status_code_conformance(ctx, response, case)
    return None


def error_shape(ctx: Any, response: Any, case: Any) -> bool | None:
    """Every 4xx is a status API.md names; every error answer (5xx too) has the error shape."""
    if response.status_code < 400:
        return None
    if response.status_code < 500 and response.status_code not in ERROR_STATUSES:
        raise AssertionError(f"{response.status_code} is not an error status of API.md: {response.text[:300]}")
    try:
        body = response.json()
    except ValueError:
        raise AssertionError(f"error answer is not JSON: {response.text[:300]}") from None
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict) or set(body) != {"error"}:
        raise AssertionError(f"error answer without the error object: {response.text[:300]}")
    if not (isinstance(error.get("code"), str) and isinstance(error.get("message"), str) and error["message"]):
        raise AssertionError(f"error object without code or message: {error}")
    if not isinstance(error.get("fields"), dict):
        raise AssertionError(f"error object without a fields object: {error}")
    return None


CHECKS = [not_a_server_error, status_where_sensible, content_type_conformance, response_schema_conformance, error_shape]

api = schemathesis.pytest.from_fixture("api_schema")


@api.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.function_scoped_fixture],
    derandomize=True,
)
def test_every_operation_as_admin(case: Any, api_admin: User) -> None:
    # Generated input may demote or deactivate any user, the caller included; each call starts as admin.
    User.objects.filter(pk=api_admin.pk).update(role=Role.ADMIN, is_active=True, team=None, is_staff=True)
    token = AuthToken.objects.create(user=api_admin)[1]  # a token of its own: a call may revoke tokens
    case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)
