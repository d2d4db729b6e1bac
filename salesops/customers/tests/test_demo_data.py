"""Demo and benchmark customers and follow-ups: believable rows with valid keys (R15), the public pool,
late follow-ups (R11), cadence dates that match the rule (R10), and a deterministic generator that wipes."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import pytest
from django.db.models import Count, F, Max, Q
from django.utils import timezone

from salesops.accounts.models import Role, User
from salesops.customers import demo_data as customer_steps
from salesops.customers import normalise
from salesops.customers.models import Contact, Customer, OwnershipEvent
from salesops.customers.tests.test_normalise import with_check
from salesops.customers.tests.test_search import expected_terms
from salesops.demo import registry
from salesops.demo.generator import SCALES, generate, wipe_generated
from salesops.demo.people import load_demo
from salesops.followups import demo_data as followup_steps
from salesops.followups.cadence import cadence_refresh
from salesops.followups.models import Channel, FollowUp
from salesops.organisation.selectors import rule_settings, work_calendar
from salesops.testing.factories import make_user

pytestmark = pytest.mark.django_db
MOBILE = re.compile(r"^1[3-9][0-9]{9}$")
CITY_PREFIXES = ("上海", "苏州", "杭州", "深圳", "广州")


def words(search_key: str) -> set[str]:
    """The words of a search key (the order of the contacts' phones in it does not matter)."""
    return set(search_key.split(" "))


def due_day(today: dt.date) -> dt.date:
    """The day a customer due "today" is due: today, or the next working day when today is a day off."""
    return work_calendar().workday_on_or_after(today)


@pytest.fixture
def demo() -> list[User]:
    assert load_demo(progress=False)
    return list(User.objects.filter(role=Role.REP).order_by("pk"))


def test_demo_gives_every_rep_believable_customers_with_valid_keys(demo: list[User]) -> None:
    for rep in demo:
        assert 15 <= Customer.objects.filter(created_by=rep).count() <= 25
    customers = Customer.objects.prefetch_related("contacts")
    assert len({customer.name for customer in customers}) == customers.count()
    for customer in customers:
        phones = [customer.phone, *(contact.phone for contact in customer.contacts.all())]
        assert customer.name.startswith(CITY_PREFIXES) and customer.name.endswith("有限公司"), customer.name
        assert customer.name_key == normalise.company_key(customer.name)
        assert customer.phone_key == normalise.phone_key(customer.phone) != ""
        assert words(customer.search_key) == words(normalise.search_words(customer.name, phones).shown)
        # R15 search: the demo's customers are found by any part, like entered ones
        assert set(customer.search_terms.values_list("term", flat=True)) == expected_terms(customer.name, phones)
        # about four in five have a credit code, each with the right GB 32100-2015 check character
        assert customer.credit_code == "" or with_check(customer.credit_code[:17]) == customer.credit_code
        assert customer.industry and customer.company_size and customer.decision_maker_role and customer.focus
        assert customer.budget is not None and customer.budget >= 50_000
        assert customer.address.startswith(customer.name[:2])
        assert customer.latitude is not None and 22 < customer.latitude < 32
        assert customer.longitude is not None and 113 < customer.longitude < 122
        assert (customer.grade is None) == (customer.grade_reason == "")
        assert 1 <= len(customer.contacts.all()) <= 3
        assert all(MOBILE.match(contact.phone) for contact in customer.contacts.all())
        assert sum(contact.is_primary for contact in customer.contacts.all()) == 1
    coded = customers.exclude(credit_code="").count()
    assert 0.6 * customers.count() < coded < customers.count()
    assert Customer.history.filter(history_type="+").count() == customers.count()  # R12: creation is recorded


def test_demo_east_team_sells_in_east_china_and_south_team_in_the_south(demo: list[User]) -> None:
    for rep in demo:
        cities = {name[:2] for name in Customer.objects.filter(created_by=rep).values_list("name", flat=True)}
        east = rep.team is not None and rep.team.name == "华东大客户组"
        expected = {"上海", "苏州", "杭州"} if east else {"深圳", "广州"}
        assert cities <= expected


def test_demo_puts_two_customers_of_each_rep_in_the_public_pool(demo: list[User]) -> None:
    pool = Customer.objects.filter(owner__isnull=True, is_active=True)
    assert pool.count() == 2 * len(demo)
    assert Counter(pool.values_list("created_by", flat=True)) == {rep.pk: 2 for rep in demo}
    assert not pool.filter(pooled_at__isnull=True).exists()
    assert not pool.exclude(next_due_at=None).exists()  # R10: nobody owes a pool customer a follow-up
    released = OwnershipEvent.objects.filter(kind=OwnershipEvent.Kind.RELEASE)
    assert set(released.values_list("customer_id", flat=True)) == set(pool.values_list("pk", flat=True))


def test_demo_followups_are_recent_and_some_are_late(demo: list[User]) -> None:
    now = timezone.now()
    counts = Customer.objects.annotate(n=Count("followups")).values_list("n", flat=True)
    assert min(counts) >= 3 and max(counts) <= 15
    hours = rule_settings().followup_log_hours
    followups = list(FollowUp.objects.select_related("customer", "author"))
    for followup in followups:
        assert now - dt.timedelta(days=61) < followup.contacted_at <= now
        assert followup.author_id == followup.customer.created_by_id
        assert followup.author_team_id == followup.author.team_id is not None  # R21
        assert followup.key_points and followup.next_step
        assert followup.late == (followup.logged_at - followup.contacted_at > dt.timedelta(hours=hours))
        if followup.channel == Channel.VISIT:
            assert followup.checkin_distance_m is not None and 20 <= followup.checkin_distance_m <= 400
    late = sum(followup.late for followup in followups)
    assert 0 < late < len(followups) / 4
    assert {followup.channel for followup in followups} == set(Channel.values)


def test_demo_due_today_and_overdue_lists_have_content(demo: list[User]) -> None:
    today = timezone.localdate()
    owned = Customer.objects.filter(owner__isnull=False)
    assert owned.filter(next_due_at=due_day(today)).exists()
    for team_lead in User.objects.filter(role=Role.LEAD):
        assert owned.filter(owner__team=team_lead.team, next_due_at__lt=today).exists()
    assert not owned.filter(grade__isnull=False, next_due_at__isnull=True).exists()
    assert cadence_refresh(customer_ids=Customer.objects.values_list("pk", flat=True)) == 0


@pytest.fixture
def only_data_steps(monkeypatch: pytest.MonkeyPatch) -> None:
    """The generator with exactly the customers and follow-ups steps (other features' data left out)."""
    steps = {
        "customers": registry.GeneratorStep(
            "customers", customer_steps.generate_customers, customer_steps.wipe_customers
        ),
        "followups": registry.GeneratorStep(
            "followups", followup_steps.generate_followups, followup_steps.wipe_followups
        ),
    }
    monkeypatch.setattr(registry, "_generator_steps", steps)


def snapshot() -> list[tuple[object, ...]]:
    generated = Customer.objects.filter(created_by__username__startswith="gen.")
    customers = generated.order_by("name").values_list(
        "name", "grade", "owner__username", "created_by__username", "next_due_at", "last_followup_at", "search_key"
    )
    followups = generated.annotate(
        n=Count("followups"), late=Count("followups", filter=Q(followups__late=True))
    ).order_by("name").values_list("name", "n", "late")
    return [*customers, *followups]


def test_generator_s_makes_the_scale_volumes_deterministically_and_wipes_them(only_data_steps: None) -> None:
    scale = SCALES["S"]
    today = dt.date(2026, 3, 11)
    report = generate(scale=scale, seed=5, today=today, progress=False)
    customers = scale.reps * scale.customers_per_rep
    assert Customer.objects.count() == customers == 10_000
    assert Customer.objects.filter(owner__isnull=True, is_active=True).count() == customers // 10
    assert FollowUp.objects.count() == customers * scale.followups_per_customer == 100_000
    assert not FollowUp.objects.exclude(author_team=F("author__team")).exists()  # R21: the author's team
    assert Contact.objects.filter(is_primary=True).count() == customers
    assert report.rows["customers.Customer"] == customers
    for rep in User.objects.filter(role=Role.REP):
        assert Customer.objects.filter(created_by=rep).count() == scale.customers_per_rep
    # R10/R11: stored figures match the follow-ups and the rule
    latest = Customer.objects.annotate(last=Max("followups__contacted_at"))
    assert not latest.exclude(last=F("last_followup_at")).exists()
    assert Customer.objects.filter(next_due_at=due_day(today)).count() > customers // 10
    assert Customer.objects.filter(next_due_at__lt=today).count() > customers // 10
    sample = Customer.objects.order_by("pk").values_list("pk", flat=True)[:: customers // 200]
    assert cadence_refresh(customer_ids=list(sample)) == 0
    hours = rule_settings().followup_log_hours
    late = FollowUp.objects.filter(late=True)
    assert late.count() == late.filter(logged_at__gt=F("contacted_at") + dt.timedelta(hours=hours)).count() > 0
    for customer in Customer.objects.order_by("pk").prefetch_related("contacts")[:: customers // 50]:
        phones = [customer.phone, *(contact.phone for contact in customer.contacts.all())]
        assert words(customer.search_key) == words(normalise.search_words(customer.name, phones).shown)
        assert customer.name_key == normalise.company_key(customer.name)
        # R15: search reads the term rows, so generated customers are found by any part like entered ones
        assert set(customer.search_terms.values_list("term", flat=True)) == expected_terms(customer.name, phones)
    first = snapshot()

    someone = make_user(username="real.rep", team=None)
    kept = Customer.objects.create(name="宁波真实客户有限公司", name_key="宁波真实客户", owner=someone)
    report = generate(scale=scale, seed=5, today=today, wipe=True, progress=False)
    assert report.wiped_people == scale.people
    assert snapshot() == first  # same seed, same data

    wipe_generated()
    assert list(Customer.objects.all()) == [kept]
    assert not FollowUp.objects.exists()
    assert not Contact.objects.exists()
