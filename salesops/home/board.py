"""The lead's day board (R7, R17, R19, R5): for one team and today, what waits on the lead, read from the
daily sub-domains' selectors (their rules are theirs): the plans handed in to approve or return, the open
resource requests, who has not handed in a plan once the plan deadline has passed and who has not written
a summary once the summary is due, the team's open problems. A director or an admin picks one of their teams."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from salesops.accounts.models import Role, Team, User
from salesops.daily.plans import selectors as plans
from salesops.daily.plans.models import DailyPlan, PlanStatus, ResourceRequest
from salesops.daily.problems import selectors as problems
from salesops.daily.problems.models import Problem
from salesops.daily.summaries import selectors as summaries
from salesops.organisation.models import RuleSettings

#: Open problems the board lists (oldest first); the problems page has them all.
PROBLEMS_SHOWN = 10


@dataclass(frozen=True)
class Board:
    """One team's day as its lead works through it. ``plans_missing`` (``summaries_missing``) is None
    before the plan deadline (the summary's due time) and on a day off (nobody is missing yet)."""

    team: Team
    day: dt.date
    people: list[User]
    to_approve: list[tuple[User, DailyPlan]]
    requests: list[ResourceRequest]
    plans_missing: list[User] | None
    summaries_missing: list[User] | None
    problems: list[Problem]

    @property
    def waiting(self) -> int:
        """How many things wait on the lead's decision."""
        return len(self.to_approve) + len(self.requests)


def teams_of(*, user: User) -> QuerySet[Team]:
    """The teams whose day ``user`` runs or oversees (R1): the one they lead, the ones they direct, all for
    an admin."""
    return plans.teams_for(user=user)


def _members(*, user: User, team: Team) -> list[User]:
    return list(
        User.objects.visible_to(user).filter(team=team, is_active=True, role__in=[Role.REP, Role.LEAD])
        .only("pk", "display_name", "username", "role", "team_id").order_by("display_name", "id")
    )


def board(
    *, user: User, team: Team, now: dt.datetime, is_workday: bool, settings: RuleSettings
) -> Board:
    """``team``'s day at ``now`` (local time) as ``user`` sees it (R1: only people in their scope)."""
    day = now.date()
    people = _members(user=user, team=team)
    by_id = {person.pk: person for person in people}
    day_plans = {pk: plan for pk, plan in plans.plans_of(team_id=team.pk, day=day).items() if pk in by_id}
    to_approve = sorted(
        ((by_id[pk], plan) for pk, plan in day_plans.items()
         if plan.status == PlanStatus.SUBMITTED and pk != user.pk),
        key=lambda row: (row[1].submitted_at or now, row[1].pk),
    )
    requests = [row for row in plans.open_requests(team_ids=[team.pk]) if row.plan.user_id in by_id]
    missing = None
    if is_workday and now.time() >= settings.plan_due_at:
        # R7 as plan_check reads it: a rep whose plan is not handed in (none, or still a draft).
        missing = [
            person for person in people if person.role == Role.REP
            and (day_plans.get(person.pk) is None or day_plans[person.pk].status == PlanStatus.DRAFT)
        ]
    summaries_missing = None
    if is_workday and now.time() >= settings.summary_due_at:
        # R17 as summary_check reads it: a writer of the team without a summary of the day.
        writers = [person for person in people if person.role in summaries.WRITERS]
        written = summaries.summaries_of(user_ids=[person.pk for person in writers], day=day)
        summaries_missing = [person for person in writers if person.pk not in written]
    return Board(
        team=team, day=day, people=people, to_approve=to_approve, requests=requests, plans_missing=missing,
        summaries_missing=summaries_missing, problems=list(problems.open_problems(team_id=team.pk)[:PROBLEMS_SHOWN]),
    )
