"""Cross-cutting request handling: CSP header, the user's stored language, and the pages' answer to a
domain error a view lets through."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.handlers.exception import response_for_exception
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation

from salesops.core import errors

Handler = Callable[[HttpRequest], HttpResponse]


class ContentSecurityPolicyMiddleware:
    """A strict Content-Security-Policy on every response (no inline script or style, same origin)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response


class UserLanguageMiddleware:
    """After login, pages speak the language stored on the user (zh-Hans first, English second)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        response = self.get_response(request)
        if user is not None and user.is_authenticated:
            response.headers.setdefault("Content-Language", user.language)
        return response


class DomainErrorMiddleware:
    """A domain error (``core.errors``) that a page view does not handle becomes the friendly page of its
    status: ``NotFound`` the 404 page (which says no more than "not found", R1), ``PermissionDenied`` the
    403 page with the service's reason, an unhandled ``Conflict`` or ``Invalid`` a 409 or 400 page with
    its message, never a 500. The API maps the same errors in its own exception handler."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, errors.NotFound):
            return response_for_exception(request, Http404(exception.message))
        if isinstance(exception, errors.PermissionDenied):
            return response_for_exception(request, exception)
        if isinstance(exception, errors.Conflict | errors.Invalid):
            status = 409 if isinstance(exception, errors.Conflict) else 400
            return render(request, "core/error.html", {"status": status, "message": str(exception)}, status=status)
        return None
