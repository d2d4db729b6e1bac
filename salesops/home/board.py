"""The lead's day board (R7, R17, R19, R5): for one team and today, what waits on the lead, read from the
daily sub-domains' selectors (their rules are theirs): the plans handed in to approve or return, the open
resource requests, who has not handed in a plan once the plan deadline has passed, the open lag alerts and
problems. A director or an admin picks one of their teams."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from salesops.accounts.models import Role, Team, User
from salesops.daily.plans import selectors as plans
from salesops.daily.plans.models import DailyPlan, PlanStatus, ResourceRequest
from salesops.organisation.models import RuleSettings


@dataclass(frozen=True)
class Board:
    """One team's day as its lead works through it. ``plans_missing`` is None before the plan deadline
    and on a day off (nobody is missing yet)."""

    team: Team
    day: dt.date
    people: list[User]
    to_approve: list[tuple[User, DailyPlan]]
    requests: list[ResourceRequest]
    plans_missing: list[User] | None

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
    return Board(team=team, day=day, people=people, to_approve=to_approve, requests=requests, plans_missing=missing)
