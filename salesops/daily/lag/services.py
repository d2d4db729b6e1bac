"""R19 lag alerts: finding the streaks (the ``lag_alerts`` job) and recording the lead's talks.

A rep's working day counts when they have a daily visit target for it (R4, metric ``visits``): under it
(visits from the KPI engine, R21) it extends their streak, at or above it ends the streak. Days off
(weekends, holidays; a 调休 make-up day is a working day, R2) and working days without a target break
nothing and count nothing. A streak of ``RuleSettings.lag_streak_days`` counting days or more is one
``LagAlert``: created (and the rep's lead and director told) the day it reaches the length, extended the
days it goes on, ended by a day at or above target. Running the job again for a day changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from salesops.accounts.models import Role, User
from salesops.core.errors import Invalid, PermissionDenied
from salesops.core.scope import scope_of
from salesops.daily.lag.models import AlertStatus, LagAlert, LagTalk
from salesops.daily.targets.models import DayTarget
from salesops.notifications.services import notify
from salesops.organisation.selectors import rule_settings, work_calendar
from salesops.organisation.workcal import WorkCalendar
from salesops.performance.engine import figures_per
from salesops.performance.metrics import Level
from salesops.performance.periods import Period

METRIC = "visits"
ALERT_RULE = "lag_streak"
#: How far back a streak is followed (calendar days): longer streaks start at the window's edge.
LOOKBACK_DAYS = 92


@dataclass(frozen=True)
class Streak:
    """A rep's run of counting days under target ending on the day looked at."""

    user_id: int
    started_on: dt.date
    days: int


def _visits(user_ids: list[int], day: dt.date) -> dict[int, int]:
    found = figures_per(level=Level.PERSON, ids=user_ids, period=Period.day(day), metrics=[METRIC], today=day)
    return {pk: int(values[METRIC] or 0) for pk, values in found.items()}


def _day_targets(user_ids: Iterable[int], first: dt.date, last: dt.date) -> dict[tuple[int, dt.date], Decimal]:
    rows = DayTarget.objects.filter(metric=METRIC, user_id__in=sorted(set(user_ids)), day__gte=first, day__lte=last,
                                    is_active=True)
    return {(user_id, day): value for user_id, day, value in rows.values_list("user_id", "day", "value")}


def streaks_on(*, day: dt.date, calendar: WorkCalendar) -> tuple[list[Streak], set[int]]:
    """The streaks of the reps under target on ``day`` (a working day), and the reps at or above it."""
    today = _day_targets(DayTarget.objects.filter(
        metric=METRIC, day=day, is_active=True, user__role=Role.REP, user__is_active=True,
    ).values_list("user_id", flat=True), day, day)
    people = sorted(user_id for user_id, _day in today)
    done = _visits(people, day) if people else {}
    under = {pk for pk in people if done[pk] < today[(pk, day)]}
    state = {pk: Streak(pk, day, 1) for pk in under}
    pending = set(under)
    first = day - dt.timedelta(days=LOOKBACK_DAYS)
    earlier = _day_targets(pending, first, day - dt.timedelta(days=1)) if pending else {}
    current = day - dt.timedelta(days=1)
    while pending and current >= first:
        having = sorted(pk for pk in pending if (pk, current) in earlier)
        if having and calendar.is_workday(current):
            visits = _visits(having, current)
            for pk in having:
                if visits[pk] < earlier[(pk, current)]:
                    state[pk] = Streak(pk, current, state[pk].days + 1)
                else:
                    pending.discard(pk)
        current -= dt.timedelta(days=1)
    return list(state.values()), set(people) - under


def _tell(alert: LagAlert, rep: User, length: int) -> None:
    team = rep.team
    people = [p for p in (team.lead, team.director) if p is not None and p.is_active and p.pk != rep.pk] if team else []
    title = _("%(name)s under the visit target %(days)d working days in a row") % {
        "name": rep.display_name, "days": length}
    body = _("Since %(start)s. Talk with them and record the cause and the remedy.") % {
        "start": alert.started_on.isoformat()}
    for person in people:
        notify(user=person, kind=ALERT_RULE, title=title, body=body, url=reverse("lag-alerts"))


@transaction.atomic
def lag_alerts_check(*, day: dt.date) -> dict[str, int]:
    """The ``lag_alerts`` job's work for ``day``: streaks reaching the rule's length alert once, go on in
    the same alert, end on a day at or above target. Idempotent per date."""
    calendar = work_calendar()
    if not calendar.is_workday(day):
        return {"alerted": 0, "extended": 0, "ended": 0}
    length = rule_settings().lag_streak_days
    streaks, met = streaks_on(day=day, calendar=calendar)
    ended = LagAlert.objects.filter(subject_user_id__in=sorted(met), ended_on__isnull=True, last_day__lt=day).update(
        ended_on=day)
    long_enough = [streak for streak in streaks if streak.days >= length]
    reps = User.objects.select_related("team__lead", "team__director").in_bulk([s.user_id for s in long_enough])
    alerted = extended = 0
    for streak in long_enough:
        alert = LagAlert.objects.select_for_update().filter(
            subject_user_id=streak.user_id, started_on=streak.started_on).first()
        if alert is not None:
            if alert.last_day < day:
                alert.last_day, alert.days, alert.ended_on = day, streak.days, None
                alert.save(update_fields=["last_day", "days", "ended_on"])
                extended += 1
            continue
        rep = reps[streak.user_id]
        alert = LagAlert.objects.create(
            subject_user=rep, team_id=rep.team_id, started_on=streak.started_on, last_day=day, days=streak.days,
            lead_told_at=timezone.now(),
        )
        _tell(alert, rep, streak.days)
        alerted += 1
    return {"alerted": alerted, "extended": extended, "ended": ended}


@transaction.atomic
def lag_talk_record(
    *, by: User, alert: LagAlert, cause: str, remedy: str, note: str = "", status: str = AlertStatus.OPEN,
) -> LagTalk:
    """The lead's talk on ``alert`` (R19): whoever manages the rep records it; ``closed`` closes the alert,
    an open one keeps it on the list to follow up."""
    if not scope_of(by).manages(alert.subject_user_id):
        raise PermissionDenied(_("Only the rep's lead, director or an admin records the talk."))
    locked = LagAlert.objects.select_for_update().get(pk=alert.pk)
    if locked.status == AlertStatus.CLOSED:
        raise Invalid(fields={"alert": _("This alert is closed already.")})
    talk = LagTalk(alert=locked, cause=cause, remedy=remedy, note=note.strip(), status=status, by=by)
    try:
        talk.full_clean(exclude=["alert", "by"])
    except ValidationError as error:
        raise Invalid.from_validation_error(error) from None
    talk.save()
    if status == AlertStatus.CLOSED:
        locked.status, locked.closed_at = AlertStatus.CLOSED, timezone.now()
        locked.save(update_fields=["status", "closed_at"])
    return talk
