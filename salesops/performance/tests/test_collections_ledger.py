"""The collection ledger page and its sheet (R13, R21, R26): per person, team and organisation, figures from
the engine, totals equal to the sum of their lines, R1 on people and teams, money as numeric cells."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.utils import translation

from salesops.core.clock import local_today
from salesops.performance.ledger import collection_ledger
from salesops.performance.periods import Period
from salesops.testing.money_factories import make_contract, make_payment, make_plan

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def month() -> Period:
    return Period.containing("month", local_today())


@pytest.fixture
def money(actors, month):
    """This month: rep_a1 ¥100 due (¥60 in), rep_a2 ¥50 due on the first (nothing in), lead_a ¥30 due (all
    in), rep_b1 ¥200 due (¥200 in), rep_c1 ¥10 due (nothing)."""
    first = month.first
    for owner, amount, received in ((actors.rep_a1, "100.00", "60.00"), (actors.rep_a2, "50.00", None),
                                    (actors.lead_a, "30.00", "30.00"), (actors.rep_b1, "200.00", "200.00"),
                                    (actors.rep_c1, "10.00", None)):
        instalment = make_plan(make_contract(owner, amount=amount, signed_at=first), [(first, amount)])[0]
        if received:
            make_payment(instalment, received, first)
    return actors


def sums(ledger, name):
    return sum((getattr(line, name) for line in ledger.lines), D("0.00"))


@pytest.mark.parametrize("name", ["lead_a", "director", "admin"])
def test_the_total_line_is_the_sum_of_the_lines(money, month, name):
    ledger = collection_ledger(user=getattr(money, name), period=month, today=local_today())
    for field in ("due", "received", "outstanding", "overdue", "collections"):
        assert getattr(ledger.total, field) == sums(ledger, field), field
    assert ledger.total.rate == pytest.approx(float(sums(ledger, "received") / sums(ledger, "due")))


def test_each_role_reads_its_own_level(money, month):
    today = local_today()
    rep = collection_ledger(user=money.rep_a1, period=month, today=today)
    assert [(line.label, line.due, line.received) for line in rep.lines] == [("张伟", D("100.00"), D("60.00"))]
    lead = collection_ledger(user=money.lead_a, period=month, today=today)
    assert (lead.title, lead.total.due, lead.total.received) == ("华东一组", D("180.00"), D("90.00"))
    assert {line.label for line in lead.lines} == {"陈组长", "张伟", "李娜"}
    director = collection_ledger(user=money.director, period=month, today=today)
    assert [(line.label, line.due) for line in director.lines] == [("华东一组", D("180.00")), ("华东二组", D("200.00"))]
    admin = collection_ledger(user=money.admin, period=month, today=today)
    assert (admin.total.due, admin.total.received, admin.total.collections) == (D("390.00"), D("290.00"),
                                                                                D("290.00"))
    picked = collection_ledger(user=money.director, period=month, today=today, team=str(money.team_b.pk))
    assert [line.label for line in picked.lines] == ["林组长", "王芳"]


@pytest.mark.parametrize(("name", "target"), [
    ("rep_a1", "rep_a2"), ("lead_a", "rep_b1"), ("director", "rep_c1"), ("lead_b", "lead_a"),
])
def test_nobody_reads_the_ledger_of_someone_they_do_not_manage(client, money, name, target):
    client.force_login(getattr(money, name))
    assert client.get(f"/collections/?person={getattr(money, target).pk}").status_code == 404


@pytest.mark.parametrize(("name", "team"), [("lead_a", "team_b"), ("director", "team_c"), ("rep_a1", "team_a")])
def test_nobody_reads_the_ledger_of_a_team_not_theirs(client, money, name, team):
    client.force_login(getattr(money, name))
    assert client.get(f"/collections/?team={getattr(money, team).pk}").status_code == 404


def test_the_page_shows_the_lines_the_chart_and_the_instalments(client, money, month):
    client.force_login(money.lead_a)
    page = client.get(f"/collections/?period={month}")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-chart="ledger-chart"' in text
    assert "¥180.00" in text and "50.0%" in text  # the team's due and rate (90 / 180)
    assert text.count('data-testid="line"') == 3
    assert text.count('data-testid="instalment-') == 3
    overdue_only = client.get(f"/collections/?period={month}&status=received").content.decode()
    assert overdue_only.count('data-testid="instalment-') == 1


def test_a_period_that_is_not_one_is_named_and_this_month_shown(client, money, month):
    client.force_login(money.rep_a1)
    page = client.get("/collections/?period=2026-13").content.decode()
    assert 'data-testid="period-note"' in page
    assert f'data-testid="period">{month}<' in page


def test_the_sheet_has_money_as_numbers_with_two_decimals_and_is_formula_safe(client, money, month):
    money.rep_a2.display_name = "=HYPERLINK(\"http://x\")"
    money.rep_a2.save()
    client.force_login(money.lead_a)
    answer = client.get(f"/collections/ledger.xlsx?period={month}")
    assert answer.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(answer.streaming_content)))
    sheet = book.active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    by_name = {row[0]: row for row in rows}
    assert by_name["张伟"][2:6] == (100, 60, 40, 40)
    assert "'=HYPERLINK(\"http://x\")" in by_name
    total = rows[-1]
    assert total[0] == "团队合计" and total[2] == 180 and total[6] == 50  # in the lead's language
    cell = sheet.cell(row=2, column=3)
    assert cell.data_type == "n" and cell.number_format == "#,##0.00"


@pytest.mark.parametrize("people", [1, 12])
def test_the_page_reads_a_fixed_number_of_queries(client, actors, month, django_assert_max_num_queries, people):
    from salesops.testing.factories import make_user

    for index in range(people):
        rep = make_user(username=f"extra{index}", display_name=f"销售{index}", team=actors.team_a)
        instalment = make_plan(make_contract(rep, amount="10.00", signed_at=month.first), [(month.first, "10.00")])[0]
        make_payment(instalment, "5.00", month.first)
    client.force_login(actors.lead_a)
    with django_assert_max_num_queries(15):
        assert client.get("/collections/").status_code == 200
    client.force_login(actors.admin)
    with django_assert_max_num_queries(15):
        assert client.get("/collections/").status_code == 200


def test_overdue_amounts_only_once_the_due_date_has_passed(money, month):
    first = month.first
    ledger = collection_ledger(user=money.rep_a2, period=month, today=first)
    assert ledger.total.overdue == D("0.00")
    ledger = collection_ledger(user=money.rep_a2, period=month, today=first + dt.timedelta(days=1))
    assert ledger.total.overdue == D("50.00")


def test_several_teams_list_no_instalments_until_a_team_is_picked(client, money, month):
    client.force_login(money.director)
    text = client.get(f"/collections/?period={month}").content.decode()
    assert 'data-testid="pick-a-team"' in text and 'data-testid="instalment-' not in text
    picked = client.get(f"/collections/?period={month}&team={money.team_a.pk}").content.decode()
    assert picked.count('data-testid="instalment-') == 3
