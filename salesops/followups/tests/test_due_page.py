"""The due page (待跟进) is the full list of the rep's own customers by due date (R10), filtered by when
they are due and by grade; the home page shows the day and links here, and this page links back."""

from __future__ import annotations

import datetime as dt

import pytest

WEDNESDAY = dt.date(2026, 3, 4)  # the clock's day; its week ends on Sunday 03-08


@pytest.fixture
def week(actors, make_customer, clock):
    def make(name: str, days: int, grade: str = "B", owner=None):
        due = WEDNESDAY + dt.timedelta(days=days)
        return make_customer(owner=owner or actors.rep_a1, name=name, grade=grade, next_due_at=due)

    return {
        "overdue_a": make("逾期A", -2, "A"),
        "overdue_b": make("逾期B", -1),
        "today": make("今天", 0),
        "sunday": make("周日", 4, "C"),
        "monday": make("下周一", 5),
        "colleague": make("同事", -1, owner=actors.rep_a2),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["overdue_a", "overdue_b", "today"]),
        ("?when=due", ["overdue_a", "overdue_b", "today"]),
        ("?when=overdue", ["overdue_a", "overdue_b"]),
        ("?when=today", ["today"]),
        ("?when=week", ["today", "sunday"]),
        ("?when=all", ["overdue_a", "overdue_b", "today", "sunday", "monday"]),
        ("?when=all&grade=B", ["overdue_b", "today", "monday"]),
        ("?when=overdue&grade=A", ["overdue_a"]),
        ("?when=nonsense&grade=Z", ["overdue_a", "overdue_b", "today"]),  # unknown values: the default view
    ],
)
def test_due_page_filters(client, actors, week, query, expected):
    client.force_login(actors.rep_a1)
    response = client.get(f"/today/{query}")
    assert response.status_code == 200
    assert [c.pk for c in response.context["page"]] == [week[name].pk for name in expected]


def test_due_page_links_home_and_keeps_its_filters_across_pages(client, actors, make_customer, clock):
    from salesops.followups.views import PAGE_SIZE

    for n in range(PAGE_SIZE + 1):
        make_customer(owner=actors.rep_a1, name=f"客户{n}", grade="A", next_due_at=WEDNESDAY)
    client.force_login(actors.rep_a1)
    page = client.get("/today/?when=today&grade=A").content.decode()
    assert 'href="/"' in page and 'data-testid="back-home"' in page
    assert "?when=today&amp;grade=A&amp;page=2" in page


def test_due_page_says_how_late_as_the_home_page_does(client, actors, week):
    """One wording of a due date on both pages: "逾期 2 天", "今天", not a bare "已逾期"."""
    client.force_login(actors.rep_a1)
    page = client.get("/today/?when=all").content.decode()
    home = client.get("/").content.decode()
    for words in ("逾期 2 天", "逾期 1 天", "今天"):
        assert f">{words}</span>" in page
        assert f">{words}</span>" in home
    assert ">已逾期</span>" not in page
