"""The engine's mechanics (R21, R22) on metrics defined here: levels computed directly, one query per
source, zeros and "no figure", the registry's checks, subjects and achievement."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, Sum
from django.utils import timezone

from salesops.accounts import services as accounts
from salesops.customers.models import Customer
from salesops.followups.models import FollowUp
from salesops.performance import metrics
from salesops.performance.engine import Subject, achievement, figures, figures_per
from salesops.performance.metrics import Aggregation, Level, Measure, Metric, Source, Unit, register, share
from salesops.performance.periods import Period

MARCH = Period.parse("2026-03")


def local(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour, minute))

CONTACTS = Source(
    name="test.contacts",
    rows=lambda frame: FollowUp.objects.filter(is_active=True, contacted_at__gte=frame.start,
                                               contacted_at__lt=frame.end),
    person="author",
    team="author_team",
)
BUDGETS = Source(
    name="test.budgets",
    rows=lambda frame: Customer.objects.filter(created_at__gte=frame.start, created_at__lt=frame.end),
    person="owner",
    team="owner__team",
)
TEST_METRICS = [
    Metric(name="t_contacts", unit=Unit.COUNT, label="contacts", definition="", attribution="",
           measures=(Measure(CONTACTS, Count("*")),)),
    Metric(name="t_customers", unit=Unit.COUNT, label="customers contacted", definition="", attribution="",
           measures=(Measure(CONTACTS, Count("customer", distinct=True)),)),
    Metric(name="t_late_share", unit=Unit.RATE, label="late", definition="", attribution="",
           measures=(Measure(CONTACTS, Count("late", filter=Q(late=True))), Measure(CONTACTS, Count("*"))),
           combine=share),
    Metric(name="t_budget", unit=Unit.AMOUNT, label="budget", definition="", attribution="",
           measures=(Measure(BUDGETS, Sum("budget")),)),
]
NAMES = [metric.name for metric in TEST_METRICS]


@pytest.fixture(autouse=True)
def test_metrics(monkeypatch):
    for metric in TEST_METRICS:
        monkeypatch.setitem(metrics._registry, metric.name, metric)


@pytest.fixture
def contacts(actors):
    """One customer of rep_a1 followed up by rep_a1 (twice, once late) and by lead_a; another by rep_a2;
    rep_b1's in team B; one in February (outside March)."""
    shared = Customer.objects.create(name="共享客户", owner=actors.rep_a1, budget=Decimal("500000.50"))
    other = Customer.objects.create(name="另一客户", owner=actors.rep_a2, budget=Decimal("0.25"))
    b_customer = Customer.objects.create(name="乙组客户", owner=actors.rep_b1)
    Customer.objects.filter(pk__in=[shared.pk, other.pk, b_customer.pk]).update(created_at=local(2026, 3, 2))

    def contact(customer, author, when, late=False):
        FollowUp.objects.create(customer=customer, author=author, contacted_at=when, channel="phone",
                                key_points="x", late=late)

    contact(shared, actors.rep_a1, local(2026, 3, 2))
    contact(shared, actors.rep_a1, local(2026, 3, 3), late=True)
    contact(shared, actors.lead_a, local(2026, 3, 3))
    contact(other, actors.rep_a2, local(2026, 3, 31, 23, 59))
    contact(b_customer, actors.rep_b1, local(2026, 3, 1, 0, 0))
    contact(b_customer, actors.rep_b1, local(2026, 2, 28, 23, 59))  # February
    return shared


def test_a_customer_followed_up_by_a_rep_and_their_lead_counts_once_for_the_team(actors, contacts):
    """R21: the team's distinct count is computed over the team's rows, not summed from its people."""
    people = figures_per(level=Level.PERSON, ids=[actors.rep_a1.pk, actors.lead_a.pk, actors.rep_a2.pk],
                         period=MARCH, metrics=NAMES)
    assert [people[p.pk]["t_customers"] for p in (actors.rep_a1, actors.lead_a, actors.rep_a2)] == [1, 1, 1]
    team_a = figures(subject=Subject.team(actors.team_a.pk), period=MARCH, metrics=NAMES)
    assert team_a["t_customers"] == 2  # the shared customer once, the other once (the sum would say 3)
    assert team_a["t_contacts"] == 4
    assert team_a["t_late_share"] == 0.25
    both = figures(subject=Subject.teams([actors.team_a.pk, actors.team_b.pk]), period=MARCH, metrics=NAMES)
    assert (both["t_customers"], both["t_contacts"]) == (3, 5)
    org = figures(subject=Subject.org(), period=MARCH, metrics=NAMES)
    assert (org["t_customers"], org["t_contacts"], org["t_budget"]) == (3, 5, Decimal("500000.75"))


def test_a_team_keeps_the_rows_written_while_the_author_was_in_it(actors, contacts):
    """R21 "as it was when it happened": rep_a2 moves to team B; the March follow-up they wrote in team A
    stays team A's, and their own figure goes with them."""


    accounts.user_update(user=actors.rep_a2, team=actors.team_b)
    teams = figures_per(level=Level.TEAM, ids=[actors.team_a.pk, actors.team_b.pk], period=MARCH, metrics=NAMES)
    assert (teams[actors.team_a.pk]["t_contacts"], teams[actors.team_a.pk]["t_customers"]) == (4, 2)
    assert (teams[actors.team_b.pk]["t_contacts"], teams[actors.team_b.pk]["t_customers"]) == (1, 1)
    assert figures(subject=Subject.person(actors.rep_a2.pk), period=MARCH, metrics=NAMES)["t_contacts"] == 1


def test_each_level_and_unit(actors, contacts, django_assert_num_queries):
    ids = [actors.rep_a1.pk, actors.rep_a2.pk, actors.rep_b1.pk, actors.rep_c1.pk]
    with django_assert_num_queries(2):  # one query per source, whatever the number of people
        people = figures_per(level=Level.PERSON, ids=ids, period=MARCH, metrics=NAMES)
    assert people[actors.rep_a1.pk] == {"t_contacts": 2, "t_customers": 1, "t_late_share": 0.5,
                                        "t_budget": Decimal("500000.50")}
    assert people[actors.rep_c1.pk] == {"t_contacts": 0, "t_customers": 0, "t_late_share": None,
                                        "t_budget": Decimal("0.00")}
    assert isinstance(people[actors.rep_c1.pk]["t_budget"], Decimal)
    teams = figures_per(level=Level.TEAM, ids=[actors.team_a.pk, actors.team_b.pk, actors.team_c.pk],
                        period=MARCH, metrics=NAMES)
    assert teams[actors.team_b.pk] == {"t_contacts": 1, "t_customers": 1, "t_late_share": 0.0,
                                       "t_budget": Decimal("0.00")}
    assert teams[actors.team_c.pk]["t_late_share"] is None
    with django_assert_num_queries(0):
        assert figures(subject=Subject.teams([]), period=MARCH, metrics=NAMES)["t_contacts"] == 0
        assert figures_per(level=Level.PERSON, ids=[], period=MARCH, metrics=NAMES) == {}


def test_period_bounds_decide_membership(actors, contacts):
    """23:59 on 31 March is March; 00:00 on 1 March too; 23:59 on 28 February is not (Asia/Shanghai)."""
    day = figures(subject=Subject.person(actors.rep_b1.pk), period=Period.parse("2026-03-01"), metrics=NAMES)
    february = figures(subject=Subject.person(actors.rep_b1.pk), period=Period.parse("2026-02"), metrics=NAMES)
    last = figures(subject=Subject.person(actors.rep_a2.pk), period=Period.parse("2026-03-31"), metrics=NAMES)
    assert (day["t_contacts"], february["t_contacts"], last["t_contacts"]) == (1, 1, 1)


def test_unknown_metric_is_a_validation_error(actors):
    with pytest.raises(ValidationError) as raised:
        figures(subject=Subject.org(), period=MARCH, metrics=["visits_typo"])
    assert list(raised.value.message_dict) == ["metrics"]


def test_registry_refuses_bad_and_taken_names(monkeypatch):
    monkeypatch.setattr(metrics, "_registry", {})
    register(TEST_METRICS[0])
    with pytest.raises(ValueError, match="registered already"):
        register(TEST_METRICS[0])
    for name in ("Visits", "visits-2", "拜访", ""):
        with pytest.raises(ValueError, match="API word"):
            register(Metric(name=name, unit=Unit.COUNT, label="", definition="", attribution="",
                            measures=TEST_METRICS[0].measures))
    assert metrics.names() == ["t_contacts"]


def test_aggregation_is_read_from_the_measures():
    kinds = {metric.name: (metric.aggregation, metric.additive) for metric in TEST_METRICS}
    assert kinds == {
        "t_contacts": (Aggregation.COUNT, True),
        "t_customers": (Aggregation.DISTINCT, False),
        "t_late_share": (Aggregation.RATIO, False),
        "t_budget": (Aggregation.SUM, True),
    }


@pytest.mark.parametrize(
    ("text", "subject"),
    [("org", Subject.org()), ("user:7", Subject.person(7)), ("team:12", Subject.team(12))],
)
def test_subject_words(text, subject):
    assert Subject.parse(text) == subject
    assert str(subject) == text


@pytest.mark.parametrize(
    "text", ["", "org:1", "user", "user:", "user:0", "user:-1", "team:x", "team:1.5", "user:9" * 20, "user:١",
             "person:1", "user:99999999999999999999"],
)
def test_malformed_subjects_are_a_validation_error_under_scope(text):
    with pytest.raises(ValidationError) as raised:
        Subject.parse(text)
    assert list(raised.value.message_dict) == ["scope"]


@pytest.mark.parametrize(
    ("actual", "target", "expected"),
    [
        (Decimal("800000.00"), Decimal("1000000.00"), 0.8),  # the manual's example: 80.0 %
        (800000, 1000000, 0.8),
        (12, 10, 1.2),
        (0, 5, 0.0),
        (5, None, None),  # no target: shown as such
        (5, 0, None),  # a zero target is no target, never a division error
        (None, 5, None),
        (0.5, Decimal("0.4"), 1.25),
    ],
)
def test_achievement(actual, target, expected):
    assert achievement(actual, target) == expected


def test_frame_today_reaches_the_measures(actors, contacts):
    """A measure may depend on the day it is read (R10's overdue today) through the frame."""
    seen: list[dt.date] = []

    def counted(frame):
        seen.append(frame.today)
        return Count("*")

    snapshot = Metric(name="t_snapshot", unit=Unit.COUNT, label="", definition="", attribution="",
                      measures=(Measure(CONTACTS, counted),), snapshot=True)
    metrics._registry["t_snapshot"] = snapshot
    try:
        figures(subject=Subject.org(), period=MARCH, metrics=["t_snapshot"], today=dt.date(2026, 3, 9))
    finally:
        del metrics._registry["t_snapshot"]
    assert seen == [dt.date(2026, 3, 9)]
