"""First-run set-up (the manual's 新组建团队的流程搭建): admin only, step by step, finished only when a
team has a lead (R1) and at least one rep."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from salesops.accounts.models import Role, Team, User
from salesops.organisation.models import Organisation
from salesops.organisation.selectors import rule_settings
from salesops.organisation.setup import (
    organisation_complete_setup,
    organisation_update,
    teams_assign_leaders,
    teams_create,
)
from salesops.testing.actors import Actors
from salesops.testing.factories import TEST_PASSWORD, make_team, make_user

SETUP = "/setup/"


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def admin(db: None) -> User:
    return make_user(username="boss", display_name="王管理", role=Role.ADMIN, team=None, language="en")


@pytest.fixture
def admin_client(client: Client, admin: User) -> Client:
    client.force_login(admin)
    return client


def post(client: Client, step: str, **data: object) -> Any:
    return client.post(SETUP, {"step": step, **data})


def make_ready_team() -> tuple[Team, User, User]:
    team = make_team(name="华东一组")
    lead = make_user(username="chen", role=Role.LEAD, team=team, language="en")
    rep = make_user(username="zhang", role=Role.REP, team=team, language="en")
    return team, lead, rep


def test_fresh_install_superuser_lands_on_the_setup(client: Client, db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "root")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", TEST_PASSWORD)
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "root@example.com")
    call_command("createsuperuser", "--noinput", verbosity=0)
    root = User.objects.get(username="root")
    assert root.role == Role.ADMIN
    client.force_login(root)
    response = client.get("/")
    assert (response.status_code, response["Location"]) == (302, reverse("setup"))
    page = client.get(SETUP)
    assert page.status_code == 200
    assert page.context["step"] == "company"


def test_admin_pages_lead_to_the_setup_until_it_is_complete(admin_client: Client, admin: User) -> None:
    assert admin_client.get("/people/")["Location"] == SETUP
    team, lead, _rep = make_ready_team()
    Team.objects.filter(pk=team.pk).update(lead=lead)
    post(admin_client, "company", name="星辰科技有限公司")
    response = post(admin_client, "review")
    assert (response.status_code, response["Location"]) == (302, reverse("home"))
    assert Organisation.load().setup_completed_at is not None
    assert admin_client.get("/").status_code == 200
    after = admin_client.get(SETUP, follow=True)
    assert after.redirect_chain == [(reverse("home"), 302)]
    assert "The set-up is complete. Manage teams and people under Teams and people." in after.content.decode()


@pytest.mark.parametrize("who", ["director", "lead_a", "rep_a1"])
def test_only_an_admin_may_use_the_setup(client: Client, actors: Actors, who: str) -> None:
    Organisation.objects.filter(pk=1).update(setup_completed_at=None)
    client.force_login(getattr(actors, who))
    assert client.get(SETUP).status_code == 403
    assert client.post(SETUP, {"step": "company", "name": "x"}).status_code == 403
    assert Organisation.load().name == "星辰科技有限公司"
    assert client.get("/").status_code == 200


def test_anonymous_is_sent_to_login(client: Client, db: None) -> None:
    response = client.get(SETUP)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_step_company_saves_the_name_or_explains(admin_client: Client) -> None:
    bad = post(admin_client, "company", name="   ")
    assert bad.status_code == 200
    assert bad.context["form"].errors == {"name": ["This field is required."]}
    assert Organisation.load().name == ""
    good = post(admin_client, "company", name="  星辰科技有限公司 ")
    assert good["Location"] == f"{SETUP}?step=teams"
    assert Organisation.load().name == "星辰科技有限公司"


def test_step_teams_adds_several_teams_or_none(admin_client: Client) -> None:
    make_team(name="华南一组")
    bad = post(admin_client, "teams", names="华东一组\n华南一组\n华东一组")
    assert bad.context["form"].errors == {
        "names": ["华东一组 is listed twice.", "A team named 华南一组 exists already."],
    }
    assert list(Team.objects.values_list("name", flat=True)) == ["华南一组"]
    good = post(admin_client, "teams", names="华东一组\r\n\r\n 华东二组 \n")
    assert good["Location"] == f"{SETUP}?step=teams"
    assert sorted(Team.objects.values_list("name", flat=True)) == ["华东一组", "华东二组", "华南一组"]


def test_step_people_adds_one_person_through_the_service(admin_client: Client) -> None:
    team = make_team(name="华东一组")
    person = {"action": "person", "display_name": "张伟", "username": "zhangwei", "phone": "138 0000 0002",
              "role": "rep", "team": team.pk, "password": TEST_PASSWORD}
    bad = post(admin_client, "people", **{**person, "phone": "12345"})
    assert bad.context["person_form"].errors == {
        "phone": ["Enter a mainland mobile number of 11 digits, e.g. 13812345678."],
    }
    assert not User.objects.filter(username="zhangwei").exists()
    no_team = post(admin_client, "people", **{**person, "team": ""})
    assert no_team.context["person_form"].errors == {"team": ["Reps and team leads belong to a team."]}
    good = post(admin_client, "people", **person)
    assert good["Location"] == f"{SETUP}?step=people"
    created = User.objects.get(username="zhangwei")
    assert (created.display_name, created.role, created.team, created.phone) == ("张伟", Role.REP, team, "13800000002")
    assert created.check_password(TEST_PASSWORD)


def sheet(rows: list[list[str]]) -> bytes:
    workbook = openpyxl.Workbook()
    ws = workbook.active
    assert ws is not None
    ws.append(["姓名", "登录名", "手机", "角色", "团队", "初始密码"])
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_step_people_import_checks_then_commits_the_same_file(admin_client: Client) -> None:
    data = sheet([["陈组长", "chen", "", "团队负责人", "华东一组", TEST_PASSWORD],
                  ["张伟", "zhang", "", "销售人员", "华东一组", TEST_PASSWORD]])
    check = post(admin_client, "people", action="check", file=SimpleUploadedFile("p.xlsx", data))
    report = check.context["report"]
    assert (report.ok, len(report.people), User.objects.count(), Team.objects.count()) == (True, 2, 1, 0)
    assert 'name="action" value="commit"' in check.content.decode()
    no_digest = post(admin_client, "people", action="commit", file=SimpleUploadedFile("p.xlsx", data))
    assert no_digest.context["import_form"].non_field_errors() == ["Check the file before importing it."]
    assert User.objects.count() == 1
    upload = SimpleUploadedFile("p.xlsx", data)
    commit = post(admin_client, "people", action="commit", digest=report.digest, file=upload)
    assert commit["Location"] == f"{SETUP}?step=leaders"
    team = Team.objects.get(name="华东一组")
    assert sorted(team.members.values_list("username", flat=True)) == ["chen", "zhang"]
    assert team.lead is not None
    assert team.lead.username == "chen"


def test_step_people_import_with_errors_offers_no_commit(admin_client: Client) -> None:
    data = sheet([["张伟", "zhang", "", "boss", "华东一组", TEST_PASSWORD]])
    response = admin_client.post(
        SETUP, {"step": "people", "action": "check", "file": SimpleUploadedFile("p.xlsx", data)},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert "<html" not in html
    assert 'value="commit"' not in html
    assert "1 problem found: nothing was imported." in html
    assert Team.objects.count() == 0


def test_template_download_is_an_xlsx(admin_client: Client) -> None:
    response = admin_client.get(f"{SETUP}?download=template")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="people-template.xlsx"'
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [c.value for c in ws[1]] == ["姓名", "登录名", "手机", "角色", "团队", "初始密码"]


def test_step_leaders_sets_each_teams_lead_and_director(admin_client: Client) -> None:
    east, south = make_team(name="华东一组"), make_team(name="华南一组")
    chen = make_user(username="chen", role=Role.LEAD, team=east)
    lin = make_user(username="lin", role=Role.LEAD, team=south)
    zhao = make_user(username="zhao", role=Role.DIRECTOR, team=None)
    rep = make_user(username="rep", role=Role.REP, team=east)
    bad = post(admin_client, "leaders", **{f"lead_{east.pk}": rep.pk, f"lead_{south.pk}": lin.pk})
    assert bad.context["errors"] == ["华东一组: choose from the list."]
    assert Team.objects.filter(lead__isnull=False).count() == 0
    good = post(admin_client, "leaders", **{f"lead_{east.pk}": chen.pk, f"director_{east.pk}": zhao.pk,
                                            f"lead_{south.pk}": lin.pk, f"director_{south.pk}": ""})
    assert good["Location"] == f"{SETUP}?step=review"
    east.refresh_from_db()
    south.refresh_from_db()
    assert (east.lead, east.director, south.lead, south.director) == (chen, zhao, lin, None)
    post(admin_client, "leaders", **{f"lead_{east.pk}": lin.pk, f"lead_{south.pk}": chen.pk,
                                     f"director_{east.pk}": zhao.pk})
    east.refresh_from_db()
    south.refresh_from_db()
    assert (east.lead, south.lead) == (lin, chen)


def test_teams_assign_leaders_is_all_or_nothing(db: None) -> None:
    east, south = make_team(name="华东一组"), make_team(name="华南一组")
    chen = make_user(username="chen", display_name="陈组长", role=Role.LEAD, team=east)
    with pytest.raises(ValidationError) as caught:
        teams_assign_leaders(choices={east: (chen, None), south: (chen, None)})
    assert caught.value.messages == ["华南一组: 陈组长 already leads 华东一组."]
    assert Team.objects.filter(lead__isnull=False).count() == 0


def test_step_review_shows_the_rule_settings(admin_client: Client) -> None:
    rules = rule_settings()
    rules.followup_log_hours = 5
    rules.save()
    page = admin_client.get(f"{SETUP}?step=review")
    html = page.content.decode()
    assert f'href="{reverse("rule-settings")}"' in html
    rows = {row["name"]: row["value"] for row in page.context["rules"]}
    assert (rows["followup_log_hours"], rows["workday_start"], rows["weekly_review_weekday"]) == (5, "08:30", "Friday")
    assert '<dd data-rule="followup_log_hours">5' in html


def test_finishing_needs_a_team_with_a_lead_and_a_rep(admin_client: Client, admin: User) -> None:
    first = post(admin_client, "review")
    assert first.status_code == 400
    assert [m["message"] for m in first.context["missing"]] == ["Enter the company name.", "Add at least one team."]
    organisation_update(name="星辰科技有限公司")
    team = make_team(name="华东一组")
    lead = make_user(username="chen", role=Role.LEAD, team=team)
    no_lead = post(admin_client, "review")
    assert [m["message"] for m in no_lead.context["missing"]] == ["Pick a lead for at least one team."]
    teams_assign_leaders(choices={team: (lead, None)})
    no_rep = post(admin_client, "review")
    assert [m["message"] for m in no_rep.context["missing"]] == [
        "Add at least one sales rep to a team that has a lead."
    ]
    other = make_team(name="华南一组")
    make_user(username="lonely", role=Role.REP, team=other)
    assert post(admin_client, "review").status_code == 400
    assert Organisation.load().setup_completed_at is None
    make_user(username="zhang", role=Role.REP, team=team)
    done = post(admin_client, "review")
    assert (done.status_code, done["Location"]) == (302, reverse("home"))
    organisation = Organisation.load()
    assert organisation.setup_completed_at is not None
    assert organisation.history.latest().history_user == admin


def test_complete_setup_service_refuses_a_non_admin_and_a_second_time(admin: User) -> None:
    team, lead, rep = make_ready_team()
    teams_assign_leaders(choices={team: (lead, None)})
    organisation_update(name="星辰")
    with pytest.raises(PermissionDenied):
        organisation_complete_setup(by=rep)
    assert Organisation.load().setup_completed_at is None
    organisation_complete_setup(by=admin)
    with pytest.raises(ValidationError) as again:
        organisation_complete_setup(by=admin)
    assert again.value.messages == ["The set-up is complete already."]


def test_teams_create_needs_a_name(db: None) -> None:
    with pytest.raises(ValidationError) as caught:
        teams_create(names=["", "  "])
    assert caught.value.message_dict == {"names": ["Enter at least one team name, one a line."]}


def test_progress_shows_done_and_current_steps(admin_client: Client) -> None:
    organisation_update(name="星辰")
    make_team(name="华东一组")
    page = admin_client.get(SETUP)
    assert page.context["step"] == "people"
    assert [(s["key"], s["done"], s["current"]) for s in page.context["steps"]] == [
        ("company", True, False), ("teams", True, False), ("people", False, True),
        ("leaders", False, False), ("review", False, False),
    ]
    assert "Step 3 of 5: People" in page.content.decode()


def test_step_people_offers_every_sheet_format_the_import_reads(admin_client: Client) -> None:
    page = admin_client.get(f"{SETUP}?step=people").content.decode()
    accept = page.split('accept="', 1)[1].split('"', 1)[0].split(",")
    assert {".xlsx", ".xls", ".ods", ".csv", "application/vnd.ms-excel"} <= set(accept)
    assert "OpenDocument spreadsheet (.ods)" in page
