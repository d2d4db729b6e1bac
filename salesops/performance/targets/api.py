"""/api/targets/ (API.md): ``{scope, period, metric, value}`` per person, team or the organisation for a
month, ISO week or quarter, filtered by ``scope``, ``period``, ``metric`` and ``period_kind``.

POST sets a target (creates it, or changes the one set: send the ``version`` read to have a stale edit
refused); PATCH changes a value; DELETE clears it (kept with its history). Rows are read through
``Target.objects.visible_to`` (R1); setting one needs to manage its subject (``services.resolve_subject``).
A value is a decimal string for an amount (money, API.md), a number for a count or a rate.
"""

from __future__ import annotations

from typing import Any, cast

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils.translation import pgettext
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from salesops.accounts.requests import AuthedRequest
from salesops.core.api import ScopedModelViewSet
from salesops.core.fields import VERSION_HELP, IdField, KnownFieldsOnly, version_if_sent
from salesops.customers.excel.api import EXPORT_SCHEMA, IMPORT_SCHEMA, JsonFirst, export_response, import_response
from salesops.performance import metrics as registry
from salesops.performance.engine import Subject
from salesops.performance.metrics import Unit
from salesops.performance.periods import Period
from salesops.performance.targets import selectors, services, sheet
from salesops.performance.targets.filters import TargetFilterSet
from salesops.performance.targets.models import Target


def shown_value(metric: str, value: Any) -> Any:
    """A target as the API writes it: money as a decimal string, a count as an integer, a rate as a number."""
    known = registry.get(metric).unit if metric in registry.names() else Unit.AMOUNT
    if known == Unit.COUNT:
        return int(value)
    if known == Unit.RATE:
        return float(value)
    return f"{value:.2f}"


class TargetSerializer(serializers.ModelSerializer[Target]):
    scope = serializers.CharField(source="subject")
    value = serializers.SerializerMethodField(method_name="value_shown")
    set_by = serializers.CharField(source="set_by.display_name", default=None)

    class Meta:
        model = Target
        fields = ["id", "scope", "period", "metric", "value", "version", "set_by", "updated_at"]
        read_only_fields = fields

    def value_shown(self, target: Target) -> Any:
        return shown_value(target.metric, target.value)


class TargetSetSerializer(KnownFieldsOnly, serializers.Serializer[Any]):
    scope = serializers.CharField(max_length=32, help_text="user:<id>, team:<id> or org")
    period = serializers.CharField(max_length=10, help_text="2026-11, 2026-W48 or 2026-Q4")
    metric = serializers.CharField(max_length=40)
    value = serializers.CharField(max_length=24, help_text="A number of at least 0 (a rate: 0.3 for 30 %).")
    version = IdField(required=False, help_text=VERSION_HELP)

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("value"), int | float) and not isinstance(
                data.get("value"), bool):
            data = {**data, "value": str(data["value"])}
        return super().to_internal_value(data)

    def validate_scope(self, text: str) -> Subject:
        return Subject.parse(text)

    def validate_period(self, text: str) -> Period:
        return Period.parse(text)


class TargetValueSerializer(KnownFieldsOnly, serializers.Serializer[Any]):
    value = serializers.CharField(max_length=24)
    version = IdField(required=False, help_text=VERSION_HELP)

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("value"), int | float) and not isinstance(
                data.get("value"), bool):
            data = {**data, "value": str(data["value"])}
        return super().to_internal_value(data)


class TargetViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedModelViewSet):
    """Targets the caller sees (R1); set, change and clear them where the caller manages the subject."""

    model = Target
    serializer_class = TargetSerializer
    filterset_class = TargetFilterSet

    def get_queryset(self) -> QuerySet[Target]:
        user = cast(AuthedRequest, self.request).user
        return selectors.targets_of(user=user).select_related("set_by").order_by(
            "period", "subject", "metric", "id")

    @extend_schema(operation_id="targets_export_retrieve", **EXPORT_SCHEMA)
    @action(detail=False, methods=["get"])
    def export(self, request: AuthedRequest) -> StreamingHttpResponse:
        """The targets the caller sees with the list's filters, in the import sheet's columns (xlsx)."""
        return export_response(request, sheet.targets_export, lambda: pgettext("file name", "targets"))

    @extend_schema(operation_id="targets_import_create", **IMPORT_SCHEMA)
    @action(detail=False, methods=["post"], url_path="import", url_name="import", parser_classes=[MultiPartParser],
            content_negotiation_class=JsonFirst)
    def import_sheet(self, request: AuthedRequest) -> Response:
        """Check (``?dry_run=1``) or import a target sheet: every row set, or none (400 with the report)."""
        return import_response(request, sheet.targets_import)

    @extend_schema(request=TargetSetSerializer, responses={201: TargetSerializer, 200: TargetSerializer})
    def create(self, request: AuthedRequest) -> Response:
        data = TargetSetSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        target, created = services.target_set(
            by=request.user, subject=fields["scope"], period=fields["period"], metric=fields["metric"],
            value=fields["value"], version=fields.get("version"),
        )
        return Response(TargetSerializer(target).data, status=status.HTTP_201_CREATED if created else 200)

    @extend_schema(request=TargetValueSerializer, responses=TargetSerializer)
    def partial_update(self, request: AuthedRequest, pk: str | None = None) -> Response:
        target = self.get_object()
        data = TargetValueSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        changed = services.target_update(by=request.user, target=target, value=fields["value"],
                                         version=version_if_sent(fields))
        return Response(TargetSerializer(changed).data)

    @extend_schema(responses={204: None})
    def destroy(self, request: AuthedRequest, pk: str | None = None) -> Response:
        target = self.get_object()
        services.target_clear(by=request.user, target=target)
        return Response(status=status.HTTP_204_NO_CONTENT)
