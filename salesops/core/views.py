"""The shell's own pages: health, and error pages (JSON under /api/, HTML elsewhere)."""

from __future__ import annotations

from django.core.exceptions import SuspiciousOperation
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.translation import gettext as _

from salesops.core import errors
from salesops.core.api import error_body, refused_request


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on their own: send them to the site's icon (a static file)."""
    response = redirect(static("img/favicon.svg"))
    response["Cache-Control"] = "public, max-age=86400"
    return response


def health(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def _error(request: HttpRequest, status: int, code: str, message: str, title: str = "") -> HttpResponse:
    """The one shape of every error answer: the API's JSON error body, or the friendly page in the user's
    language (the menu for a logged-in person, a link back to today; never a list of addresses)."""
    if request.path.startswith("/api/"):
        return JsonResponse(error_body(code, message), status=status)
    context = {"status": status, "message": message, "title": title}
    return render(request, "core/error.html", context, status=status)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return _error(request, 404, "not_found", _("Not found."))
    message = _("There is no such page here. Check the address, or start again from today's page.")
    return _error(request, 404, "not_found", message)


def server_error(request: HttpRequest) -> HttpResponse:
    """500: rendered without the request's context (no database, no session), which may be what failed."""
    message = _("Something went wrong on our side; the error has been logged.")
    if request.path.startswith("/api/"):
        return JsonResponse(error_body("server_error", message), status=500)
    return HttpResponse(render_to_string("core/error.html", {"status": 500, "message": message}), status=500)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """403; a service's refusal (``core.errors.PermissionDenied``) says why."""
    reason = str(exception) if isinstance(exception, errors.PermissionDenied) else ""
    return _error(request, 403, "permission_denied", reason or _("You do not have permission to do this."))


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """400, or 413 for a body over the size limit: Django hands a request it refuses to read here
    (``SuspiciousOperation``: too big, too many fields, an unknown host)."""
    if isinstance(exception, SuspiciousOperation):
        return _error(request, *refused_request(exception))
    return _error(request, 400, "bad_request", _("The request could not be understood."))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without a valid CSRF token (settings.CSRF_FAILURE_VIEW): mostly a page left open too long."""
    message = _(
        "The form could not be sent safely, usually because the page was open for a long time. "
        "Go back, reload the page and send the form again; if it happens again, allow cookies for this site."
    )
    return _error(request, 403, "csrf_failed", message, title=_("The form has expired"))
