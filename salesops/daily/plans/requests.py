"""Writes of R7 resource requests (技术支持, 样品申请, 客户对接人信息) and the ``plan_check`` flags.

A request is added by the plan's person; whoever manages the person (R1) fulfils or declines it with a
comment. Two decisions at once: the row lock lets one decide, the other finds it decided (409).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from salesops.accounts.models import Role, User
from salesops.core.errors import Conflict, Invalid, PermissionDenied
from salesops.core.scope import scope_of
from salesops.core.versioning import locked_for_update
from salesops.daily.plans.models import DailyPlan, MissingPlan, PlanStatus, RequestKind, RequestStatus, ResourceRequest
from salesops.notifications.services import notify

#: The alert rule word of a plan missing at the deadline (API.md, alerts).
MISSING_ALERT = "plan_missing"
DETAIL_MAX = 500


@transaction.atomic
def request_create(*, by: User, plan: DailyPlan, kind: str, detail: str) -> ResourceRequest:
    """R7: the plan's person asks for a resource; it stays open until their lead decides."""
    current = locked_for_update(DailyPlan.objects.visible_to(by), pk=plan.pk)
    if current.user_id != by.pk:
        raise PermissionDenied(_("Only the person whose plan it is may ask for resources with it."))
    problems = {}
    if kind not in RequestKind.values:
        problems["kind"] = _("Choose what kind of resource you need.")
    if not detail.strip():
        problems["detail"] = _("Say what you need and for which customer.")
    elif len(detail.strip()) > DETAIL_MAX:
        problems["detail"] = _("Keep the request under %(count)d characters.") % {"count": DETAIL_MAX}
    if problems:
        raise Invalid(fields=problems)
    return ResourceRequest.objects.create(plan=current, kind=kind, detail=detail.strip())


def may_decide(by: User, request: ResourceRequest) -> bool:
    """R7: whoever manages the plan's person (R1); never the person themselves."""
    return scope_of(by).manages(request.plan.user_id)


def _decidable(by: User, request: ResourceRequest, version: int | None) -> ResourceRequest:
    current = locked_for_update(ResourceRequest.objects.visible_to(by).select_related("plan", "plan__user"),
                                pk=request.pk, expected=version)
    if by.pk == current.plan.user_id:
        raise PermissionDenied(_("Nobody decides on their own request."))
    if not may_decide(by, current):
        raise PermissionDenied(_("Only the person's lead or director decides on a request."))
    if current.status != RequestStatus.OPEN:
        raise Conflict(_("The request is no longer open: someone may have decided on it already."),
                       code="request_state", extra={"status": current.status})
    return current


def _decide(by: User, current: ResourceRequest, status: str, comment: str) -> ResourceRequest:
    current.status = status
    current.comment = comment.strip()[:500]
    current.decided_by, current.decided_at = by, timezone.now()
    current.save()
    title = _("Your request is fulfilled: %(kind)s") if status == RequestStatus.FULFILLED else _(
        "Your request is declined: %(kind)s")
    notify(user=current.plan.user, kind="resource_request", title=title % {"kind": current.get_kind_display()},
           body=current.comment or current.detail, url=reverse("plan-detail", args=[current.plan_id]))
    return current


@transaction.atomic
def request_fulfil(*, by: User, request: ResourceRequest, comment: str = "",
                   version: int | None = None) -> ResourceRequest:
    """R7: the lead provides the resource (the comment says how: who supports, when the samples go)."""
    return _decide(by, _decidable(by, request, version), RequestStatus.FULFILLED, comment)


@transaction.atomic
def request_decline(*, by: User, request: ResourceRequest, comment: str,
                    version: int | None = None) -> ResourceRequest:
    """R7: the lead declines, saying why."""
    if not comment.strip():
        raise Invalid(fields={"comment": _("Say why the request is declined.")})
    return _decide(by, _decidable(by, request, version), RequestStatus.DECLINED, comment)


def _told_for(user: User) -> User | None:
    """Who hears of the person's missing plan: their team's lead, or the director when the team has no
    active lead (or the person is the lead)."""
    team = user.team
    if team is None:
        return None
    for person in (team.lead, team.director):
        if person is not None and person.is_active and person.pk != user.pk:
            return person
    return None


@transaction.atomic
def plans_flag_missing(*, day: dt.date) -> dict[str, int]:
    """R7 ``plan_check``: every active rep of a team without a submitted plan for ``day`` at the deadline
    is flagged to their lead once (``MissingPlan``): a second run for the same day tells nobody again.
    Each lead gets one message naming their people, each linked to the team's plans of the day."""
    handed_in = DailyPlan.objects.filter(user=OuterRef("pk"), date=day).exclude(status=PlanStatus.DRAFT)
    flagged = MissingPlan.objects.filter(user=OuterRef("pk"), date=day)
    people = list(
        User.objects.filter(is_active=True, role=Role.REP, team__isnull=False)
        .filter(~Exists(handed_in), ~Exists(flagged))
        .select_related("team", "team__lead", "team__director").order_by("team_id", "display_name", "id")
    )
    MissingPlan.objects.bulk_create([MissingPlan(user=person, team=person.team, date=day) for person in people],
                                    ignore_conflicts=True)
    by_lead: dict[User, list[User]] = defaultdict(list)
    for person in people:
        lead = _told_for(person)
        if lead is not None:
            by_lead[lead].append(person)
    for lead, missing in by_lead.items():
        page = reverse("plans-team")
        notify(
            user=lead, kind=MISSING_ALERT,
            title=_("%(count)d daily plans missing for %(day)s") % {"count": len(missing), "day": day.isoformat()},
            body="、".join(person.display_name for person in missing),
            url=f"{page}?date={day.isoformat()}",
            links=[(person.display_name, f"{page}?team={person.team_id}&date={day.isoformat()}")
                   for person in missing],
        )
    return {"missing": len(people), "told": len(by_lead)}
