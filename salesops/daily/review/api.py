"""/api/weekly-reviews/?team=&week= (API.md, R18): a team's weekly review for an ISO week."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from salesops.accounts.requests import AuthedRequest
from salesops.daily.brief.selectors import readable_team
from salesops.daily.review import selectors


def _figures() -> serializers.DictField:
    return serializers.DictField(child=serializers.JSONField(), help_text="metric → number (money: decimal string)")


def _tasks() -> serializers.ListField:
    return serializers.ListField(child=serializers.JSONField(), allow_null=True,
                                 help_text="null for a teammate's tasks a rep does not see (R1)")


REVIEW_SCHEMA = inline_serializer("WeeklyReview", {
    "team": serializers.IntegerField(),
    "team_name": serializers.CharField(),
    "week": serializers.CharField(),
    "first": serializers.DateField(),
    "last": serializers.DateField(),
    "review_day": serializers.DateField(allow_null=True),
    "team_metrics": _figures(),
    "members": inline_serializer("WeeklyReviewMember", {
        "user": serializers.IntegerField(),
        "display_name": serializers.CharField(),
        "metrics": _figures(),
        "tasks_done": _tasks(),
        "tasks_not_done": _tasks(),
    }, many=True),
    "highlights": serializers.DictField(child=serializers.JSONField()),
    "problems": inline_serializer("WeeklyReviewProblems", {
        "raised": serializers.ListField(child=serializers.JSONField()),
        "resolved": serializers.ListField(child=serializers.JSONField()),
    }),
    "success_cases": serializers.ListField(child=serializers.JSONField()),
    "month": inline_serializer("WeeklyReviewMonth", {
        "period": serializers.CharField(),
        "metrics": serializers.DictField(child=serializers.JSONField(),
                                         help_text="metric → {actual, target, achievement, gap}"),
    }),
})


class WeeklyReviewViewSet(viewsets.ViewSet):
    """R18: the weekly review of a team for an ISO week (this week by default)."""

    singleton = True

    @extend_schema(
        parameters=[
            OpenApiParameter("team", int, required=True, description="the team's id"),
            OpenApiParameter("week", str, description="an ISO week such as 2026-W48, this week by default"),
        ],
        responses=REVIEW_SCHEMA,
    )
    def retrieve(self, request: AuthedRequest) -> Response:
        team = readable_team(user=request.user, team_id=request.query_params.get("team"))
        week = selectors.review_week(request.query_params.get("week"))
        content = selectors.weekly_review(team=team, week=week)
        return Response(selectors.for_reader(content, user=request.user, team=team))
