"""Writes of the morning brief (R3): generate and store the briefs of a day, for every team (the
``morning_brief`` job) or for one team on the lead's demand."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from salesops.accounts.models import Team, User
from salesops.core.errors import PermissionDenied
from salesops.core.scope import scope_of
from salesops.daily.brief.content import briefs_content
from salesops.daily.brief.models import Brief


def _store(teams: list[Team], day: dt.date, by: User | None) -> int:
    """Each team's brief of ``day`` written afresh (one row per team and day: generating again replaces
    it, so the job is idempotent per date)."""
    now = timezone.now()
    contents = briefs_content(teams=teams, day=day)
    existing = {row.team_id: row for row in Brief.objects.filter(team__in=teams, date=day)}
    fresh, changed = [], []
    for team in teams:
        content = {**contents[team.pk], "generated_at": now.isoformat()}
        row = existing.get(team.pk)
        if row is None:
            fresh.append(Brief(team=team, date=day, content=content, generated_at=now, generated_by=by))
        else:
            row.content, row.generated_at, row.generated_by = content, now, by
            changed.append(row)
    Brief.objects.bulk_create(fresh, batch_size=200)
    Brief.objects.bulk_update(changed, ["content", "generated_at", "generated_by"], batch_size=200)
    return len(teams)


@transaction.atomic
def briefs_generate(*, day: dt.date, teams: Iterable[Team] | None = None) -> dict[str, int]:
    """R3: the briefs of ``day`` of ``teams`` (every active team by default), stored."""
    chosen = list(teams) if teams is not None else list(Team.objects.filter(is_active=True).order_by("pk"))
    return {"teams": _store(chosen, day, None) if chosen else 0}


@transaction.atomic
def brief_generate(*, team: Team, day: dt.date, by: User) -> Brief:
    """R3 on demand: the lead (or whoever manages the team: its director, an admin) generates the team's
    brief of ``day`` again, with the figures and summaries as they stand now; a rep may not."""
    scope = scope_of(by)
    if not (scope.everything or team.pk in scope.team_ids):
        raise PermissionDenied(_("Only the team's lead, its director or an admin may generate the brief again."))
    _store([team], day, by)
    return Brief.objects.get(team=team, date=day)
