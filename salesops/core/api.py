"""API plumbing shared by every app: the error shape of API.md, pagination, scoped viewsets, auth."""

from __future__ import annotations

import logging
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent, TooManyFilesSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, permissions, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter, DynamicRoute, Route
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from salesops.core import errors

logger = logging.getLogger(__name__)


class LockedOut(exceptions.APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "locked_out"


def error_body(code: str, message: str, fields: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "fields": fields or {}, **extra}}


def _first_code(codes: Any, fallback: str) -> str:
    if isinstance(codes, str):
        return codes
    if isinstance(codes, list) and codes:
        return _first_code(codes[0], fallback)
    return fallback


def _domain_response(exc: errors.DomainError) -> Response | None:
    """The API answer to a domain error a service raised (``core.errors``); None for ``Invalid``, which
    goes the way of every validation error, except a file too large (413) or of a wrong kind (415)."""
    if isinstance(exc, errors.Conflict):
        return Response(error_body(exc.code, exc.message, **exc.extra), status=status.HTTP_409_CONFLICT)
    if isinstance(exc, errors.NotFound):
        # One answer for "no such row" and "outside your scope" (R1): the service's words stay unsaid.
        return Response(error_body(exc.code, str(exceptions.NotFound.default_detail)), status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, errors.PermissionDenied):
        message = exc.message or str(exceptions.PermissionDenied.default_detail)
        return Response(error_body(exc.code, message), status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, errors.TooLarge | errors.UnsupportedFile):
        code = 413 if isinstance(exc, errors.TooLarge) else 415
        return Response(error_body(exc.code, str(exc), exc.fields), status=code)
    return None


def refused_request(exc: SuspiciousOperation) -> tuple[int, str, str]:
    """Status, code and message for a request Django refuses to read: a body over
    ``DATA_UPLOAD_MAX_MEMORY_SIZE`` is 413 ``too_large``; more fields or files than allowed 400
    ``too_many_fields`` / ``too_many_files``; any other suspicious request 400 ``bad_request``. The API's
    exception handler and the pages' 400 handler (``core.views.bad_request``) both answer with this."""
    if isinstance(exc, RequestDataTooBig):
        size = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024)
        return 413, "too_large", _("The request is larger than %(size)g MB.") % {"size": size}
    if isinstance(exc, TooManyFieldsSent):
        count = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        return 400, "too_many_fields", _("The request has more than %(count)d fields.") % {"count": count}
    if isinstance(exc, TooManyFilesSent):
        count = settings.DATA_UPLOAD_MAX_NUMBER_FILES
        return 400, "too_many_files", _("The request has more than %(count)d files.") % {"count": count}
    return 400, "bad_request", _("The request could not be understood.")


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    """Turn every API error, expected or not, into ``{"error": {code, message, fields}}``."""
    if isinstance(exc, SuspiciousOperation):
        status_code, code, message = refused_request(exc)
        return Response(error_body(code, message), status=status_code)
    if isinstance(exc, errors.DomainError):
        answer = _domain_response(exc)
        if answer is not None:
            set_rollback()
            return answer
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        logger.exception("Unhandled API error", exc_info=exc)
        return Response(
            error_body("server_error", _("Something went wrong on our side; the error has been logged.")),
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    assert isinstance(exc, exceptions.APIException)
    if isinstance(exc, exceptions.ValidationError):
        data = exc.detail
        fields: dict[str, Any] = {}
        messages: list[str] = []
        if isinstance(data, dict):
            for key, value in data.items():
                if key in ("non_field_errors", "__all__"):
                    messages.extend(str(v) for v in (value if isinstance(value, list) else [value]))
                else:
                    fields[key] = value
        else:
            messages.extend(str(v) for v in (data if isinstance(data, list) else [data]))
        message = " ".join(messages) or _("Some fields are not valid.")
        response.data = error_body("invalid", message, fields)
    else:
        code = _first_code(exc.get_codes(), exc.default_code)
        extra = getattr(exc, "extra", {})
        response.data = error_body(code, str(exc.detail), **extra)
    return response


class RulePermission(permissions.BasePermission):
    """Checks the django-rules permission named for the view's action in ``action_rules`` (403)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        rule = getattr(view, "action_rules", {}).get(getattr(view, "action", None) or (request.method or "").lower())
        return rule is None or request.user.has_perm(rule)


#: A row id in a path: at most 18 digits, so a number past the id range is simply not found.
ID_PATTERN = r"[0-9]{1,18}"


class ScopedModelViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Base of scoped resources: reads rows only through ``visible_to(request.user)`` (R1), so anything
    outside the scope is a 404; subclasses mix in the list/retrieve/... they offer."""

    model: ClassVar[type[Model]]
    lookup_value_regex = ID_PATTERN
    action_rules: ClassVar[dict[str, str]] = {}
    permission_classes = [permissions.IsAuthenticated, RulePermission]

    def base_queryset(self) -> QuerySet[Any]:
        return self.model._default_manager.all()

    def get_queryset(self) -> QuerySet[Any]:
        return self.base_queryset().visible_to(self.request.user)  # type: ignore[attr-defined]


class Router(DefaultRouter):
    """The API's one router: every app's ViewSets register on it (``salesops/urls.py``), verbs are
    ``@action``s. A ViewSet with ``singleton = True`` is one object at its prefix (``/api/me/``,
    ``/api/settings/rules/``): GET retrieve, PUT/PATCH update, its actions below it."""

    include_root_view = False
    include_format_suffixes = False  # ``?format=`` and ``.json`` URLs are not part of the API
    singleton_routes: ClassVar[list[Route | DynamicRoute]] = [
        Route(
            url=r"^{prefix}{trailing_slash}$",
            mapping={"get": "retrieve", "put": "update", "patch": "partial_update", "delete": "destroy"},
            name="{basename}", detail=True, initkwargs={"suffix": "Instance"},
        ),
        DynamicRoute(url=r"^{prefix}/{url_path}{trailing_slash}$", name="{basename}-{url_name}", detail=True,
                     initkwargs={}),
    ]

    def get_routes(self, viewset: Any) -> list[Route]:
        if not getattr(viewset, "singleton", False):
            return super().get_routes(viewset)  # type: ignore[no-any-return]
        routes = self.routes
        self.routes = self.singleton_routes
        try:
            return super().get_routes(viewset)  # type: ignore[no-any-return]
        finally:
            self.routes = routes


class ChangeSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """One change of a record's history (``core.history.Change``, R12) as every history endpoint answers
    it: ``at`` in the organisation's time with its offset, like every other time of the API."""

    at = serializers.DateTimeField()
    by = serializers.CharField()
    by_id = serializers.IntegerField(allow_null=True)
    field = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a declared field, not Field.label
    old = serializers.CharField()
    new = serializers.CharField()
    reason = serializers.CharField()
