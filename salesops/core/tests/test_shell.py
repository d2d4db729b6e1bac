"""The shell around every page: the customer search box in the header, the site icon, the words of the menu
pages' headings."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from salesops.home.context_processors import NAVIGATION
from salesops.testing.actors import Actors

MENU_PAGES = [name for name, _label, _perm in NAVIGATION]
SEARCH_FORM = re.compile(
    r'<form class="site-search" role="search" method="get" action="(?P<action>[^"]+)"[^>]*>(?P<body>.*?)</form>', re.S
)


@pytest.mark.parametrize("url_name", [*MENU_PAGES, "account"])
def test_every_page_has_the_customer_search_box(client: Client, actors: Actors, url_name: str) -> None:
    client.force_login(actors.admin)
    html = client.get(reverse(url_name)).content.decode()
    form = SEARCH_FORM.search(html)
    assert form is not None
    assert form["action"] == reverse("customers")
    assert 'type="search"' in form["body"] and 'name="q"' in form["body"]
    assert '<label class="sr-only" for="site-search-q">按名称、电话或拼音首字母搜索客户</label>' in form["body"]


def test_the_search_box_sends_the_words_to_the_customer_search(client: Client, actors: Actors) -> None:
    """Its target is the customer list's own search (q): what it finds is that search's business."""
    from salesops.customers.services import customer_create

    customer_create(by=actors.rep_a1, name="杭州禾木新材料科技有限公司")
    customer_create(by=actors.rep_a1, name="苏州聚凯电子有限公司")
    client.force_login(actors.rep_a1)
    html = client.get(reverse("customers"), {"q": "杭州禾木"}).content.decode()
    assert "杭州禾木新材料科技有限公司" in html
    assert "苏州聚凯电子有限公司" not in html


def test_the_error_page_has_the_search_box_too(client: Client, actors: Actors) -> None:
    client.force_login(actors.rep_a1)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert SEARCH_FORM.search(response.content.decode()) is not None


def test_favicon_ico_leads_to_the_site_icon(client: Client, org: object) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/img/favicon.svg"
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    assert icon["Content-Type"] == "image/svg+xml"
    assert b"<svg" in b"".join(icon.streaming_content)  # type: ignore[attr-defined]


def test_favicon_is_not_caught_by_the_first_run_setup(client: Client, actors: Actors) -> None:
    from salesops.organisation.models import Organisation

    Organisation.objects.update(setup_completed_at=None)
    client.force_login(actors.admin)
    assert client.get("/").status_code == 302  # the admin's pages lead to the set-up...
    assert client.get("/favicon.ico")["Location"] == "/static/img/favicon.svg"  # ...the icon does not


def test_the_team_overdue_page_heads_the_person_column_as_the_person(client: Client, actors: Actors) -> None:
    """The director's page said 个人信息 ("personal details", the admin's fieldset) above the names."""
    client.force_login(actors.director)
    html = client.get(reverse("team-overdue")).content.decode()
    assert "<th>人员</th>" in html
    assert "个人信息" not in html
    actors.director.language = "en"
    actors.director.save(update_fields=["language"])
    assert "<th>Person</th>" in client.get(reverse("team-overdue")).content.decode()
