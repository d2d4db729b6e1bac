"""Reads of R17 daily summaries: the pre-filled done items of a person's day (from the follow-ups, visits,
tasks and deals selectors, one query each), a team's summaries of a day with who is missing, and the
contract reads other parts of the day use (``summaries_of``, ``tomorrow_of``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from salesops.accounts.models import Role, Team, User
from salesops.daily.summaries.models import DailySummary, DoneKind, MissingSummary
from salesops.deals import selectors as deal_selectors
from salesops.deals.models import DealStatus
from salesops.followups import selectors as followup_selectors
from salesops.followups.models import Channel
from salesops.organisation.models import RuleSettings
from salesops.organisation.selectors import rule_settings, work_calendar
from salesops.tasks import selectors as task_selectors
from salesops.tasks.models import TaskStatus

#: Who is expected to write a summary every working day (R17 "members"): the reps of a team.
WRITERS = (Role.REP,)


@dataclass(frozen=True)
class DoneItem:
    """One done item: its kind (``DoneKind``), the row it came from (``ref``, None when typed) and its text."""

    kind: str
    ref: int | None
    text: str

    @property
    def key(self) -> str:
        """How a form names the item: ``followup:12``."""
        return f"{self.kind}:{self.ref}"

    def as_json(self) -> dict[str, object]:
        return {"kind": self.kind, "ref": self.ref, "text": self.text}


def done_items_of(*, user: User, day: dt.date) -> list[DoneItem]:
    """R17: the done items of ``user``'s ``day``, pre-filled from what the data already says: the
    follow-ups they logged (visits apart), the tasks they handed in or got approved, the deals they won or
    moved. Three queries, one per domain."""
    items: list[DoneItem] = []
    for record in followup_selectors.followups_of_day(user=user, day=day).only(
            "id", "channel", "key_points", "contacted_at", "customer__name"):
        kind = DoneKind.VISIT if record.channel == Channel.VISIT else DoneKind.FOLLOWUP
        label = _("Visited %(customer)s") if kind == DoneKind.VISIT else _("Followed up %(customer)s")
        text = label % {"customer": record.customer.name}
        if record.key_points:
            text += f": {record.key_points[:120]}"
        items.append(DoneItem(kind, record.pk, text))
    for task in task_selectors.tasks_of_day(user=user, day=day):
        label = _("Task done: %(title)s") if task.status == TaskStatus.DONE else _("Task handed in: %(title)s")
        items.append(DoneItem(DoneKind.TASK, task.pk, label % {"title": task.title}))
    for deal in deal_selectors.deals_of_day(user=user, day=day):
        if deal.status == DealStatus.WON:
            label = _("Deal won: %(title)s (%(customer)s)")
        elif deal.status == DealStatus.LOST:
            label = _("Deal lost: %(title)s (%(customer)s)")
        else:
            label = _("Deal moved on: %(title)s (%(customer)s), now %(stage)s")
        items.append(DoneItem(DoneKind.DEAL, deal.pk, label % {
            "title": deal.title, "customer": deal.customer.name, "stage": deal.get_stage_display()}))
    return items


def summaries_of(*, user_ids: Iterable[int], day: dt.date) -> dict[int, DailySummary]:
    """The summaries of ``day`` of these people, by person (those who wrote none are absent)."""
    rows = DailySummary.objects.filter(user_id__in=list(user_ids), date=day, is_active=True)
    return {row.user_id: row for row in rows}


def tomorrow_of(*, user_id: int, day: dt.date) -> str:
    """What the person's summary of the working day before ``day`` planned for ``day`` ("" when they wrote
    none that day): the daily plan seeds from it (R7, R17)."""
    previous = work_calendar().previous_workday(day)
    found = DailySummary.objects.filter(user_id=user_id, date=previous, is_active=True).values_list(
        "tomorrow", flat=True).first()
    return found or ""


def summary_of(*, user: User, day: dt.date) -> DailySummary | None:
    """``user``'s own summary of ``day``, if written."""
    return DailySummary.objects.filter(user=user, date=day, is_active=True).first()


def summary_list(*, user: User) -> QuerySet[DailySummary]:
    """Every summary ``user`` may read (R1), newest day first, with the writer and team."""
    return (
        DailySummary.objects.visible_to(user).filter(is_active=True)
        .select_related("user", "team").order_by("-date", "user_id")
    )


def due_at(day: dt.date) -> dt.datetime:
    """R17: the moment the summary of ``day`` is due (the rule's minutes before the workday ends)."""
    return timezone.make_aware(dt.datetime.combine(day, rule_settings().summary_due_at),
                               timezone.get_default_timezone())


def written_and_due(*, user: User, day: dt.date) -> tuple[int | None, dt.datetime]:
    """The id of ``user``'s summary of ``day`` (None when not written) and when it is due (R17), in one
    query for a hot page: the id is read beside the rule settings row."""
    written = DailySummary.objects.filter(user=user, date=day, is_active=True).values("pk")[:1]
    row = RuleSettings.objects.filter(pk=1).annotate(summary_pk=Subquery(written)).first()
    if row is None:  # a database without the settings row reads the defaults
        found = summary_of(user=user, day=day)
        return (found.pk if found else None), due_at(day)
    due = dt.datetime.combine(day, row.summary_due_at)
    return row.summary_pk, timezone.make_aware(due, timezone.get_default_timezone())


def expected_writers(*, team_ids: Iterable[int] | None = None) -> QuerySet[User]:
    """The people who owe a summary each working day (R17): the active reps of a team."""
    people = User.objects.filter(is_active=True, role__in=WRITERS, team__isnull=False, team__is_active=True)
    if team_ids is not None:
        people = people.filter(team_id__in=list(team_ids))
    return people


@dataclass(frozen=True)
class TeamDayRow:
    """One person of a team on a day: their summary (None when missing) and whether it was flagged."""

    person: User
    summary: DailySummary | None
    flagged: bool


@dataclass(frozen=True)
class TeamDay:
    team: Team
    day: dt.date
    rows: list[TeamDayRow]

    @property
    def missing(self) -> list[User]:
        return [row.person for row in self.rows if row.summary is None]

    @property
    def submitted(self) -> int:
        return sum(1 for row in self.rows if row.summary is not None)


def team_day(*, team: Team, day: dt.date) -> TeamDay:
    """The lead's view of a team's day (R17): every writer of the team with their summary or missing, and
    anyone else of the team who wrote one; three queries."""
    people = list(User.objects.filter(team=team, is_active=True).order_by("display_name", "pk"))
    written = {row.user_id: row for row in DailySummary.objects.filter(
        user_id__in=[person.pk for person in people], date=day, is_active=True)}
    flagged = set(MissingSummary.objects.filter(team=team, date=day).values_list("user_id", flat=True))
    rows = [
        TeamDayRow(person=person, summary=written.get(person.pk), flagged=person.pk in flagged)
        for person in people if person.role in WRITERS or person.pk in written
    ]
    return TeamDay(team=team, day=day, rows=rows)
