"""/api/briefs/?team=&date= (API.md, R3): a team's morning brief; POST /api/briefs/generate/ makes it
again with the figures as they stand (the team's lead, its director or an admin)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from salesops.accounts.requests import AuthedRequest
from salesops.daily.brief import selectors, services


def _figures() -> serializers.DictField:
    return serializers.DictField(child=serializers.JSONField(), help_text="metric → number (money: decimal string)")


BRIEF_SCHEMA = inline_serializer("Brief", {
    "team": serializers.IntegerField(),
    "team_name": serializers.CharField(),
    "date": serializers.DateField(),
    "generated_at": serializers.DateTimeField(allow_null=True),
    "yesterday": inline_serializer("BriefYesterday", {
        "date": serializers.DateField(),
        "team": _figures(),
        "targets": _figures(),
        "members": inline_serializer("BriefMember", {
            "user": serializers.IntegerField(),
            "display_name": serializers.CharField(),
            "metrics": _figures(),
            "targets": _figures(),
            "met": serializers.BooleanField(allow_null=True),
        }, many=True),
    }),
    "praised": serializers.ListField(child=serializers.IntegerField()),
    "missed": inline_serializer("BriefMissed", {
        "user": serializers.IntegerField(),
        "display_name": serializers.CharField(),
        "summary_submitted": serializers.BooleanField(),
        "reasons": serializers.ListField(child=serializers.DictField(child=serializers.CharField())),
    }, many=True),
    "key_customers": serializers.ListField(child=serializers.JSONField()),
    "problems": serializers.ListField(child=serializers.JSONField()),
    "success_cases": serializers.ListField(child=serializers.JSONField()),
    "tasks": inline_serializer("BriefTasks", {
        "due_today": serializers.ListField(child=serializers.JSONField()),
        "overdue": serializers.ListField(child=serializers.JSONField()),
    }),
    "lag_alerts": serializers.ListField(child=serializers.JSONField()),
    "today": inline_serializer("BriefToday", {
        "date": serializers.DateField(),
        "team": _figures(),
        "members": serializers.DictField(child=_figures()),
    }),
})


class BriefRequestSerializer(serializers.Serializer[Any]):
    team = serializers.IntegerField(min_value=1)
    date = serializers.DateField(required=False)


class BriefViewSet(viewsets.ViewSet):
    """R3: the morning brief of a team for a working day (today by default)."""

    singleton = True

    @extend_schema(
        parameters=[
            OpenApiParameter("team", int, required=True, description="the team's id"),
            OpenApiParameter("date", str, description="a working day YYYY-MM-DD, today by default"),
        ],
        responses=BRIEF_SCHEMA,
    )
    def retrieve(self, request: AuthedRequest) -> Response:
        team = selectors.readable_team(user=request.user, team_id=request.query_params.get("team"))
        day = selectors.brief_day(request.query_params.get("date"))
        return Response(selectors.brief_of(team=team, day=day, reader=request.user).content)

    @extend_schema(request=BriefRequestSerializer, responses=BRIEF_SCHEMA)
    @action(detail=True, methods=["post"], url_path="generate")
    def generate(self, request: AuthedRequest) -> Response:
        given = BriefRequestSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        team = selectors.readable_team(user=request.user, team_id=given.validated_data["team"])
        date = given.validated_data.get("date")
        day = selectors.brief_day(date.isoformat() if date else None)
        return Response(services.brief_generate(team=team, day=day, by=request.user).content)
