"""Setting targets (R22, R1 "manages"): the one implementation the API, the grid page and the sheet
import call.

Who may set a target: whoever manages its subject (``core.scope``): a person's by their lead, director or
an admin (nobody sets their own); a team's by its lead, its director or an admin; the organisation's by an
admin. A subject the caller does not see is not found (404); one they see but do not manage is refused (403).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from salesops.accounts.models import Team, User
from salesops.core.errors import Invalid, NotFound, PermissionDenied
from salesops.core.scope import scope_of
from salesops.core.versioning import locked_for_update, version_check
from salesops.performance import metrics as registry
from salesops.performance.engine import Subject
from salesops.performance.metrics import Level, Metric, Unit
from salesops.performance.periods import Period, PeriodKind
from salesops.performance.targets.models import SubjectKind, Target

#: The periods a target is set for (a day's targets are R4's daily targets).
TARGET_PERIODS = (PeriodKind.MONTH, PeriodKind.WEEK, PeriodKind.QUARTER)
#: The largest target: 14 digits before the point, as the column holds.
MAX_VALUE = Decimal("99999999999999.99")


@dataclass(frozen=True)
class Resolved:
    """A subject named by a caller, with its row (the person or the team; none for the organisation)."""

    subject: Subject
    user: User | None = None
    team: Team | None = None


def resolve_subject(*, by: User, subject: Subject) -> Resolved:
    """The subject's row if ``by`` manages it (R1); ``NotFound`` when unseen, ``PermissionDenied`` when seen
    but not managed."""
    scope = scope_of(by)
    if subject.level == Level.ORG:
        if not scope.everything:
            raise PermissionDenied(_("Only an admin sets the organisation's targets."))
        return Resolved(subject)
    if len(subject.ids) != 1:
        raise Invalid(fields={"scope": _("Give one person or one team.")})
    (pk,) = subject.ids
    if subject.level == Level.TEAM:
        team = Team.objects.visible_to(by).filter(pk=pk, is_active=True).first()
        if team is None:
            raise NotFound(_("No such team."))
        if not (scope.everything or team.pk in scope.team_ids):
            raise PermissionDenied(_("Only the team's lead, its director or an admin sets the team's targets."))
        return Resolved(subject, team=team)
    person = User.objects.visible_to(by).filter(pk=pk, is_active=True).first()
    if person is None:
        raise NotFound(_("No such person."))
    if not scope.manages(person):
        raise PermissionDenied(_("Only the person's lead, director or an admin sets their targets."))
    return Resolved(subject, user=person)


def check_period(period: Period) -> None:
    if period.kind not in TARGET_PERIODS:
        raise Invalid(fields={"period": _("A target is for a month (2026-11), an ISO week (2026-W48) or a "
                                          "quarter (2026-Q4).")})


def check_metric(name: str) -> Metric:
    if name not in registry.names():
        raise Invalid(fields={"metric": _("%(name)s is not a metric. The metrics are: %(known)s.")
                              % {"name": str(name)[:40], "known": ", ".join(registry.names())}})
    return registry.get(name)


def check_value(metric: Metric, value: Decimal | int | str) -> Decimal:
    """The value as stored: not negative, a whole number for a count, cents for an amount, a share of at
    most 1 for a rate (0.3 for 30 %)."""
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise Invalid(fields={"value": _("Give the target as a number.")}) from None
    if not number.is_finite() or number < 0:
        raise Invalid(fields={"value": _("A target is a number of at least 0.")})
    if number > MAX_VALUE:
        raise Invalid(fields={"value": _("That target is too large.")})
    if metric.unit == Unit.COUNT and number != number.to_integral_value():
        raise Invalid(fields={"value": _("%(metric)s is counted: give a whole number.") % {"metric": metric.label}})
    if metric.unit == Unit.RATE and number > 1:
        raise Invalid(fields={"value": _("A rate's target is a share of at most 1 (0.3 for 30 %).")})
    if number != number.quantize(Decimal("0.01")):
        raise Invalid(fields={"value": _("Give the target to the cent at most.")})
    return number.quantize(Decimal("0.01"))


def _lookup(subject: Subject, period: Period, metric: str) -> dict[str, str]:
    return {"subject": str(subject), "period": str(period), "metric": metric}


@transaction.atomic
def target_set(
    *, by: User, subject: Subject, period: Period, metric: str, value: Decimal | int | str,
    version: int | None = None,
) -> tuple[Target, bool]:
    """Set ``subject``'s target of ``metric`` for ``period`` (created, or changed when one is set: a stale
    ``version`` is a 409). Returns the target and whether it was created. A target cleared before is
    set again on the same row, so its history stays one."""
    check_period(period)
    measured = check_metric(metric)
    number = check_value(measured, value)
    resolved = resolve_subject(by=by, subject=subject)
    lookup = _lookup(subject, period, metric)
    existing = Target.objects.select_for_update().filter(**lookup).first()
    if existing is None:
        try:
            with transaction.atomic():
                created = Target.objects.create(
                    **lookup, subject_kind=SubjectKind(_kind(subject)), user=resolved.user, team=resolved.team,
                    period_kind=period.kind, starts_on=period.first, ends_on=period.last, value=number, set_by=by,
                )
            return created, True
        except IntegrityError:  # set at the same moment by someone else: change theirs like any other
            existing = Target.objects.select_for_update().get(**lookup)
    version_check(existing, version)
    existing.value, existing.is_active, existing.set_by = number, True, by
    existing.save(update_fields=["value", "is_active", "set_by", "updated_at"])
    return existing, False


def _kind(subject: Subject) -> str:
    return {Level.ORG: SubjectKind.ORG, Level.TEAM: SubjectKind.TEAM, Level.PERSON: SubjectKind.USER}[subject.level]


@transaction.atomic
def target_update(*, by: User, target: Target, value: Decimal | int | str, version: int | None = None) -> Target:
    """Change one target's value (the row as the caller read it: a stale ``version`` is a 409)."""
    subject = Subject.parse(target.subject)
    resolve_subject(by=by, subject=subject)
    locked = locked_for_update(Target.objects.all(), pk=target.pk, expected=version)
    locked.value = check_value(check_metric(locked.metric), value)
    locked.is_active, locked.set_by = True, by
    locked.save(update_fields=["value", "is_active", "set_by", "updated_at"])
    return locked


@transaction.atomic
def target_clear(*, by: User, target: Target, version: int | None = None) -> Target:
    """Remove a target from use (kept with its history, never deleted): the metric has no target again."""
    resolve_subject(by=by, subject=Subject.parse(target.subject))
    locked = locked_for_update(Target.objects.all(), pk=target.pk, expected=version)
    locked.is_active, locked.set_by = False, by
    locked.save(update_fields=["is_active", "set_by", "updated_at"])
    return locked
