"""Services of the first-run set-up (the manual's 新组建团队的流程搭建): a new team runs the manual's
process from day one, so the set-up ends only when the company has a name and at least one team with a
lead and a rep (R1 roles). Teams and people are made by the accounts services; these add the set-up's own
rules: several teams at once, leads and directors of every team at once, and the completion check."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from salesops.accounts.models import Role, Team, User
from salesops.accounts.services import team_create, team_update
from salesops.organisation.models import Organisation


@transaction.atomic
def organisation_update(*, name: str) -> Organisation:
    """Step 1: the company name shown on every page."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Enter the company name.")})
    if len(name) > 100:
        raise ValidationError({"name": _("The company name has at most 100 characters.")})
    organisation = Organisation.for_update()
    organisation.name = name
    organisation.save(update_fields=["name"])
    return organisation


@transaction.atomic
def teams_create(*, names: Iterable[str]) -> list[Team]:
    """Step 2: several teams at once (one name a line); all of them or none."""
    wanted: list[str] = []
    errors: list[str] = []
    for raw in names:
        name = raw.strip()
        if not name:
            continue
        if name.lower() in (other.lower() for other in wanted):
            errors.append(_("%(name)s is listed twice.") % {"name": name})
            continue
        wanted.append(name)
    if not wanted and not errors:
        raise ValidationError({"names": _("Enter at least one team name, one a line.")})
    created: list[Team] = []
    for name in wanted:
        try:
            created.append(team_create(name=name))
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError({"names": errors})
    return created


@transaction.atomic
def teams_assign_leaders(*, choices: dict[Team, tuple[User | None, User | None]]) -> list[Team]:
    """Step 4: the lead and the director of each team (team → (lead, director)); all of them or none.

    Teams whose lead and director stay as they are are left alone. Leads are first taken off the teams
    whose lead changes, so two teams can swap leads in one go; ``team_update`` checks each choice.
    """
    changing = [team for team, (lead, _director) in choices.items() if team.lead_id != (lead.pk if lead else None)]
    for team in changing:
        team_update(team=team, lead=None)
    errors: list[str] = []
    updated: list[Team] = []
    for team, (lead, director) in choices.items():
        if team not in changing and team.director_id == (director.pk if director else None):
            continue
        try:
            if team in changing:
                updated.append(team_update(team=team, lead=lead, director=director))
            else:
                updated.append(team_update(team=team, director=director))
        except ValidationError as exc:
            errors.extend(_("%(team)s: %(message)s") % {"team": team.name, "message": message}
                          for message in exc.messages)
    if errors:
        raise ValidationError(errors)
    return updated


def setup_missing() -> dict[str, str]:
    """What still keeps the set-up from completing, by step: company, teams, leaders, people."""
    missing: dict[str, str] = {}
    if not Organisation.load().name.strip():
        missing["company"] = _("Enter the company name.")
    teams = Team.objects.filter(is_active=True)
    if not teams.exists():
        missing["teams"] = _("Add at least one team.")
        return missing
    led = teams.filter(lead__isnull=False, lead__is_active=True)
    if not led.exists():
        missing["leaders"] = _("Pick a lead for at least one team.")
    elif not led.filter(members__role=Role.REP, members__is_active=True).exists():
        missing["people"] = _("Add at least one sales rep to a team that has a lead.")
    return missing


@transaction.atomic
def organisation_complete_setup(*, by: User) -> Organisation:
    """Step 5: end the set-up; it needs a company name and a team with a lead and at least one rep."""
    if not by.has_perm("organisation.run_setup"):
        raise PermissionDenied(_("Only an admin may complete the set-up."))
    organisation = Organisation.for_update()
    if organisation.setup_completed_at is not None:
        raise ValidationError(_("The set-up is complete already."))
    missing = setup_missing()
    if missing:
        raise ValidationError(missing)
    organisation.setup_completed_at = timezone.now()
    organisation._history_user = by  # type: ignore[attr-defined]
    organisation.save(update_fields=["setup_completed_at"])
    return organisation
