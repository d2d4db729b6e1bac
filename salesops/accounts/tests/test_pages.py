"""Login, language choice and the people pages (R1, zh-Hans first, English second)."""

from __future__ import annotations

import pytest

from salesops.accounts import services
from salesops.accounts.models import Team, User

pytestmark = pytest.mark.django_db


def test_login_page_is_chinese_by_default(org, client):
    body = client.get("/login/").content.decode()
    assert '<html lang="zh-hans">' in body


def test_language_choice_is_stored_on_the_user(actors, client):
    client.force_login(actors.rep_a1)
    response = client.post("/account/language/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    actors.rep_a1.refresh_from_db()
    assert actors.rep_a1.language == "en"
    # a new session (another device) still gets English from the user, not from a cookie
    other = client.__class__()
    other.force_login(actors.rep_a1)
    assert '<html lang="en">' in other.get("/").content.decode()


def test_language_switch_refuses_unknown_language_and_foreign_redirects(actors, client):
    client.force_login(actors.rep_a1)
    response = client.post("/account/language/", {"language": "xx", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    actors.rep_a1.refresh_from_db()
    assert actors.rep_a1.language == "zh-hans"


def test_language_switch_needs_post(actors, client):
    client.force_login(actors.rep_a1)
    assert client.get("/account/language/").status_code == 405


def test_anonymous_language_choice_uses_a_cookie(org, client):
    client.post("/account/language/", {"language": "en", "next": "/login/"})
    assert '<html lang="en">' in client.get("/login/").content.decode()


def test_pages_need_login(org, client):
    for path in ("/", "/people/", "/account/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")


def test_navigation_shows_only_what_the_role_may_use(actors, client):
    client.force_login(actors.rep_a1)
    rep_page = client.get("/").content.decode()
    assert "/settings/rules/" not in rep_page
    assert "/admin/" not in rep_page
    client.force_login(actors.admin)
    admin_page = client.get("/").content.decode()
    assert "/settings/rules/" in admin_page
    assert "/admin/" in admin_page


def test_people_page_queries_do_not_grow_with_people(actors, client, django_assert_max_num_queries):
    client.force_login(actors.admin)
    with django_assert_max_num_queries(12):
        client.get("/people/")
    team = Team.objects.create(name="新增组")
    for i in range(20):
        User.objects.create(username=f"extra{i}", display_name=f"新人{i}", team=team)
    with django_assert_max_num_queries(12):
        assert client.get("/people/").status_code == 200


def test_admin_pages_work_and_refuse_invalid_team_leads(actors, client):
    services.user_set_language(user=actors.admin, language="en")
    client.force_login(actors.admin)
    assert client.get("/admin/accounts/user/").status_code == 200
    assert client.get("/admin/accounts/team/").status_code == 200
    response = client.post(f"/admin/accounts/team/{actors.team_b.pk}/change/", {
        "name": actors.team_b.name, "lead": actors.rep_b1.pk, "director": "", "version": actors.team_b.version,
    })
    assert response.status_code == 200  # the form comes back with the error
    assert "is not an active team lead" in response.content.decode()
    actors.team_b.refresh_from_db()
    assert actors.team_b.lead == actors.lead_b


def test_non_admins_cannot_open_the_management_pages(actors, client):
    client.force_login(actors.lead_a)
    response = client.get("/admin/accounts/user/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_first_admin_is_led_to_setup(db, client):
    admin = User.objects.create_superuser("root", "root@example.com", "Kehu-Genjin-88")
    client.force_login(admin)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/setup/"
