"""``/api/kpis/?scope=&period=&metrics=`` (API.md, R21-R24): the KPI report of a person, a team or the
organisation (``kpis.kpi_report``), each metric's definition and attribution in the schema.

``scope`` defaults to the caller (``user:<id>``), ``period`` to the current month, ``metrics`` (comma
separated API words) to ``kpis.KPI_METRICS``. A malformed scope, period or metric is a 400 under its
field; a person or team outside the caller's scope a 404 (R1), the organisation for a non-admin a 403.
"""

from __future__ import annotations

from typing import Any

from django.utils import translation
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from salesops.accounts.requests import AuthedRequest
from salesops.core.clock import local_today
from salesops.core.schema import error_responses
from salesops.performance import metrics as registry
from salesops.performance.kpis import KPI_METRICS, kpi_report
from salesops.performance.metrics import Metric, Unit
from salesops.performance.periods import Period, PeriodKind, current
from salesops.performance.selectors import subject_for

#: The most metric words one request may name (every registered metric fits).
MAX_METRICS = 40


def _value_field(metric: Metric, what: str, *, required: bool = True) -> serializers.Field:
    """A figure of ``metric`` as the JSON carries it: money a decimal string, a count an integer, a rate a
    ratio (0.8 for 80 %); null where it has none."""
    if metric.unit == Unit.AMOUNT:
        return serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True, help_text=what,
                                        required=required)
    if metric.unit == Unit.COUNT:
        return serializers.IntegerField(allow_null=True, help_text=what, required=required)
    return serializers.FloatField(allow_null=True, help_text=what, required=required)


def _described(metric: Metric) -> str:
    """The metric's definition and attribution (R21) in the schema's language, English."""
    with translation.override("en"):
        return f"{metric.label}: {metric.definition} Attribution: {metric.attribution}"


def _definitions() -> str:
    with translation.override("en"):
        return "; ".join(f"{metric.name}: {metric.definition}" for metric in registry.registered())


def _metric_schema(metric: Metric) -> serializers.Serializer[Any]:
    change = ("relative change against the previous period (0.15 = +15 %)" if metric.unit != Unit.RATE
              else "difference in points against the previous period (-0.05 = -5 pp)")
    return inline_serializer(
        f"Kpi_{metric.name}",
        {
            "actual": _value_field(metric, "the period's figure"),
            "target": _value_field(metric, "the target of the period; null: no target"),
            "achievement": serializers.FloatField(allow_null=True, help_text="actual / target (R22); null: no target"),
            "previous": _value_field(metric, "the previous period's figure"),
            "change": serializers.FloatField(allow_null=True, help_text=f"R24: {change}; null: none"),
        },
        required=False, help_text=_described(metric),
    )


def _member_metrics() -> serializers.Serializer[Any]:
    return inline_serializer(
        "KpiMemberMetrics",
        {metric.name: _value_field(metric, _described(metric), required=False) for metric in registry.registered()},
        required=False,
    )


def _kpi_schema() -> serializers.Serializer[Any]:
    return inline_serializer(
        "Kpis",
        {
            "scope": serializers.CharField(),
            "period": serializers.CharField(),
            "start": serializers.DateField(),
            "end": serializers.DateField(),
            "today": serializers.DateField(),
            "metrics": inline_serializer(
                "KpiMetrics", {metric.name: _metric_schema(metric) for metric in registry.registered()},
                help_text="The metrics asked for (by default: " + ", ".join(KPI_METRICS) + ").",
            ),
            "members": inline_serializer(
                "KpiMember",
                {"user": serializers.IntegerField(), "display_name": serializers.CharField(),
                 "team": serializers.IntegerField(allow_null=True), "metrics": _member_metrics()},
                many=True,
            ),
            "anomalies": inline_serializer(
                "KpiAnomaly",
                {
                    "user": serializers.IntegerField(), "display_name": serializers.CharField(),
                    "metric": serializers.CharField(),
                    "value": serializers.JSONField(help_text="the member's figure (money as a decimal string)"),
                    "average": serializers.JSONField(help_text="the average of the members of their team"),
                    "gap": serializers.FloatField(help_text="(value - average) / average: -0.25 is 25 % below"),
                },
                many=True, help_text="R23: members anomaly_below_percent (20 %) or more below their team's average.",
            ),
        },
    )


def _metric_words(text: str | None) -> list[str] | None:
    if not text:
        return None
    words = [word.strip() for word in text.split(",") if word.strip()][:MAX_METRICS]
    for word in words:
        registry.get(word)  # ValidationError under "metrics" for an unknown word
    return words or None


class KpiViewSet(viewsets.ViewSet):
    """R21-R24: figures, targets, achievement, change and anomalies of a person, a team or the organisation."""

    singleton = True

    @extend_schema(
        operation_id="kpis_retrieve",
        parameters=[
            OpenApiParameter("scope", str, description="user:<id>, team:<id> or org (default: the caller)"),
            OpenApiParameter("period", str,
                             description="2026-11-26, 2026-W48, 2026-11 or 2026-Q4 (default: this month)"),
            OpenApiParameter("metrics", str, description="comma-separated metric words (default: "
                             + ", ".join(KPI_METRICS) + "); every metric: " + _definitions()),
        ],
        responses={200: _kpi_schema(), **error_responses({
            400: "A malformed scope, period or metric.", 403: "The organisation's figures, asked by a non-admin.",
            404: "A person or team outside the caller's scope (R1)."})},
    )
    def retrieve(self, request: AuthedRequest) -> Response:
        today = local_today()
        text = request.query_params.get("period")
        period = Period.parse(text) if text else current(PeriodKind.MONTH, today)
        metrics = _metric_words(request.query_params.get("metrics"))
        subject, people = subject_for(request.user, request.query_params.get("scope") or f"user:{request.user.pk}")
        report = kpi_report(subject=subject, period=period, members=people, metrics=metrics, today=today)
        return Response(report.as_json())
