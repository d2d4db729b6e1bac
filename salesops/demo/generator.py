"""Benchmark data: ``salesops generate --scale S|M|L [--seed N] [--wipe]``.

The same scale and seed give the same data (names, phones, teams, and whatever the registered steps
draw from their own seeded streams). Rows go in with ``bulk_create`` in batches, never a query per row,
so the later steps can add millions (500 customers per rep, 10 follow-ups per customer at L). Bulk
inserts write no history rows: history records edits, and generated rows were never edited.

Generated people are recognised by two marks together: a login name starting with ``gen.`` and an
e-mail address at ``generated.invalid`` (a domain that cannot exist, RFC 2606), so ``--wipe`` never
touches a person someone created. Generated teams are the teams that have generated members and no
other member.

The people are made in one transaction and each registered step in its own, so no single transaction
spans millions of rows of every step; if a step fails, run the command again with ``--wipe``.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from salesops.accounts.models import Role, Team, User
from salesops.core.clock import local_today
from salesops.core.dbstats import statistics_refresh
from salesops.demo.names import chinese_name, mobile, team_names
from salesops.demo.registry import GeneratorContext, Progress, Scale, generator_steps, step_rng
from salesops.organisation.models import Organisation
from salesops.organisation.setup import organisation_complete_setup, organisation_update

SCALES = {
    "S": Scale("S", teams=2, reps_per_team=10),
    "M": Scale("M", teams=10, reps_per_team=10),
    "L": Scale("L", teams=100, reps_per_team=10),
}
# Shared by every generated person and hashed once: argon2 takes 0.1-0.25 s a hash, minutes for 1,111 people.
GENERATED_PASSWORD = "Bench-2026!"
USERNAME_PREFIX = "gen."
EMAIL_DOMAIN = "generated.invalid"
GENERATED_ORG_NAME = "星辰智能科技有限公司"


class GeneratorRefusedError(Exception):
    """The database is not one the generator may write to (people exist, or team names clash)."""


@dataclass
class GenerateReport:
    scale: Scale
    seed: int
    seconds: float = 0.0  # creating rows, without the wipe
    wiped_people: int = 0
    wipe_seconds: float = 0.0
    rows: Counter[str] = field(default_factory=Counter)
    steps: list[tuple[str, int, float]] = field(default_factory=list)

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())

    @property
    def rows_per_second(self) -> float:
        return self.total_rows / self.seconds if self.seconds > 0 else 0.0


def generated_users() -> QuerySet[User]:
    return User.objects.filter(username__startswith=USERNAME_PREFIX, email__endswith=f"@{EMAIL_DOMAIN}")


def generated_team_ids() -> set[int]:
    """Teams with generated members and no other member (read before the generated people go)."""
    with_generated = set(generated_users().filter(team__isnull=False).values_list("team_id", flat=True))
    with_others = set(
        User.objects.filter(team_id__in=with_generated)
        .exclude(pk__in=generated_users().values("pk"))
        .values_list("team_id", flat=True)
    )
    return with_generated - with_others


@transaction.atomic
def wipe_generated() -> int:
    """Delete generated data: each step's rows (last step first), then generated people and teams."""
    team_ids = generated_team_ids()
    for step in reversed(generator_steps()):
        if step.wipe is not None:
            step.wipe(generated_users())
    people = generated_users().count()
    generated_users().delete()
    Team.objects.filter(pk__in=team_ids).delete()
    return people


def generate(
    *,
    scale: Scale,
    seed: int,
    wipe: bool = False,
    today: dt.date | None = None,
    progress: bool = True,
    batch_size: int = 2000,
) -> GenerateReport:
    """Create the people of ``scale`` and run every registered generator step; see the module docstring."""
    report = GenerateReport(scale=scale, seed=seed)
    with transaction.atomic():
        if wipe:
            wipe_started = time.perf_counter()
            report.wiped_people = wipe_generated()
            report.wipe_seconds = time.perf_counter() - wipe_started
        elif User.objects.exists():
            raise GeneratorRefusedError(
                _("The database already has people. Use a fresh database, or add --wipe to replace generated data.")
            )
        started = time.perf_counter()
        ctx = _create_people(scale, seed, today or local_today(), Progress(progress), batch_size)
    report.steps.append(("people", sum(ctx.counts.values()), time.perf_counter() - started))
    for step in generator_steps():
        step_started, before = time.perf_counter(), sum(ctx.counts.values())
        ctx.rng = step_rng(seed, step.name)
        with transaction.atomic():
            step.func(ctx)
        report.steps.append((step.name, sum(ctx.counts.values()) - before, time.perf_counter() - step_started))
    step_started = time.perf_counter()
    statistics_refresh(vacuum=True)  # the planner must know the new shape of the tables before anyone reads them
    report.steps.append(("statistics", 0, time.perf_counter() - step_started))
    report.rows = ctx.counts
    report.seconds = time.perf_counter() - started
    return report


def _create_people(scale: Scale, seed: int, today: dt.date, progress: Progress, batch_size: int) -> GeneratorContext:
    """One admin, a director per ten teams, the teams, a lead per team and the reps, in five bulk inserts."""
    rng = step_rng(seed, "people")
    names = team_names(rng, scale.teams)
    clash = list(Team.objects.filter(name__in=names).values_list("name", flat=True)[:5])
    if clash:
        raise GeneratorRefusedError(_("Teams named %(names)s exist already.") % {"names": "、".join(clash)})
    password = make_password(GENERATED_PASSWORD)

    def person(username: str, role: str, team_id: int | None = None) -> User:
        login = f"{USERNAME_PREFIX}{username}"
        return User(
            username=login,
            display_name=chinese_name(rng),
            phone=mobile(rng),
            email=f"{login}@{EMAIL_DOMAIN}",
            role=role,
            team_id=team_id,
            password=password,
            is_staff=role == Role.ADMIN,  # what User.save() would set; bulk inserts do not call it
        )

    ctx = GeneratorContext(
        scale=scale, seed=seed, today=today, rng=rng, admin_id=0, director_ids=[], team_ids=[], lead_by_team={},
        reps_by_team={}, batch_size=batch_size, progress=progress,
    )
    top = [person("admin", Role.ADMIN)] + [
        person(f"director{i:04d}", Role.DIRECTOR) for i in range(1, scale.directors + 1)
    ]
    admin, *directors = ctx.bulk_create(User, top, total=len(top), desc=_("Admin and directors"), keep=True)
    teams = ctx.bulk_create(
        Team,
        (Team(name=name, director_id=directors[i // 10].pk) for i, name in enumerate(names)),
        total=scale.teams,
        desc=_("Teams"),
        keep=True,
    )
    leads = ctx.bulk_create(
        User,
        (person(f"lead{i:04d}", Role.LEAD, team.pk) for i, team in enumerate(teams, start=1)),
        total=scale.teams,
        desc=_("Team leads"),
        keep=True,
    )
    for team, lead in zip(teams, leads, strict=True):
        team.lead_id = lead.pk
    Team.objects.bulk_update(teams, ["lead"], batch_size=500)
    reps = ctx.bulk_create(
        User,
        (
            person(f"rep{n * scale.reps_per_team + k + 1:04d}", Role.REP, team.pk)
            for n, team in enumerate(teams)
            for k in range(scale.reps_per_team)
        ),
        total=scale.reps,
        desc=_("Sales reps"),
        keep=True,
    )
    organisation = Organisation.load()
    if organisation.setup_completed_at is None:
        if not organisation.name:
            organisation_update(name=GENERATED_ORG_NAME)
        organisation_complete_setup(by=admin)
    ctx.admin_id = admin.pk
    ctx.director_ids = [director.pk for director in directors]
    ctx.team_ids = [team.pk for team in teams]
    ctx.lead_by_team = {team.pk: lead.pk for team, lead in zip(teams, leads, strict=True)}
    ctx.reps_by_team = {team.pk: [] for team in teams}
    for rep in reps:
        assert rep.team_id is not None
        ctx.reps_by_team[rep.team_id].append(rep.pk)
    return ctx
