"""Requests whose user is a logged-in person, for views behind ``login_required`` or ``IsAuthenticated``.

Annotating a view's request with these types lets it pass ``by=request.user`` to a service typed
``by: User`` without a cast: the login check has already turned the anonymous case away.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from rest_framework.request import Request

from salesops.accounts.models import User
from salesops.core.errors import PermissionDenied


class AuthedHttpRequest(HttpRequest):
    """A page request after ``login_required``."""

    user: User


class AuthedRequest(Request):
    """An API request after ``IsAuthenticated`` (every ``ScopedModelViewSet`` requires it)."""

    user: User


def person_of(request: HttpRequest | Request) -> User:
    """The logged-in person of a request whose method signature cannot say so (a DRF mixin's or the
    admin's override): they run behind the login check, so anyone else is refused, never served."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied(_("Log in first."))
    return user
