"""API of the figures: cadence compliance (R10) and late-logging share (R11) at
/api/followups/compliance/ (its path since it was the follow-ups' own), computed by the engine.

``totals`` is the subject's figure at its own level (R21: a team's over the team's rows, never a sum of
its people's), ``members`` each listed person's own.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from salesops.accounts.requests import AuthedRequest
from salesops.core.clock import local_today
from salesops.performance.engine import Figures, figures, figures_per
from salesops.performance.metrics import Level
from salesops.performance.periods import Period, PeriodKind, current
from salesops.performance.selectors import subject_for

#: The API's field for each metric of the compliance figures.
FIELDS = {
    "customers": "graded_customers",
    "overdue": "overdue_customers",
    "compliance": "compliance",
    "followups": "followups",
    "late": "late_followups",
    "late_share": "late_share",
    "followed_up_customers": "followed_up_customers",
}
METRICS = list(FIELDS.values())


def _fields() -> dict[str, serializers.Field]:
    rates = ("compliance", "late_share")
    return {
        name: serializers.FloatField(allow_null=True) if name in rates else serializers.IntegerField()
        for name in FIELDS
    }


class MemberFiguresSerializer(serializers.Serializer[Any]):
    user = serializers.IntegerField()
    display_name = serializers.CharField()
    team = serializers.IntegerField(allow_null=True)

    def get_fields(self) -> dict[str, serializers.Field]:
        return {**super().get_fields(), **_fields()}


def _as_fields(found: Figures) -> dict[str, Any]:
    return {field: found[metric] for field, metric in FIELDS.items()}


class ComplianceViewSet(viewsets.ViewSet):
    """R10 cadence compliance (as of today) and R11 late-logging share (over the period): the subject's
    figures and each listed person's."""

    singleton = True

    @extend_schema(
        parameters=[
            OpenApiParameter("scope", str, description="user:<id>, team:<id> or org"),
            OpenApiParameter("period", str, description="2026-11-26, 2026-W48, 2026-11 or 2026-Q4"),
        ],
        responses=inline_serializer(
            "Compliance",
            {
                "scope": serializers.CharField(),
                "period": serializers.CharField(),
                "start": serializers.DateField(),
                "end": serializers.DateField(),
                "today": serializers.DateField(),
                "totals": inline_serializer("ComplianceTotals", _fields()),
                "members": MemberFiguresSerializer(many=True),
            },
        ),
    )
    def retrieve(self, request: AuthedRequest) -> Response:
        today = local_today()
        text = request.query_params.get("period")
        period = Period.parse(text) if text else current(PeriodKind.MONTH, today)
        subject, people = subject_for(request.user, request.query_params.get("scope") or f"user:{request.user.pk}")
        totals = figures(subject=subject, period=period, metrics=METRICS, today=today)
        each = figures_per(level=Level.PERSON, ids=[p.pk for p in people], period=period, metrics=METRICS,
                           today=today)
        members = [
            {"user": p.pk, "display_name": p.display_name, "team": p.team_id, **_as_fields(each[p.pk])}
            for p in people
        ]
        return Response({
            "scope": str(subject), "period": str(period), "start": period.first, "end": period.last, "today": today,
            "totals": _as_fields(totals), "members": members,
        })


