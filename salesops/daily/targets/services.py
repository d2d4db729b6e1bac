"""Saving a team's day targets (R4): the team's target per metric and each member's share, which for a
metric that adds up (counts, amounts) must sum exactly to the team's. The one implementation the API and
the lead's page call.

Who may: whoever sets the team's targets (``performance.targets.services.resolve_subject``: its lead,
its director, an admin); a team the caller does not see is not found. A past day may be corrected the
same way; every value it had stays in the history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from salesops.accounts.models import Team, User
from salesops.core.errors import Invalid
from salesops.core.versioning import version_check
from salesops.daily.targets.models import DayTarget, DayTargetSet
from salesops.performance.engine import Subject
from salesops.performance.metrics import Metric
from salesops.performance.selectors import members as team_members
from salesops.performance.targets.services import check_metric, check_value, resolve_subject

Values = Mapping[str, Any]


def _checked(values: Values, field: str) -> dict[str, tuple[Metric, Decimal]]:
    if not isinstance(values, Mapping):
        raise Invalid(fields={field: _("Give the targets as {metric: number}.")})
    checked: dict[str, tuple[Metric, Decimal]] = {}
    for name, value in values.items():
        try:
            metric = check_metric(str(name))
            checked[metric.name] = (metric, check_value(metric, value))
        except Invalid as error:
            raise Invalid(fields={field: [f"{name}: {message}" for messages in error.fields.values()
                                          for message in messages]}) from None
    return checked


def _shown(metric: Metric, value: Decimal) -> str:
    return str(int(value)) if metric.unit == "count" else f"{value:.2f}"


def check_split(team: dict[str, tuple[Metric, Decimal]], members: dict[int, dict[str, tuple[Metric, Decimal]]]
                ) -> None:
    """R4: for each metric that adds up, the members' shares sum exactly to the team's target; an error
    names each metric that does not, with the difference."""
    problems: list[str] = []
    names = list(dict.fromkeys([*team, *(name for shares in members.values() for name in shares)]))
    for name in names:
        metric = (team.get(name) or next(shares[name] for shares in members.values() if name in shares))[0]
        if not metric.additive:
            continue
        if name not in team:
            problems.append(_("%(metric)s: members have shares but the team has no target.")
                            % {"metric": metric.label})
            continue
        total = sum((shares[name][1] for shares in members.values() if name in shares), Decimal(0))
        difference = total - team[name][1]
        if difference:
            words = {"metric": metric.label, "sum": _shown(metric, total), "team": _shown(metric, team[name][1]),
                     "difference": _shown(metric, abs(difference))}
            problems.append(
                (_("%(metric)s: the members' shares add up to %(sum)s, %(difference)s more than the team's "
                   "target %(team)s.") if difference > 0 else
                 _("%(metric)s: the members' shares add up to %(sum)s, %(difference)s less than the team's "
                   "target %(team)s.")) % words
            )
    if problems:
        raise Invalid(_("The split must add up to the team's target."), fields={"members": problems})


def _members(team: Team, shares: Mapping[Any, Values]) -> dict[int, dict[str, tuple[Metric, Decimal]]]:
    if not isinstance(shares, Mapping):
        raise Invalid(fields={"members": _("Give the split as {person id: {metric: number}}.")})
    allowed = set(team_members(team_ids=[team.pk]).values_list("pk", flat=True))
    checked: dict[int, dict[str, tuple[Metric, Decimal]]] = {}
    for key, values in shares.items():
        text = str(key)
        if not (text.isascii() and text.isdigit() and int(text) in allowed):
            raise Invalid(fields={"members": _("%(id)s is not a member of this team.") % {"id": text[:20]}})
        checked[int(text)] = _checked(values, "members")
    return checked


def _locked_set(team: Team, day: dt.date, by: User) -> tuple[DayTargetSet, bool]:
    found = DayTargetSet.objects.select_for_update().filter(team=team, day=day).first()
    if found is not None:
        return found, False
    try:
        with transaction.atomic():
            return DayTargetSet.objects.create(team=team, day=day, set_by=by), True
    except IntegrityError:  # saved at the same moment by someone else: this save follows theirs
        return DayTargetSet.objects.select_for_update().get(team=team, day=day), False


@transaction.atomic
def day_targets_save(
    *, by: User, team: Team, day: dt.date, team_values: Values, members: Mapping[Any, Values],
    version: int | None = None,
) -> DayTargetSet:
    """Save ``team``'s targets of ``day`` as a whole: values not named any more are taken out (kept
    inactive). A ``version`` other than the saved one (someone saved since it was read) is a 409."""
    resolve_subject(by=by, subject=Subject.team(team.pk))
    team_checked = _checked(team_values, "team")
    member_checked = _members(team, members)
    check_split(team_checked, member_checked)
    target_set, created = _locked_set(team, day, by)
    if not created:
        version_check(target_set, version)
    wanted: dict[tuple[int | None, str], Decimal] = {(None, name): value for name, (_m, value) in team_checked.items()}
    for user_id, shares in member_checked.items():
        wanted.update({(user_id, name): value for name, (_m, value) in shares.items()})
    existing = {(row.user_id, row.metric): row for row in DayTarget.objects.filter(target_set=target_set)}
    for key, row in existing.items():
        value = wanted.get(key)
        if value is None and row.is_active:
            row.is_active = False
            row.save(update_fields=["is_active"])
        elif value is not None and (row.value != value or not row.is_active):
            row.value, row.is_active = value, True
            row.save(update_fields=["value", "is_active"])
    for (person_id, metric), number in wanted.items():
        if (person_id, metric) not in existing:
            DayTarget.objects.create(target_set=target_set, team=team, day=day, user_id=person_id, metric=metric,
                                     value=number)
    if not created:
        target_set.set_by = by
        target_set.save(update_fields=["set_by", "updated_at"])
    return target_set
