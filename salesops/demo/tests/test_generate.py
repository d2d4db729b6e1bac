"""``salesops generate``: counts per scale, determinism, refusal, --wipe, scope relations (R1), the registry."""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import QuerySet
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from salesops.accounts import services
from salesops.accounts.models import Role, Team, User
from salesops.demo import registry
from salesops.demo.generator import GENERATED_PASSWORD, generated_users
from salesops.demo.registry import GeneratorContext
from salesops.organisation.models import CalendarDay, Organisation

CHINESE_NAME = re.compile(r"^[\u4e00-\u9fff]{2,3}$")
pytestmark = pytest.mark.django_db


def generate(*args: str) -> str:
    out = StringIO()
    call_command("generate", *args, stdout=out, verbosity=0)
    return out.getvalue()


@pytest.fixture
def clean_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "_demo_steps", dict(registry._demo_steps))
    monkeypatch.setattr(registry, "_generator_steps", dict(registry._generator_steps))


def people() -> list[tuple[str, str, str, str | None, str]]:
    return sorted(User.objects.values_list("username", "display_name", "role", "team__name", "phone"))


def teams() -> list[tuple[str, str | None, str | None]]:
    return sorted(Team.objects.values_list("name", "lead__username", "director__username"))


def role_counts() -> dict[str, int]:
    return {role: User.objects.filter(role=role).count() for role in Role.values}


def test_scale_s_counts() -> None:
    out = generate("--scale", "S")
    assert Team.objects.count() == 2
    assert role_counts() == {"rep": 20, "lead": 2, "director": 1, "admin": 1}
    for team in Team.objects.all():
        assert team.members.filter(role=Role.REP).count() == 10
    assert "26 rows" in out  # 24 people and 2 teams
    assert not User.objects.filter(is_active=False).exists()


def test_scale_m_counts_and_one_director_over_ten_teams() -> None:
    generate("--scale", "M")
    assert Team.objects.count() == 10
    assert role_counts() == {"rep": 100, "lead": 10, "director": 1, "admin": 1}
    director = User.objects.get(role=Role.DIRECTOR)
    assert set(Team.objects.values_list("director_id", flat=True)) == {director.pk}


def test_scale_l_has_a_director_per_ten_teams() -> None:
    generate("--scale", "L")
    assert Team.objects.count() == 100
    assert role_counts() == {"rep": 1000, "lead": 100, "director": 10, "admin": 1}
    for director in User.objects.filter(role=Role.DIRECTOR):
        assert director.directed_teams.count() == 10


def test_scope_relations_hold() -> None:
    """R1: every team has one lead who is its member; the director directs the team; admin and
    directors belong to no team; every rep sees exactly their team."""
    generate("--scale", "S")
    director = User.objects.get(role=Role.DIRECTOR)
    for team in Team.objects.select_related("lead"):
        assert team.lead is not None
        assert team.lead.role == Role.LEAD and team.lead.team_id == team.pk
        assert team.director_id == director.pk
    assert not User.objects.filter(role__in=[Role.ADMIN, Role.DIRECTOR], team__isnull=False).exists()
    assert not User.objects.filter(role__in=[Role.REP, Role.LEAD], team__isnull=True).exists()
    assert Team.objects.visible_to(director).count() == 2
    rep = User.objects.filter(role=Role.REP).earliest("pk")
    assert list(Team.objects.visible_to(rep)) == [rep.team]
    assert User.objects.visible_to(rep).count() == 11  # the rep's team: ten reps and the lead
    admin = User.objects.get(role=Role.ADMIN)
    assert admin.is_staff
    assert User.objects.visible_to(admin).count() == 24


def test_generated_people_look_real_and_log_in() -> None:
    generate("--scale", "S")
    for user in User.objects.all():
        assert CHINESE_NAME.match(user.display_name), user.display_name
        assert services.normalise_mobile(user.phone) == user.phone
    rep = User.objects.filter(role=Role.REP).earliest("pk")
    assert authenticate(RequestFactory().post("/login/"), username=rep.username, password=GENERATED_PASSWORD) == rep
    organisation = Organisation.load()
    assert organisation.setup_completed_at is not None
    assert organisation.name


def test_same_seed_same_data_other_seed_other_names() -> None:
    generate("--scale", "S", "--seed", "7")
    first_people, first_teams = people(), teams()
    generate("--scale", "S", "--seed", "7", "--wipe")
    assert people() == first_people
    assert teams() == first_teams
    generate("--scale", "S", "--seed", "8", "--wipe")
    assert [row[1] for row in people()] != [row[1] for row in first_people]
    assert [row[0] for row in people()] == [row[0] for row in first_people]  # login names follow the roles


def test_refuses_a_database_with_people() -> None:
    services.user_create(username="boss", password="Another-2026!", display_name="老板", role=Role.ADMIN)
    with pytest.raises(CommandError, match="already has people"):
        generate("--scale", "S")
    assert list(User.objects.values_list("username", flat=True)) == ["boss"]
    assert not Team.objects.exists()


def test_refuses_a_second_run_without_wipe() -> None:
    generate("--scale", "S")
    before = people()
    with pytest.raises(CommandError, match="--wipe"):
        generate("--scale", "M")
    assert people() == before


def test_wipe_replaces_generated_data_only() -> None:
    call_command("demo", stdout=StringIO(), verbosity=0)
    demo_people, demo_teams = people(), teams()
    lookalike = services.user_create(
        username="gen.real", password="Another-2026!", display_name="真人", role=Role.DIRECTOR,
        email="gen.real@example.com",
    )
    generate("--scale", "M", "--wipe")
    assert User.objects.count() == 14 + 1 + 112
    out = generate("--scale", "S", "--wipe")
    assert "Deleted 112 generated people" in out
    assert User.objects.count() == 14 + 1 + 24
    assert Team.objects.count() == 2 + 2
    assert set(demo_people) <= set(people())
    assert set(demo_teams) <= set(teams())
    assert User.objects.filter(pk=lookalike.pk).exists()
    assert generated_users().count() == 24


def test_generator_refuses_clashing_team_names() -> None:
    generate("--scale", "S", "--seed", "3")
    names = [row[0] for row in teams()]
    User.objects.filter(role=Role.REP).update(email="someone@example.com")  # no longer recognised as generated
    with pytest.raises(CommandError, match=names[0]):
        generate("--scale", "S", "--seed", "3", "--wipe")
    assert [row[0] for row in teams()] == names
    assert User.objects.count() == 24  # the wipe was rolled back with the refusal


def test_registered_generator_steps_batch_their_rows_and_wipe_them(clean_registry: None) -> None:
    calls: list[str] = []

    def days(ctx: GeneratorContext) -> None:
        calls.append(f"days:{len(ctx.rep_ids)}:{len(ctx.team_ids)}:{len(ctx.director_ids)}")
        start = dt.date(2030, 1, 1)
        rows = (CalendarDay(date=start + dt.timedelta(days=n), kind=CalendarDay.Kind.WORKDAY) for n in range(20))
        with CaptureQueriesContext(connection) as captured:
            ctx.bulk_create(CalendarDay, rows, total=20)
        inserts = [q for q in captured.captured_queries if q["sql"].lstrip().upper().startswith("INSERT")]
        calls.append(f"inserts:{len(inserts)}")

    def after(ctx: GeneratorContext) -> None:
        calls.append(f"after:{CalendarDay.objects.count()}")

    def wipe_days(generated: QuerySet[User]) -> None:
        calls.append(f"wipe:{generated.count()}")
        CalendarDay.objects.filter(date__year=2030).delete()

    registry.register_generator_step("days", days, wipe=wipe_days)
    registry.register_generator_step("after", after)
    out = generate("--scale", "S", "--batch-size", "7")
    assert calls == ["days:20:2:1", "inserts:3", "after:20"]
    assert re.search(r"days\s+20\s", out)
    assert "46 rows" in out
    calls.clear()
    generate("--scale", "S", "--wipe")
    assert calls[0] == "wipe:24"
    assert CalendarDay.objects.count() == 20  # wiped, then made again by the second run


def test_bad_batch_size_is_refused() -> None:
    with pytest.raises(CommandError, match="batch size"):
        generate("--scale", "S", "--batch-size", "0")
    assert not User.objects.exists()
