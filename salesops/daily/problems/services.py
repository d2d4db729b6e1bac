"""Writes of R5 problems and R6 success cases.

R5: anyone of a team raises a problem for it; only whoever manages the team (its lead, its director, an
admin) assigns an owner (a person or a kind of resource) and resolves it with a note; the owner or a
manager starts it (open → in progress). R6: anyone writes a success case of a customer or a deal they see.
Someone without a team (a director, an admin) names a team they manage. A customer or deal outside the
writer's scope answers 404 (R1).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from salesops.accounts.models import Team, User
from salesops.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from salesops.core.scope import scope_of
from salesops.core.versioning import locked_for_update
from salesops.customers.models import Customer
from salesops.daily.problems.models import (
    Problem,
    ProblemCategory,
    ProblemSource,
    ProblemStatus,
    ResourceKind,
    SuccessCase,
)
from salesops.deals.models import Deal

TITLE_MAX = 120
TEXT_MAX = 5000


def manages_team(by: User, team_id: int | None) -> bool:
    """R1 "manages" for a team: its lead, its director, an admin."""
    scope = scope_of(by)
    return team_id is not None and (scope.everything or team_id in scope.team_ids)


def _team_for(by: User, team: Team | None) -> Team:
    """The team a row is written for: the writer's own, or one they manage when they name it."""
    if team is None or team.pk == by.team_id:
        if by.team_id is None:
            raise Invalid(fields={"team": _("Choose the team this is for.")})
        return team or Team.objects.get(pk=by.team_id)
    if not Team.objects.visible_to(by).filter(pk=team.pk).exists():
        raise NotFound(_("No such team."))
    if not manages_team(by, team.pk):
        raise PermissionDenied(_("You may write only for your own team or a team you manage."))
    return team


def _text(value: str, field: str, limit: int, *, required: str = "") -> str:
    text = (value or "").strip()
    if required and not text:
        raise Invalid(fields={field: required})
    if len(text) > limit:
        raise Invalid(fields={field: _("At most %(count)d characters.") % {"count": limit}})
    return text


def _customer_seen(by: User, customer: Customer | None) -> Customer | None:
    if customer is not None and not Customer.objects.visible_to(by).filter(pk=customer.pk, is_active=True).exists():
        raise NotFound(_("No such customer."))
    return customer


def _save(row: Any, *, by: User, reason: str) -> None:
    row._history_user = by
    row._change_reason = reason
    row.save()


@transaction.atomic
def problem_raise(
    *,
    by: User,
    title: str,
    category: str,
    detail: str = "",
    customer: Customer | None = None,
    source: str = ProblemSource.OTHER,
    team: Team | None = None,
) -> Problem:
    """R5: ``by`` raises a problem for their team (or a team they manage), optionally about a customer they
    see, from the brief, a summary, a customer page or directly."""
    problems: dict[str, str] = {}
    if category not in ProblemCategory.values:
        problems["category"] = _("Choose a category.")
    if source not in ProblemSource.values:
        problems["source"] = _("Unknown source.")
    if problems:
        raise Invalid(fields=problems)
    problem = Problem(
        team=_team_for(by, team), raised_by=by,
        title=_text(title, "title", TITLE_MAX, required=_("Give the problem a title.")),
        detail=_text(detail, "detail", TEXT_MAX), category=category, customer=_customer_seen(by, customer),
        source=source,
    )
    _save(problem, by=by, reason=_("Raised"))
    return problem


def _locked(by: User, problem: Problem, version: int | None) -> Problem:
    return locked_for_update(Problem.objects.visible_to(by).filter(is_active=True), pk=problem.pk, expected=version)


def _check_not_resolved(problem: Problem) -> None:
    if problem.status == ProblemStatus.RESOLVED:
        raise Conflict(_("The problem is resolved already."), code="problem_state", extra={"status": problem.status})


@transaction.atomic
def problem_update(*, by: User, problem: Problem, version: int | None = None, **fields: Any) -> Problem:
    """Correct a problem's title, detail or category while it is not resolved: whoever raised it, or a
    manager of the team; ``version`` the one read (409 ``stale``)."""
    unknown = set(fields) - {"title", "detail", "category"}
    if unknown:
        raise Invalid(fields={name: _("This field cannot be changed.") for name in sorted(unknown)})
    current = _locked(by, problem, version)
    if by.pk != current.raised_by_id and not manages_team(by, current.team_id):
        raise PermissionDenied(_("Only whoever raised the problem or manages the team may change it."))
    _check_not_resolved(current)
    if "title" in fields:
        current.title = _text(fields["title"], "title", TITLE_MAX, required=_("Give the problem a title."))
    if "detail" in fields:
        current.detail = _text(fields["detail"], "detail", TEXT_MAX)
    if "category" in fields:
        if fields["category"] not in ProblemCategory.values:
            raise Invalid(fields={"category": _("Choose a category.")})
        current.category = fields["category"]
    _save(current, by=by, reason=_("Changed"))
    return current


def _managed(by: User, problem: Problem, version: int | None) -> Problem:
    current = _locked(by, problem, version)
    if not manages_team(by, current.team_id):
        raise PermissionDenied(_("Only whoever manages the team assigns and resolves its problems."))
    _check_not_resolved(current)
    return current


@transaction.atomic
def problem_assign(
    *, by: User, problem: Problem, owner_user: User | None = None, owner_resource: str = "",
    version: int | None = None,
) -> Problem:
    """R5: a manager of the team gives the problem an owner: a person they see, or a kind of resource."""
    if (owner_user is None) == (not owner_resource):
        raise Invalid(fields={"owner_user": _("Choose either a person or a kind of resource as the owner.")})
    if owner_resource and owner_resource not in ResourceKind.values:
        raise Invalid(fields={"owner_resource": _("Choose a kind of resource.")})
    current = _managed(by, problem, version)
    if owner_user is not None:
        if not User.objects.visible_to(by).filter(pk=owner_user.pk).exists():
            raise NotFound(_("No such person."))
        if not owner_user.is_active:
            raise Invalid(fields={"owner_user": _("This person is no longer active.")})
    current.owner_user, current.owner_resource = owner_user, owner_resource
    name = owner_user.display_name if owner_user is not None else ResourceKind(owner_resource).label
    _save(current, by=by, reason=_("Owner: %(name)s") % {"name": name})
    return current


@transaction.atomic
def problem_start(*, by: User, problem: Problem, version: int | None = None) -> Problem:
    """R5: open → in progress, by the owner or a manager of the team. Two at once: one wins, the other
    finds it started (409)."""
    current = _locked(by, problem, version)
    if by.pk != current.owner_user_id and not manages_team(by, current.team_id):
        raise PermissionDenied(_("Only the problem's owner or whoever manages the team may start it."))
    if current.status != ProblemStatus.OPEN:
        raise Conflict(_("The problem is not open: someone may have started or resolved it already."),
                       code="problem_state", extra={"status": current.status})
    current.status = ProblemStatus.IN_PROGRESS
    current.started_at = timezone.now()
    _save(current, by=by, reason=_("Started"))
    return current


@transaction.atomic
def problem_resolve(*, by: User, problem: Problem, resolution: str, version: int | None = None) -> Problem:
    """R5: a manager of the team resolves the problem with a note on how; it leaves the brief."""
    note = _text(resolution, "resolution", TEXT_MAX, required=_("Say how the problem was resolved."))
    current = _managed(by, problem, version)
    current.status = ProblemStatus.RESOLVED
    current.resolution = note
    current.resolved_at = timezone.now()
    current.resolved_by = by
    _save(current, by=by, reason=_("Resolved: %(note)s") % {"note": note[:400]})
    return current


def _deal_seen(by: User, deal: Deal | None) -> Deal | None:
    if deal is None:
        return None
    found = Deal.objects.visible_to(by).filter(pk=deal.pk, is_active=True).first()
    if found is None:
        raise NotFound(_("No such deal."))
    return found


@transaction.atomic
def success_case_create(
    *,
    by: User,
    title: str,
    story: str,
    customer: Customer | None = None,
    deal: Deal | None = None,
    team: Team | None = None,
) -> SuccessCase:
    """R6: a story of a customer or a deal (at least one, both in ``by``'s scope; a deal of that customer
    when both are named) for ``by``'s team or a team they manage."""
    if customer is None and deal is None:
        raise Invalid(fields={"customer": _("Link the story to a customer or a deal.")})
    found_customer = _customer_seen(by, customer)
    found_deal = _deal_seen(by, deal)
    if found_customer is not None and found_deal is not None and found_deal.customer_id != found_customer.pk:
        raise Invalid(fields={"deal": _("The deal is of another customer.")})
    case = SuccessCase(
        team=_team_for(by, team), author=by,
        title=_text(title, "title", TITLE_MAX, required=_("Give the story a title.")),
        story=_text(story, "story", TEXT_MAX, required=_("Tell the story: what worked and why.")),
        customer=found_customer or (found_deal.customer if found_deal is not None else None), deal=found_deal,
    )
    _save(case, by=by, reason=_("Shared"))
    return case


@transaction.atomic
def success_case_update(*, by: User, case: SuccessCase, version: int | None = None, **fields: Any) -> SuccessCase:
    """The author corrects the title or the story; ``version`` the one read (409 ``stale``)."""
    unknown = set(fields) - {"title", "story"}
    if unknown:
        raise Invalid(fields={name: _("This field cannot be changed.") for name in sorted(unknown)})
    current = locked_for_update(SuccessCase.objects.visible_to(by).filter(is_active=True), pk=case.pk,
                                expected=version)
    if current.author_id != by.pk:
        raise PermissionDenied(_("Only the author may change a success case."))
    if "title" in fields:
        current.title = _text(fields["title"], "title", TITLE_MAX, required=_("Give the story a title."))
    if "story" in fields:
        current.story = _text(fields["story"], "story", TEXT_MAX, required=_("Tell the story: what worked and why."))
    _save(current, by=by, reason=_("Changed"))
    return current
