"""Writes of R17 daily summaries: submit (one per person per day, never for a day to come), edit with the
version read, and ``summaries_flag_missing`` behind the ``summary_check`` job."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from salesops.accounts.models import User
from salesops.core.clock import local_today
from salesops.core.errors import Conflict, Invalid, PermissionDenied
from salesops.core.versioning import locked_for_update
from salesops.daily.summaries import selectors
from salesops.daily.summaries.models import DailySummary, DoneKind, MissingSummary
from salesops.notifications.services import notify

#: The alert rule word of a missing summary (API.md, alerts).
MISSING_ALERT = "summary_missing"
MAX_ITEMS = 50
ITEM_MAX = 300
REASON_MAX = 500
TEXT_MAX = 5000
#: How far back a summary may still be written: a forgotten one of last week, not of last year.
MAX_BACK = dt.timedelta(days=31)


def _text(value: Any, field: str, limit: int) -> str:
    if not isinstance(value, str):
        raise Invalid(fields={field: _("Enter text.")})
    if len(value.strip()) > limit:
        raise Invalid(fields={field: _("At most %(count)d characters.") % {"count": limit}})
    return value.strip()


def clean_not_done(items: Any) -> list[dict[str, str]]:
    """R17: each item left undone with its reason ([{item, reason}]); both must be given."""
    if not isinstance(items, list) or len(items) > MAX_ITEMS:
        raise Invalid(fields={"not_done": _("Give at most %(count)d items, each as {item, reason}.") % {
            "count": MAX_ITEMS}})
    cleaned = []
    for entry in items:
        if not isinstance(entry, Mapping) or set(entry) - {"item", "reason"}:
            raise Invalid(fields={"not_done": _("Give each item as {item, reason}.")})
        item = _text(entry.get("item", ""), "not_done", ITEM_MAX)
        reason = _text(entry.get("reason", ""), "not_done", REASON_MAX)
        if not item and not reason:
            continue
        if not item:
            raise Invalid(fields={"not_done": _("Say what was not done.")})
        if not reason:
            raise Invalid(fields={"not_done": _("Give the reason why “%(item)s” was not done.") % {"item": item}})
        cleaned.append({"item": item, "reason": reason})
    return cleaned


def clean_done_items(items: Any) -> list[dict[str, Any]]:
    """The structured done items ([{kind, ref, text}]): kinds of ``DoneKind``, a row id or null, a text."""
    if not isinstance(items, list) or len(items) > MAX_ITEMS * 4:
        raise Invalid(fields={"done_items": _("Give at most %(count)d items.") % {"count": MAX_ITEMS * 4}})
    cleaned = []
    for entry in items:
        if not isinstance(entry, Mapping) or set(entry) - {"kind", "ref", "text"}:
            raise Invalid(fields={"done_items": _("Give each item as {kind, ref, text}.")})
        kind, ref = entry.get("kind", DoneKind.OTHER), entry.get("ref")
        if kind not in DoneKind.values:
            raise Invalid(fields={"done_items": _("Unknown kind of item: %(kind)s.") % {"kind": str(kind)[:20]}})
        if ref is not None and (isinstance(ref, bool) or not isinstance(ref, int) or ref < 1):
            raise Invalid(fields={"done_items": _("An item's ref is a row id or null.")})
        text = _text(entry.get("text", ""), "done_items", ITEM_MAX)
        if text:
            cleaned.append({"kind": kind, "ref": ref, "text": text})
    return cleaned


def _check_day(day: dt.date) -> None:
    today = local_today()
    if day > today:
        raise Invalid(fields={"date": _("A summary is written on the day or after it, not for a day to come.")})
    if day < today - MAX_BACK:
        raise Invalid(fields={"date": _("A summary more than a month old can no longer be written.")})


def _check_said(done: str, done_items: Sequence[Any], not_done: Sequence[Any]) -> None:
    if not (done or done_items or not_done):
        raise Invalid(fields={"done": _("Say what you did today, or what was left undone and why.")})


def _save(summary: DailySummary, *, by: User, reason: str) -> None:
    summary._history_user = by  # type: ignore[attr-defined]
    summary._change_reason = reason  # type: ignore[attr-defined]
    summary.save()


@transaction.atomic
def summary_submit(
    *,
    by: User,
    day: dt.date,
    done: str = "",
    done_items: Any = (),
    not_done: Any = (),
    tomorrow: str = "",
) -> DailySummary:
    """R17: ``by`` submits their summary of ``day`` (today or a recent past day, never a day to come); one
    per person per day: a second, or the loser of two at once, is a 409 ``duplicate`` naming the first.
    Marked ``late`` when submitted after the day's due time."""
    _check_day(day)
    cleaned_done = _text(done, "done", TEXT_MAX)
    items = clean_done_items(list(done_items))
    left = clean_not_done(list(not_done))
    plan = _text(tomorrow, "tomorrow", TEXT_MAX)
    _check_said(cleaned_done, items, left)
    now = timezone.now()
    summary = DailySummary(
        user=by, team_id=by.team_id, date=day, done=cleaned_done, done_items=items, not_done=left, tomorrow=plan,
        submitted_at=now, late=now > selectors.due_at(day),
    )
    try:
        with transaction.atomic():
            _save(summary, by=by, reason=_("Submitted"))
    except IntegrityError:
        first = DailySummary.objects.filter(user=by, date=day).values_list("pk", flat=True).first()
        raise Conflict(_("Your summary of %(day)s is already submitted; edit it instead.") % {
            "day": day.isoformat()}, code="duplicate", extra={"duplicate_of": first}) from None
    return summary


@transaction.atomic
def summary_update(*, by: User, summary: DailySummary, version: int | None = None, **fields: Any) -> DailySummary:
    """The writer corrects their summary (``done``, ``done_items``, ``not_done``, ``tomorrow``); someone
    else's is not theirs to change (403); ``version`` the one read (409 ``stale``); history kept."""
    unknown = set(fields) - {"done", "done_items", "not_done", "tomorrow"}
    if unknown:
        raise Invalid(fields={name: _("This field cannot be changed.") for name in sorted(unknown)})
    current = locked_for_update(DailySummary.objects.visible_to(by).filter(is_active=True), pk=summary.pk,
                                expected=version)
    if current.user_id != by.pk:
        raise PermissionDenied(_("Only the person who wrote a summary may change it."))
    if "done" in fields:
        current.done = _text(fields["done"], "done", TEXT_MAX)
    if "done_items" in fields:
        current.done_items = clean_done_items(fields["done_items"])
    if "not_done" in fields:
        current.not_done = clean_not_done(fields["not_done"])
    if "tomorrow" in fields:
        current.tomorrow = _text(fields["tomorrow"], "tomorrow", TEXT_MAX)
    _check_said(current.done, current.done_items, current.not_done)
    _save(current, by=by, reason=_("Changed"))
    summary.version = current.version
    return current


def _team_day_url(team_id: int | None, day: dt.date) -> str:
    return f"{reverse('summary-team')}?team={team_id}&date={day.isoformat()}"


def _manager_of(person: User) -> User | None:
    """Whom a missing summary is told to: the person's team lead, or the team's director when the team has
    no active lead (R1: both manage the person)."""
    team = person.team
    if team is None:
        return None
    for candidate in (team.lead, team.director):
        if candidate is not None and candidate.is_active and candidate.pk != person.pk:
            return candidate
    return None


@transaction.atomic
def summaries_flag_missing(*, day: dt.date) -> dict[str, int]:
    """R17 ``summary_check``: every expected writer without a summary of ``day`` is flagged to whoever
    manages them, once per person per day (``MissingSummary``): a second run tells nobody again. Each
    manager gets one message naming their missing people."""
    people = list(
        selectors.expected_writers()
        .exclude(daily_summaries__date=day)
        .exclude(pk__in=MissingSummary.objects.filter(date=day).values("user_id"))
        .select_related("team__lead", "team__director")
        .order_by("team_id", "display_name", "pk")
    )
    MissingSummary.objects.bulk_create(
        [MissingSummary(user=person, team_id=person.team_id, date=day) for person in people], ignore_conflicts=True)
    by_manager: dict[int, tuple[User, list[User]]] = {}
    grouped: dict[int, list[User]] = defaultdict(list)
    for person in people:
        manager = _manager_of(person)
        if manager is not None:
            by_manager.setdefault(manager.pk, (manager, grouped[manager.pk]))
            grouped[manager.pk].append(person)
    for manager, missing in by_manager.values():
        links = [(person.display_name, _team_day_url(person.team_id, day)) for person in missing]
        notify(
            user=manager, kind=MISSING_ALERT,
            title=ngettext("%(count)d daily summary missing for %(day)s",
                           "%(count)d daily summaries missing for %(day)s", len(missing))
            % {"count": len(missing), "day": day.isoformat()},
            body="、".join(person.display_name for person in missing), url=links[0][1], links=links,
        )
    return {"missing": len(people), "told": len(by_manager)}
