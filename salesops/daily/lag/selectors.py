"""Reads of R19 lag alerts: a team's open alerts with their talks (the lead's list, the brief), a person's
(their home page)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from salesops.daily.lag.models import AlertStatus, LagAlert, LagTalk


def _with_talks(alerts: QuerySet[LagAlert]) -> QuerySet[LagAlert]:
    talks = LagTalk.objects.select_related("by").order_by("at", "id")
    return alerts.select_related("subject_user", "team").prefetch_related(Prefetch("talks", queryset=talks))


def open_lag_alerts(*, team_id: int) -> QuerySet[LagAlert]:
    """The team's alerts not closed yet, latest streak first, with their talks in order."""
    return _with_talks(LagAlert.objects.filter(team_id=team_id, status=AlertStatus.OPEN)).order_by("-last_day", "id")


def open_lag_alerts_of(*, team_ids: list[int]) -> QuerySet[LagAlert]:
    """The open alerts of several teams at once (the alerts page of a director or an admin), by team."""
    return _with_talks(LagAlert.objects.filter(team_id__in=team_ids, status=AlertStatus.OPEN)).order_by(
        "team__name", "-last_day", "id")


def person_lag_alerts(*, user_id: int) -> QuerySet[LagAlert]:
    """The person's alerts not closed yet, with their talks (what their home page shows)."""
    return _with_talks(LagAlert.objects.filter(subject_user_id=user_id, status=AlertStatus.OPEN)).order_by(
        "-last_day", "id")
