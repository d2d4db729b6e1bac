"""/api/daily-targets/?team=&date= (API.md, R4): GET and PUT ``{team: {metric: n}, members: {user_id:
{metric: n}}}``, plus ``version`` (send back the one read: a stale save is a 409); GET
``/api/daily-targets/suggestion/?team=&date=`` is the suggested split in the same shape.

``team`` defaults to the caller's own team, ``date`` to today. A team the caller does not see is a 404;
reading needs to see the team (its members read their shares), saving to set its targets (R1).
Money is a decimal string, a count a number (API.md).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from salesops.accounts.models import Team, User
from salesops.accounts.requests import AuthedRequest
from salesops.core.clock import local_today
from salesops.core.drf import JSONParser
from salesops.core.errors import Invalid, NotFound
from salesops.core.fields import VERSION_HELP, IdField, KnownFieldsOnly, StrictDateField
from salesops.daily.targets import selectors, services
from salesops.daily.targets.suggestion import suggested_split
from salesops.performance.targets.api import shown_value

PARAMETERS = [
    OpenApiParameter("team", int, description="The team's id (default: the caller's own team)."),
    OpenApiParameter("date", dt.date, description="The day (default: today)."),
]
ANSWER = inline_serializer("DailyTargets", {
    "team_id": serializers.IntegerField(),
    "date": serializers.DateField(),
    "team": serializers.DictField(help_text="{metric: n}"),
    "members": serializers.DictField(help_text="{user id: {metric: n}}"),
    "version": serializers.IntegerField(help_text="0 when none is saved yet."),
})


class DayQuerySerializer(serializers.Serializer[Any]):
    team = IdField(required=False)
    date = StrictDateField(required=False)


class DayTargetsSerializer(KnownFieldsOnly, serializers.Serializer[Any]):
    team = serializers.DictField(help_text="{metric: n}: the team's target of each metric")
    members = serializers.DictField(help_text="{user id: {metric: n}}: each member's share", required=False,
                                    default=dict)
    version = IdField(required=False, help_text=VERSION_HELP)


def chosen_team(user: User, query: Any) -> tuple[Team, dt.date]:
    """The team (seen by ``user``, else 404) and the day of the query string."""
    data = DayQuerySerializer(data=query)
    data.is_valid(raise_exception=True)
    team_id = data.validated_data.get("team") or user.team_id
    if team_id is None:
        raise Invalid(fields={"team": _("Name the team.")})
    team = Team.objects.visible_to(user).filter(pk=team_id, is_active=True).first()
    if team is None:
        raise NotFound(_("No such team."))
    return team, data.validated_data.get("date") or local_today()


def _body(team: Team, day: dt.date, found: selectors.DayTargets) -> dict[str, Any]:
    return {
        "team_id": team.pk, "date": day,
        "team": {name: shown_value(name, value) for name, value in found.team.items()},
        "members": {str(pk): {name: shown_value(name, value) for name, value in shares.items()}
                    for pk, shares in found.members.items()},
        "version": found.version,
    }


class DailyTargetsViewSet(viewsets.ViewSet):
    """R4: a team's targets of a day and the members' split (which adds up exactly for counts and amounts)."""

    singleton = True
    parser_classes = [JSONParser]

    @extend_schema(parameters=PARAMETERS, responses=ANSWER)
    def retrieve(self, request: AuthedRequest) -> Response:
        team, day = chosen_team(request.user, request.query_params)
        return Response(_body(team, day, selectors.day_targets(team_id=team.pk, day=day)))

    @extend_schema(parameters=PARAMETERS, request=DayTargetsSerializer, responses=ANSWER)
    def update(self, request: AuthedRequest) -> Response:
        team, day = chosen_team(request.user, request.query_params)
        data = DayTargetsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        services.day_targets_save(by=request.user, team=team, day=day, team_values=fields["team"],
                                  members=fields["members"], version=fields.get("version"))
        return Response(_body(team, day, selectors.day_targets(team_id=team.pk, day=day)))

    @extend_schema(parameters=PARAMETERS, responses=ANSWER)
    @action(detail=True, methods=["get"])
    def suggestion(self, request: AuthedRequest) -> Response:
        """R4: what is left of the month's targets over the working days left, weighted by month targets."""
        team, day = chosen_team(request.user, request.query_params)
        return Response(_body(team, day, suggested_split(team_id=team.pk, day=day)))
