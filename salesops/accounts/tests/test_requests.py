"""A request's person for the services' ``by``: the logged-in user, or a refusal, never the anonymous user."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from salesops.accounts.requests import person_of
from salesops.core.errors import PermissionDenied


def test_the_person_of_a_logged_in_request_is_the_user(actors):
    request = RequestFactory().get("/")
    request.user = actors.rep_a1
    assert person_of(request) is actors.rep_a1


def test_an_anonymous_request_has_no_person(db):
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with pytest.raises(PermissionDenied):
        person_of(request)
