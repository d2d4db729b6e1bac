"""Requests whose user is a logged-in person, for views behind ``login_required`` or ``IsAuthenticated``.

Annotating a view's request with these types lets it pass ``by=request.user`` to a service typed
``by: User`` without a cast: the login check has already turned the anonymous case away.
"""

from __future__ import annotations

from django.http import HttpRequest
from rest_framework.request import Request

from salesops.accounts.models import User


class AuthedHttpRequest(HttpRequest):
    """A page request after ``login_required``."""

    user: User


class AuthedRequest(Request):
    """An API request after ``IsAuthenticated`` (every ``ScopedModelViewSet`` requires it)."""

    user: User
