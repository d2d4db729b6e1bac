"""Until the first-run set-up is done, an admin's pages lead to it."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from salesops.organisation.selectors import setup_needed

Handler = Callable[[HttpRequest], HttpResponse]


class SetupRequiredMiddleware:
    """Until the first-run set-up is done, an admin's pages lead to it (the manual's 新组建团队)."""

    EXEMPT_PREFIXES = (
        "/setup/", "/static/", "/api/", "/admin/", "/account/", "/i18n/", "/calendar/", "/health", "/favicon.ico",
    )

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.is_admin
            and request.method == "GET"
            and not request.path.startswith(self.EXEMPT_PREFIXES)
            and setup_needed()
        ):
            return redirect("setup")
        return self.get_response(request)
