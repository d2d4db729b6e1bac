"""Pages of the morning brief (R3, R26): the desk page, the meeting view, the printable page and the sheet
show the same sections; the sheet is safe from formula injection; the queries stay few as the team grows;
a team outside scope is a 404 page; a rep may not generate the brief again."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any
from urllib.parse import quote

import openpyxl
import pytest
from django.test import Client
from django.utils.html import escape

from salesops.customers.models import Customer
from salesops.daily.brief.display import sections
from salesops.daily.brief.models import Brief
from salesops.daily.brief.selectors import brief_of
from salesops.daily.targets.services import day_targets_save
from salesops.testing.actors import Actors
from salesops.testing.factories import make_user

MONDAY = dt.date(2026, 11, 23)
FRIDAY = dt.date(2026, 11, 20)
PAGES = ("/briefs/", "/briefs/meeting/", "/briefs/print/")


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def query(actors: Actors) -> dict[str, Any]:
    return {"team": actors.team_a.pk, "date": MONDAY.isoformat()}


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_every_page_shows_every_section(actors: Actors, path: str) -> None:
    Customer.objects.create(name="杭州远帆纺织有限公司", name_key="x", owner=actors.rep_a1, grade="A")
    titles = [section.title for section in sections(brief_of(team=actors.team_a, day=MONDAY,
                                                             reader=actors.lead_a).content)]
    page = logged_in(actors.lead_a).get(path, query(actors))
    assert page.status_code == 200
    text = page.content.decode()
    assert all(escape(title) in text for title in titles)
    assert "杭州远帆纺织有限公司" in text


@pytest.mark.django_db
def test_the_meeting_view_pages_one_section_per_screen(actors: Actors) -> None:
    text = logged_in(actors.lead_a).get("/briefs/meeting/", query(actors)).content.decode()
    slides = text.count("data-slide ")
    assert slides == len(sections(brief_of(team=actors.team_a, day=MONDAY, reader=actors.lead_a).content)) + 1
    assert text.count("data-slide hidden") == slides - 1  # the cover first, every other section hidden
    assert "daily/meeting.js" in text and "echarts.min.js" in text
    assert f"1</span> / {slides}" in text


@pytest.mark.django_db
def test_the_sheet_carries_the_pages_fields_safe_from_formulas(actors: Actors) -> None:
    a = actors
    Customer.objects.create(name="=HYPERLINK(\"http://x\")公司", name_key="y", owner=a.rep_a1, grade="A")
    day_targets_save(by=a.lead_a, team=a.team_a, day=FRIDAY, team_values={"visits": 4},
                     members={a.rep_a1.pk: {"visits": 2}, a.rep_a2.pk: {"visits": 2}})
    answer: Any = logged_in(a.lead_a).get("/briefs/brief.xlsx", query(a))
    assert answer.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(answer.streaming_content)))
    shown = sections(brief_of(team=a.team_a, day=MONDAY, reader=a.lead_a).content)
    assert len(book.sheetnames) == len(shown)
    customers = book.worksheets[[section.key for section in shown].index("customers")]
    assert [cell.value for cell in customers[1]] == shown[2].header
    assert customers["A2"].value.startswith("'=HYPERLINK")
    figures = book.worksheets[0]
    header = [cell.value for cell in figures[1]]
    team_row = [cell.value for cell in figures[2]]
    assert team_row[header.index(shown[0].sheet_header[2])] == 4  # the team's visits target, a number


@pytest.mark.django_db
def test_pages_of_another_team_are_not_found_and_a_rep_may_not_generate(actors: Actors) -> None:
    for path in PAGES:
        assert logged_in(actors.lead_b).get(path, query(actors)).status_code == 404
    rep = logged_in(actors.rep_a1)
    assert rep.get("/briefs/", query(actors)).status_code == 200
    assert rep.post("/briefs/generate/", query(actors)).status_code == 403
    assert not Brief.objects.exists()
    answer = logged_in(actors.lead_a).post("/briefs/generate/", query(actors))
    assert answer.status_code == 302 and Brief.objects.filter(team=actors.team_a, date=MONDAY).exists()


@pytest.mark.django_db
def test_a_day_off_on_the_page_is_a_note_not_an_error(actors: Actors) -> None:
    page = logged_in(actors.lead_a).get("/briefs/", {"team": str(actors.team_a.pk), "date": "2026-11-22"})
    assert page.status_code == 200
    assert 'data-testid="date-note"' in page.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_the_pages_cost_the_same_queries_for_a_bigger_team(actors: Actors, path: str,
                                                           django_assert_max_num_queries: Any) -> None:
    """The brief reads its parts for the whole team at once: more people and customers, no more queries."""
    client = logged_in(actors.lead_a)
    client.get(path, query(actors))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(path, query(actors))
    for number in range(6):
        person = make_user(username=f"extra{number}", display_name=f"新人{number}", team=actors.team_a)
        for grade_a in range(3):
            Customer.objects.create(name=f"新人{number}客户{grade_a}", name_key=f"n{number}-{grade_a}", owner=person,
                                    grade="A")
    with django_assert_max_num_queries(len(small)):
        client.get(path, query(actors))
    assert len(small) <= 30


@pytest.mark.django_db
def test_the_brief_links_to_raising_a_problem_and_sharing_a_success_case(actors: Actors) -> None:
    """R5, R6: raised from the brief, which the form comes back to."""
    text = logged_in(actors.rep_a1).get("/briefs/", query(actors)).content.decode()
    back = escape(quote(f"/briefs/?team={actors.team_a.pk}&date={MONDAY.isoformat()}", safe="/"))
    assert f'href="/problems/new/?source=brief&amp;next={back}"' in text
    assert f'href="/success-cases/new/?source=brief&amp;next={back}"' in text
