"""``salesops demo``: the demo organisation (R1 roles and scope), idempotence, logins, the demo registry."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import RequestFactory

from salesops.accounts import services
from salesops.accounts.models import Role, Team, User
from salesops.demo import registry
from salesops.demo.people import DEMO_ORG_NAME, DEMO_PASSWORD
from salesops.demo.registry import DemoContext
from salesops.organisation.models import Organisation, RuleSettings

CHINESE_NAME = re.compile(r"^[\u4e00-\u9fff]{2,3}$")
MAINLAND_MOBILE = re.compile(r"1[3-9][0-9]{9}")  # eleven digits, 13x to 19x
pytestmark = pytest.mark.django_db


def run_demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out, verbosity=0)
    return out.getvalue()


@pytest.fixture
def clean_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """Steps registered by a test disappear after it."""
    monkeypatch.setattr(registry, "_demo_steps", dict(registry._demo_steps))
    monkeypatch.setattr(registry, "_generator_steps", dict(registry._generator_steps))


def snapshot() -> dict[str, object]:
    return {
        "users": sorted(
            User.objects.values_list("username", "display_name", "role", "team__name", "phone", "password", "is_active")
        ),
        "teams": sorted(Team.objects.values_list("name", "lead__username", "director__username")),
        "user_history": User.history.count(),
        "team_history": Team.history.count(),
        "organisation": list(Organisation.objects.values_list("name", "setup_completed_at")),
        "rule_settings": RuleSettings.objects.count(),
    }


def test_demo_creates_the_organisation_of_r1() -> None:
    run_demo()
    assert User.objects.filter(role=Role.ADMIN).count() == 1
    assert User.objects.filter(role=Role.DIRECTOR).count() == 1
    director = User.objects.get(role=Role.DIRECTOR)
    teams = list(Team.objects.all())
    assert len(teams) == 2
    for team in teams:
        assert team.is_active
        assert team.lead is not None and team.lead.role == Role.LEAD and team.lead.team_id == team.pk
        assert team.director_id == director.pk
        assert team.members.filter(role=Role.REP).count() == 5
        assert team.members.count() == 6  # the lead and five reps
    assert User.objects.count() == 14
    assert not User.objects.filter(is_active=False).exists()
    assert User.objects.filter(role__in=[Role.ADMIN, Role.DIRECTOR], team__isnull=False).count() == 0


def test_demo_people_have_chinese_names_and_valid_mobiles() -> None:
    run_demo()
    phones = list(User.objects.values_list("phone", flat=True))
    assert len(set(phones)) == 14
    for user in User.objects.all():
        assert CHINESE_NAME.match(user.display_name), user.display_name
        assert MAINLAND_MOBILE.fullmatch(user.phone), user.phone


def test_demo_completes_the_setup_with_default_rule_settings() -> None:
    run_demo()
    organisation = Organisation.load()
    assert organisation.name == DEMO_ORG_NAME
    assert organisation.setup_completed_at is not None
    rules = RuleSettings.objects.get()
    for field in RuleSettings._meta.concrete_fields:
        if field.has_default() and field.name not in ("id", "updated_at"):
            assert getattr(rules, field.name) == field.get_default(), field.name


def test_demo_users_log_in_with_the_demo_password() -> None:
    run_demo()
    request = RequestFactory().post("/login/")
    for user in User.objects.all():
        assert authenticate(request, username=user.username, password=DEMO_PASSWORD) == user
    assert authenticate(request, username="admin", password="wrong-password") is None


def test_demo_prints_every_login() -> None:
    out = run_demo()
    assert out.count(DEMO_PASSWORD) == 14
    for user in User.objects.all():
        assert user.username in out
        assert user.display_name in out


def test_running_the_demo_twice_changes_nothing() -> None:
    run_demo()
    before = snapshot()
    out = run_demo()
    assert snapshot() == before
    assert "nothing was created" in out
    assert out.count(DEMO_PASSWORD) == 14


def test_demo_leaves_a_database_with_people_alone() -> None:
    services.user_create(username="boss", password="Another-2026!", display_name="老板", role=Role.ADMIN)
    out = run_demo()
    assert list(User.objects.values_list("username", flat=True)) == ["boss"]
    assert not Team.objects.exists()
    assert Organisation.load().setup_completed_at is None
    assert "nothing was created" in out
    assert "exist only in a database where the demo was loaded" in out


def test_logins_option_only_prints() -> None:
    out = run_demo("--logins")
    assert not User.objects.exists()
    assert not Team.objects.exists()
    assert out.count(DEMO_PASSWORD) == 14
    assert "admin" in out


def test_registered_demo_steps_run_in_order_after_the_people(clean_registry: None) -> None:
    seen: list[tuple[str, int, int, list[str]]] = []

    def first(ctx: DemoContext) -> None:
        teams = [team.name for team in ctx.teams]
        seen.append(("first", len(ctx.reps), len(ctx.reps_of(ctx.teams[0])), teams))

    def second(ctx: DemoContext) -> None:
        seen.append(("second", len(ctx.leads), User.objects.count(), [ctx.director.username, ctx.admin.username]))

    registry.register_demo_step("first", first)
    registry.register_demo_step("second", second)
    run_demo()
    assert seen == [
        ("first", 10, 5, ["华东大客户组", "华南渠道组"]),
        ("second", 2, 14, ["chen.zhiqiang", "admin"]),
    ]


def test_a_failing_demo_step_leaves_nothing_behind(clean_registry: None) -> None:
    def broken(ctx: DemoContext) -> None:
        raise RuntimeError("step failed")

    registry.register_demo_step("broken", broken)
    with pytest.raises(RuntimeError):
        run_demo()
    assert not User.objects.exists()
    assert not Team.objects.exists()
    assert Organisation.load().setup_completed_at is None


def test_a_step_name_cannot_be_taken_twice(clean_registry: None) -> None:
    def one(ctx: DemoContext) -> None:
        return None

    def other(ctx: DemoContext) -> None:
        return None

    registry.register_demo_step("customers", one)
    registry.register_demo_step("customers", one)  # the same registration again is harmless
    with pytest.raises(ImproperlyConfigured):
        registry.register_demo_step("customers", other)
    assert [step.func for step in registry.demo_steps()] == [one]
