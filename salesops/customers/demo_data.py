"""Customers for ``salesops demo`` and ``salesops generate`` (R8 grades, R9 tags, R10 cadence, R15 pool).

Demo: 15-25 believable companies per rep (East China team: Shanghai, Suzhou, Hangzhou; South China
team: Shenzhen, Guangzhou), two of each rep's in the public pool, each with one to three contacts,
free tags, and a creation entry in the history (R12) and the ownership log (R15). The follow-ups and
the cadence dates come from ``salesops/followups/demo_data.py``.

Generator: ``customers_per_rep`` customers per rep (every tenth in the public pool, released by that
rep), a primary contact each and a second one for every fourth, tags on about a third; written with
``RawLoader`` (no history rows: generated rows were never edited). The customer row also carries the
cadence figures (R10) of the follow-ups the ``followups`` step will write to match it: the last
follow-up, visit and needs survey, ``next_due_at`` (R10 as ``hooks.cadence_rule`` gives it, exactly what
followups' ``cadence_refresh`` would store) and the A grade's
``contract_due_at``. ``next_due_at`` is worked out in working days on the real calendar, not
approximated. About half of the owned graded customers are due today or overdue, so the lists have
content at every scale.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from salesops.accounts.models import User
from salesops.customers import hooks, normalise
from salesops.customers.demo_load import RawLoader, Stamps, next_id
from salesops.customers.demo_words import COMBINATIONS, CONTACT_TITLES, EAST, Company, company, mobile
from salesops.customers.demo_words import grade_and_reason as draw_grade
from salesops.customers.excel.bulk_load import bulk_cache
from salesops.customers.models import Contact, Customer, CustomerSearchTerm, Grade, OwnershipEvent, Status, Tag
from salesops.customers.services import index_terms
from salesops.demo.names import chinese_name
from salesops.demo.registry import DemoContext, GeneratorContext, register_demo_step, register_generator_step
from salesops.organisation.selectors import rule_settings, work_calendar

TAG_NAMES = ("老客户推荐", "展会线索", "官网咨询", "招投标项目", "渠道合作", "重点行业")
POOL_EVERY = 10  # every tenth generated customer is in the public pool (R15)
HISTORY_DAYS = 730  # generated customers were created over the last two years


class Cadence:
    """R10 dates around ``today`` with the rule settings and the working calendar, memoised per date."""

    def __init__(self, today: dt.date) -> None:
        self.today = today
        self.rule = hooks.cadence_rule()
        self.settings = rule_settings()
        self.calendar = work_calendar()
        self._back: dict[int, dt.date] = {}
        self._due: dict[tuple[str | None, dt.date], dt.date | None] = {}
        self._contract: dict[dt.date, dt.date | None] = {}

    def workdays_back(self, n: int) -> dt.date:
        if n not in self._back:
            self._back[n] = self.today if n == 0 else self.calendar.previous_workday(self.today, n)
        return self._back[n]

    def next_due(self, grade: str | None, start: dt.date) -> dt.date | None:
        key = (grade, start)
        if key not in self._due:
            self._due[key] = self.rule.next_due(grade, start)
        return self._due[key]

    def contract_due(self, graded: dt.date) -> dt.date | None:
        if graded not in self._contract:
            self._contract[graded] = self.rule.contract_due(Grade.A, graded)
        return self._contract[graded]

    def pool_days(self, grade: str | None) -> int:
        s = self.settings
        return {Grade.A: s.pool_days_a, Grade.B: s.pool_days_b}.get(grade, s.pool_days_c)  # type: ignore[call-overload]

    def last_contact(self, rng: random.Random, grade: str | None) -> dt.date:
        """The day of an owned customer's last follow-up: for a graded one about 45 % on cadence, 30 %
        due today (exactly the grade's working days ago) and 25 % overdue by 1-8 working days."""
        interval = self.rule.interval(grade)
        if interval is None:
            return self.today - dt.timedelta(days=rng.randrange(60))
        draw = rng.random()
        if draw < 0.45:
            age = rng.randrange(interval)
        elif draw < 0.75:
            age = interval
        else:
            age = interval + rng.randint(1, 8)
        return self.workdays_back(age)


def _keys(facts: Company, contact_phones: Iterable[str]) -> tuple[normalise.NameKeys, str, normalise.SearchWords]:
    """R15 keys: the normalised name (and without places), the phone, and the search words of the name and
    every phone."""
    names = normalise.name_keys(facts.name)
    words = normalise.search_words(facts.name, [facts.phone, *contact_phones], name_key=names.exact)
    return names, normalise.phone_key(facts.phone), words


def _demo_tags() -> list[Tag]:
    return [Tag.objects.get_or_create(name=name)[0] for name in TAG_NAMES]


# --- Demo ------------------------------------------------------------------------------------------


def _demo_contacts(rng: random.Random, customer: Customer, count: int) -> list[Contact]:
    contacts = []
    for n in range(count):
        phone = mobile(rng)
        contacts.append(
            Contact(
                customer=customer, name=chinese_name(rng), title=rng.choice(CONTACT_TITLES), phone=phone,
                phone_key=normalise.phone_key(phone), wechat=phone if rng.random() < 0.7 else "",
                decision_role=Contact.DecisionRole.DECIDER if n == 0 else rng.choice(Contact.DecisionRole.values),
                is_primary=n == 0,
            )
        )
    return contacts


def demo_customers(ctx: DemoContext) -> None:
    """15-25 customers per rep, two of them released to the public pool; contacts, tags, history."""
    rng, now = ctx.rng, timezone.now()
    tags = _demo_tags()
    index = 0
    for rep in ctx.progress(ctx.reps, desc="customers", total=len(ctx.reps)):
        east = bool(ctx.teams) and rep.team_id == ctx.teams[0].pk
        customers: list[Customer] = []
        contacts: dict[int, list[Contact]] = {}
        for n in range(rng.randint(15, 25)):
            facts = company(rng, index)
            while (facts.address[:2] in {c.name for c in EAST}) != east:
                index += 1
                facts = company(rng, index)
            index += 1
            grade, reason = draw_grade(rng)
            customer = Customer(
                name=facts.name, credit_code=facts.credit_code, phone=facts.phone, address=facts.address,
                latitude=facts.latitude, longitude=facts.longitude, industry=facts.industry,
                company_size=facts.company_size, decision_maker_role=facts.decision_maker_role,
                budget=facts.budget, focus=facts.focus, grade=grade, grade_reason=reason,
                status=Status.INTENT if grade in (Grade.A, Grade.B) else Status.LEAD,
                owner=None if n < 2 else rep, pooled_at=now - dt.timedelta(days=rng.randint(3, 20)) if n < 2 else None,
                created_by=rep, created_owner=rep, created_team_id=rep.team_id,  # released to the pool later
            )
            people = _demo_contacts(rng, customer, rng.choice((1, 1, 2, 3)))
            names, customer.phone_key, words = _keys(facts, [c.phone for c in people])
            customer.name_key, customer.name_base_key, customer.search_key = names.exact, names.base, words.shown
            contacts[len(customers)] = people
            customers.append(customer)
        # The grade's dates are set before the history's "+" row is written, so that row holds them: set
        # afterwards, the next version (a tag, a transfer) would show them as a change nobody made (R12).
        created_at: list[dt.datetime] = []
        chosen_tags: list[list[Tag]] = []
        for customer in customers:
            days = rng.randint(61, 200)
            created_at.append(now - dt.timedelta(days=days, minutes=rng.randrange(600)))
            if customer.grade:
                customer.graded_at = created_at[-1] + dt.timedelta(days=rng.randint(0, days - 1))
                customer.intent_at = customer.graded_at if customer.grade in (Grade.A, Grade.B) else None
                if customer.intent_at is not None:
                    customer.intent_owner, customer.intent_team_id = rep, rep.team_id
            chosen_tags.append(rng.sample(tags, rng.randint(1, 2)) if rng.random() < 0.4 else [])
        created = bulk_create_with_history(customers, Customer, default_user=rep)
        for position, customer in enumerate(created):
            customer.created_at = created_at[position]  # auto_now_add wrote the moment of the insert
            for contact in contacts[position]:
                contact.customer = customer
            if chosen_tags[position]:
                customer._history_user = rep  # type: ignore[attr-defined]
                customer.tags.add(*chosen_tags[position])
        Customer.objects.bulk_update(created, ["created_at"])
        bulk_create_with_history([c for group in contacts.values() for c in group], Contact, default_user=rep)
        index_terms(c.pk for c in created)  # the search words (R15), as every entry writes them
        OwnershipEvent.objects.bulk_create(
            [OwnershipEvent(customer=c, kind=OwnershipEvent.Kind.CREATE, to_user=rep, by=rep) for c in created]
            + [
                OwnershipEvent(customer=c, kind=OwnershipEvent.Kind.RELEASE, from_user=rep, by=rep,
                               reason="客户暂无采购计划，释放到公海")
                for c in created
                if c.owner_id is None
            ]
        )


# --- Generator -------------------------------------------------------------------------------------

CUSTOMER_FIELDS = (
    "id", "name", "name_key", "name_base_key", "search_key", "credit_code", "phone", "phone_key", "address",
    "latitude", "longitude",
    "industry", "company_size", "decision_maker_role", "budget", "focus", "grade", "grade_reason", "graded_at",
    "intent_at", "status", "owner", "pooled_at", "last_followup_at", "last_visit_at", "last_survey_at", "next_due_at",
    "contract_due_at", "is_active", "created_by", "created_at", "updated_at",
    "created_owner", "created_team", "intent_owner", "intent_team",
)
CONTACT_FIELDS = ("id", "customer", "name", "title", "phone", "phone_key", "wechat", "decision_role", "is_primary")


def _day_offsets(
    rng: random.Random, cadence: Cadence, stamps: Stamps, grade: str | None, pool: bool
) -> tuple[int, int, int | None, int | None, int | None]:
    """Day offsets (days ago) of: creation, last follow-up, grading, last visit, last needs survey."""
    last = rng.randint(cadence.pool_days(grade) + 1, 400) if pool else stamps.offset(cadence.last_contact(rng, grade))
    created = last + rng.randrange(HISTORY_DAYS - last)
    graded = rng.randint(last, min(created, last + 10)) if grade else None
    # Visits and surveys before the last follow-up fall on earlier days, so the last follow-up stays the latest.
    visit = last if created == last or rng.random() < 0.3 else rng.randint(last + 1, created)
    survey = rng.randint(last + 1, created) if created > last and rng.random() < 0.3 else None
    return created, last, graded, visit if rng.random() < 0.5 else None, survey


def generate_customers(ctx: GeneratorContext) -> None:
    """The customers step under SQLite's bulk-load page cache (``bulk_load.bulk_cache``)."""
    with bulk_cache():
        _generate_customers(ctx)


def _generate_customers(ctx: GeneratorContext) -> None:
    """``customers_per_rep`` customers per rep; see the module docstring."""
    rng, cadence = ctx.rng, Cadence(ctx.today)
    stamps = Stamps(ctx.today, HISTORY_DAYS + 1)
    offset = rng.randrange(COMBINATIONS)
    tag_ids = [tag.pk for tag in _demo_tags()]
    customers = RawLoader(ctx, Customer, CUSTOMER_FIELDS, label=Customer._meta.label)
    contacts = RawLoader(ctx, Contact, CONTACT_FIELDS, label=Contact._meta.label)
    tag_links = RawLoader(ctx, Customer.tags.through, ("customer", "tag"), label="customers.Customer_tags")
    terms = RawLoader(ctx, CustomerSearchTerm, ("customer", "owner", "term"), label=CustomerSearchTerm._meta.label)
    first_id, contact_id = next_id(Customer), next_id(Contact)
    teams = dict(User.objects.filter(pk__in=ctx.rep_ids).values_list("pk", "team_id"))
    index = 0  # position in this run: what the data depends on (ids depend on what the database held before)
    total = len(ctx.rep_ids) * ctx.scale.customers_per_rep
    with ctx.progress.bar(desc=str(Customer._meta.verbose_name_plural), total=total) as bar:
        for rep in ctx.rep_ids:
            for k in range(ctx.scale.customers_per_rep):
                customer_id = first_id + index
                facts = company(rng, index, offset=offset)
                phones = [mobile(rng) for _ in range(1 if index % 4 else 2)]
                for n, phone in enumerate(phones):
                    contacts.add((
                        contact_id, customer_id, chinese_name(rng), rng.choice(CONTACT_TITLES), phone, phone,
                        phone if n == 0 else "", Contact.DecisionRole.DECIDER if n == 0 else Contact.DecisionRole.USER,
                        n == 0,
                    ))
                    contact_id += 1
                names, phone_key, words = _keys(facts, phones)
                grade, reason = draw_grade(rng)
                pool = k % POOL_EVERY == POOL_EVERY - 1
                for term in words.terms:  # the words search reads (R15), as the services write them
                    terms.add((customer_id, None if pool else rep, term))
                created, last, graded, visit, survey = _day_offsets(rng, cadence, stamps, grade, pool)
                last_at = stamps.at(last, rng.randint(540, 1050))
                due = None if pool else cadence.next_due(grade, stamps.day(last))
                a_owned = grade == Grade.A and graded is not None and not pool
                contract = cadence.contract_due(stamps.day(graded)) if a_owned and graded is not None else None
                graded_at = stamps.at(graded, 600) if graded is not None else None
                intent = graded_at is not None and grade in (Grade.A, Grade.B)
                customers.add((
                    customer_id, facts.name, names.exact, names.base, words.shown, facts.credit_code, facts.phone,
                    phone_key,
                    facts.address, str(facts.latitude), str(facts.longitude), facts.industry, facts.company_size,
                    facts.decision_maker_role, str(facts.budget), facts.focus, grade, reason, graded_at,
                    graded_at if intent else None,
                    Status.LOST if pool and rng.random() < 0.2 else Status.INTENT if graded_at and grade != Grade.C
                    else Status.LEAD,
                    None if pool else rep,
                    stamps.at(max(last - cadence.pool_days(grade), 0), 480) if pool else None,
                    last_at,
                    (last_at if visit == last else stamps.at(visit, 870)) if visit is not None else None,
                    stamps.at(survey, 900) if survey is not None else None,
                    due.isoformat() if due else None,
                    contract.isoformat() if contract else None,
                    True, rep, stamps.at(created, 530), last_at,
                    # R21: created and reached intent while the rep owned it (a pool customer was recycled later)
                    rep, teams[rep], rep if intent else None, teams[rep] if intent else None,
                ))
                if index % 3 == 0:
                    tag_links.add((customer_id, tag_ids[index % len(tag_ids)]))
                index += 1
            bar.update(ctx.scale.customers_per_rep)
    for loader in (customers, contacts, tag_links, terms):
        loader.finish()


def generated_customers(generated_users: QuerySet[User]) -> QuerySet[Customer]:
    """Customers a generated person created or owns (the pool's generated customers have no owner)."""
    users = generated_users.values("pk")
    return Customer.objects.filter(Q(created_by__in=users) | Q(owner__in=users))


def raw_delete(queryset: QuerySet[Any]) -> int:
    """DELETE the rows of ``queryset`` in one statement: no objects loaded, no signals (history would
    load millions of rows into memory through the ORM's delete)."""
    model = queryset.model
    sql, params = queryset.values("pk").query.sql_with_params()
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE {connection.ops.quote_name(model._meta.pk.column)} IN ({sql})",  # noqa: S608
                       params)
        return int(cursor.rowcount)


def wipe_customers(generated_users: QuerySet[User]) -> None:
    """Remove generated customers with their contacts, tag links, ownership log and history."""
    ids = generated_customers(generated_users).values("pk")
    raw_delete(Customer.tags.through.objects.filter(customer__in=ids))
    raw_delete(CustomerSearchTerm.objects.filter(customer__in=ids))
    raw_delete(Contact.history.model.objects.filter(customer_id__in=ids))
    raw_delete(Contact.objects.filter(customer__in=ids))
    raw_delete(OwnershipEvent.objects.filter(customer__in=ids))
    raw_delete(Customer.history.model.objects.filter(id__in=ids))
    Customer.objects.filter(merged_into__in=ids).update(merged_into=None)
    raw_delete(generated_customers(generated_users))


register_demo_step("customers", demo_customers)
register_generator_step("customers", generate_customers, wipe=wipe_customers)
