"""Demo and benchmark data of collections: a payment plan for every contract and its receipts history.

Each contract gets one to three instalments (a deposit two weeks after the signing, the rest two and
four months later) summing exactly to its amount. Instalments already due were mostly received in
full, some in part, some not at all (overdue); a few not yet due were partly paid early.

The demo goes through the services (``instalments_replace``, ``payment_record``), so its plans carry
history; the generator writes plain rows (``customers.demo_load.RawLoader``: explicit ids, COPY on
PostgreSQL) for every contract of the generated people, in keyset-ordered chunks, with the instalments'
``received`` equal to the sum of their receipts and the long-overdue ones already flagged (as the
nightly job would have).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from salesops.accounts.models import User
from salesops.customers.demo_data import raw_delete
from salesops.customers.demo_load import RawLoader, Stamps, next_id
from salesops.customers.excel.bulk_load import bulk_cache
from salesops.deals.collections import services
from salesops.deals.collections.services import PlanLine
from salesops.deals.models import Contract, Instalment, Payment
from salesops.demo.registry import DemoContext, GeneratorContext

#: Days after the signing each instalment of a plan of one, two or three falls due, and its share (%).
PLANS = {
    1: ((30, 100),),
    2: ((15, 30), (75, 70)),
    3: ((15, 30), (75, 40), (135, 30)),
}
CHUNK = 5000
INSTALMENT_FIELDS = ("id", "contract", "due_date", "amount", "received", "position", "owner", "owner_team",
                     "overdue_flagged_on")
PAYMENT_FIELDS = ("instalment", "received_at", "amount", "owner", "owner_team", "recorded_by", "created_at")


def _cents(amount: Decimal) -> int:
    return int(amount * 100)


def _text(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def plan_parts(cents: int, signed: dt.date, count: int) -> list[tuple[dt.date, int]]:
    """The plan of ``count`` instalments of an amount in cents: shares rounded down, the rest in the last."""
    shares = PLANS[count]
    parts = [cents * share // 100 for _days, share in shares[:-1]]
    parts.append(cents - sum(parts))
    return [(signed + dt.timedelta(days=days), part) for (days, _share), part in zip(shares, parts, strict=True)]


def receipts_of(rng: random.Random, due: dt.date, cents: int, signed: dt.date, today: dt.date
                ) -> list[tuple[dt.date, int]]:
    """What came in on one instalment: (date, cents) receipts above zero, never above it, never after today."""
    return [(day, part) for day, part in _came(rng, due, cents, signed, today) if part > 0]


def _came(rng: random.Random, due: dt.date, cents: int, signed: dt.date, today: dt.date) -> list[tuple[dt.date, int]]:
    draw = rng.random()
    if due < today:
        day = min(due + dt.timedelta(days=rng.randint(-5, 10)), today)
        if draw < 0.65:
            return [(max(day, signed), cents)]
        if draw < 0.85:
            return [(max(day, signed), cents // 2)]
        return []
    if draw < 0.1 and signed < today:
        return [(signed + dt.timedelta(days=rng.randint(0, (today - signed).days)), cents * 3 // 10)]
    return []


def demo_collections(ctx: DemoContext) -> None:
    """A plan and its receipts for every demo contract without one, through the services."""
    contracts = Contract.objects.filter(instalments__isnull=True).select_related("deal__owner").order_by("pk")
    for contract in ctx.progress(list(contracts), desc="payment plans"):
        owner = contract.deal.owner
        parts = plan_parts(_cents(contract.amount), contract.signed_at, ctx.rng.choice((1, 2, 3, 3)))
        rows = services.instalments_replace(
            by=owner, contract_id=contract.pk, plan=[PlanLine(due, Decimal(_text(c))) for due, c in parts])
        for row in rows:
            for day, cents in receipts_of(ctx.rng, row.due_date, _cents(row.amount), contract.signed_at, ctx.today):
                services.payment_record(by=owner, instalment_id=row.pk, received_at=day, amount=Decimal(_text(cents)))


class _Rows:
    """The instalment and receipt rows of generated contracts, with explicit instalment ids."""

    def __init__(self, ctx: GeneratorContext) -> None:
        self.ctx, self.rng, self.today = ctx, ctx.rng, ctx.today
        self.stamps = Stamps(ctx.today, 2000)
        self.next = next_id(Instalment)

    def of(self, contract: tuple[Any, ...]) -> Iterator[tuple[str, tuple[Any, ...]]]:
        pk, amount, signed, owner, team = contract
        today, rng = self.today, self.rng
        for position, (due, cents) in enumerate(plan_parts(_cents(amount), signed, rng.choice((1, 2, 3, 3)))):
            instalment, self.next = self.next, self.next + 1
            came = receipts_of(rng, due, cents, signed, today)
            received = sum(part for _day, part in came)
            flagged = due + dt.timedelta(days=1) if due < today - dt.timedelta(days=1) and received < cents else None
            yield "instalment", (instalment, pk, due.isoformat(), _text(cents), _text(received), position, owner,
                                 team, flagged.isoformat() if flagged else None)
            for day, part in came:
                moment = self.stamps.at(min(self.stamps.offset(day), 1999), 600 + rng.randint(0, 480))
                yield "payment", (instalment, day.isoformat(), _text(part), owner, team, owner, moment)


def generate_collections(ctx: GeneratorContext) -> None:
    """A plan and receipts for every contract of the generated teams' people (keyset chunks of ``CHUNK``)."""
    contracts = Contract.objects.filter(deal__owner__team_id__in=ctx.team_ids, instalments__isnull=True)
    total = contracts.count()
    if not total:
        return
    loaders = {
        "instalment": RawLoader(ctx, Instalment, INSTALMENT_FIELDS, label=Instalment._meta.label),
        "payment": RawLoader(ctx, Payment, PAYMENT_FIELDS, label=Payment._meta.label),
    }
    maker = _Rows(ctx)
    last = 0
    with bulk_cache(), ctx.progress.bar(desc="payment plans", total=total) as bar:
        while True:
            chunk = list(
                contracts.filter(pk__gt=last).order_by("pk")
                .values_list("pk", "amount", "signed_at", "deal__owner_id", "deal__owner__team_id")[:CHUNK]
            )
            if not chunk:
                break
            for contract in chunk:
                for kind, row in maker.of(contract):
                    loaders[kind].add(row)
            last = chunk[-1][0]
            bar.update(len(chunk))
        for loader in loaders.values():
            loader.finish()


def wipe_collections(generated_users: QuerySet[User]) -> None:
    """Remove the receipts and instalments of the generated people's contracts (before the contracts go)."""
    users = generated_users.values("pk")
    instalments = Instalment.objects.filter(contract__deal__owner__in=users)
    payments = Payment.objects.filter(instalment__in=instalments.values("pk"))
    raw_delete(Payment.history.model.objects.filter(id__in=payments.values("pk")))
    raw_delete(payments)
    raw_delete(Instalment.history.model.objects.filter(id__in=instalments.values("pk")))
    raw_delete(instalments)
