"""Deals for ``salesops demo`` and ``salesops generate`` (R13, R14).

Demo: through the services, so every deal has its history, every win its contract and post-win tasks: per
rep a believable pipeline with deals in every stage (some with line items), two or three won in the last
two months (one of them a repurchase of a customer won before), one lost with a reason; about half of the
older contracts archived with a signed scan.

Generator: ``DEALS_PER_REP`` deals per rep over the rep's owned customers (a third of the customers get a
second or third deal) over the last two years: about 45 % won with a contract, the rest lost, except that a
third of the last half year's are still open across the stages; later won deals of a customer are
repurchases. Plain rows (``RawLoader``: COPY on
PostgreSQL), no history: generated rows were never edited.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db.models import QuerySet

from salesops.accounts.models import User
from salesops.customers.demo_data import raw_delete
from salesops.customers.demo_load import RawLoader, Stamps, next_id
from salesops.customers.models import Customer
from salesops.deals import contracts, services, winning
from salesops.deals.models import Contract, ContractSequence, Deal, DealLine, DealStatus, LossReason, Stage
from salesops.deals.services import DEFAULT_PROBABILITY
from salesops.deals.winning import contract_number_format
from salesops.demo.registry import DemoContext, GeneratorContext

DEALS_PER_REP = 200
HISTORY_DAYS = 730
PRODUCTS = (
    ("数控加工中心", "380000.00"), ("工业机器人工作站", "265000.00"), ("MES 生产管理系统", "180000.00"),
    ("智能仓储货架", "96000.00"), ("设备年度维保", "48000.00"), ("操作培训", "12000.00"),
)
TITLES = ("二期产线扩建", "年度设备采购", "老厂区改造", "新工厂配套", "信息化升级", "备品备件框架", "自动化改造试点")
SCAN = b"%PDF-1.7\n% demo signed contract\n" + b"\x00" * 256


def _amount(rng_value: int) -> Decimal:
    return Decimal(rng_value * 1000).quantize(Decimal("0.01"))


def demo_deals(ctx: DemoContext) -> None:
    """A pipeline per rep through the services; see the module docstring."""
    rng = ctx.rng
    reasons = list(LossReason.objects.filter(is_active=True))
    stages = list(Stage.values)
    for rep in ctx.progress(ctx.reps, desc="deals"):
        customers = list(Customer.objects.filter(owner=rep, is_active=True).order_by("id")[:12])
        if len(customers) < 8:
            continue
        for index, customer in enumerate(customers[:6]):
            stage = stages[index % len(stages)]
            lines = None
            if index % 3 == 0:
                product, price = rng.choice(PRODUCTS)
                lines = [{"product": product, "quantity": str(rng.randint(1, 4)), "unit_price": price},
                         {"product": "安装调试", "quantity": "1", "unit_price": "8000.00"}]
            services.deal_create(
                by=rep, customer=customer, title=rng.choice(TITLES), stage=stage, lines=lines,
                amount=None if lines else _amount(rng.randint(30, 900)),
                expected_close=ctx.today + dt.timedelta(days=rng.randint(5, 90)),
            )
        returning = customers[6]
        for customer, days_ago in ((returning, rng.randint(40, 60)), (returning, rng.randint(3, 20)),
                                   (customers[7], rng.randint(1, 10))):
            deal = services.deal_create(by=rep, customer=customer, title=rng.choice(TITLES),
                                        amount=_amount(rng.randint(50, 600)), stage=Stage.NEGOTIATION)
            winning.deal_win(deal=deal, by=rep, signed_at=ctx.today - dt.timedelta(days=days_ago),
                             amount=deal.amount)
            if days_ago > 30:
                contracts.contract_attach_scan(contract=Contract.objects.get(deal=deal), by=rep,
                                               upload=ContentFile(SCAN, name="scan.pdf"))
        if len(customers) > 8 and reasons:
            lost = services.deal_create(by=rep, customer=customers[8], title=rng.choice(TITLES),
                                        amount=_amount(rng.randint(20, 300)), stage=Stage.PROPOSAL)
            services.deal_lose(deal=lost, by=rep, reason=rng.choice(reasons), note="客户预算推迟到明年")


DEAL_FIELDS = (
    "id", "customer", "title", "amount", "stage", "probability", "expected_close", "status", "owner", "signed_at",
    "won_by", "won_team", "is_repurchase", "lost_reason", "closed_at", "created_by", "created_at", "updated_at",
)
CONTRACT_FIELDS = ("deal", "customer", "number", "signed_at", "amount", "archived", "archived_at", "created_at")


def generate_deals(ctx: GeneratorContext) -> None:
    """``DEALS_PER_REP`` deals per rep; see the module docstring."""
    rng = ctx.rng
    stamps = Stamps(ctx.today, HISTORY_DAYS + 1)
    owned: dict[int, list[int]] = defaultdict(list)
    for owner_id, customer_id in Customer.objects.filter(owner_id__in=ctx.rep_ids, is_active=True).order_by(
        "owner_id", "id"
    ).values_list("owner_id", "id").iterator(chunk_size=20_000):
        owned[owner_id].append(customer_id)
    team_of = {rep: team for team, reps in ctx.reps_by_team.items() for rep in reps}
    reason_ids = list(LossReason.objects.filter(is_active=True).values_list("pk", flat=True))
    deals = RawLoader(ctx, Deal, DEAL_FIELDS, label=Deal._meta.label)
    contract_rows = RawLoader(ctx, Contract, CONTRACT_FIELDS, label=Contract._meta.label)
    deal_id = next_id(Deal)
    serial: dict[int, int] = defaultdict(int)
    taken = set(Contract.objects.values_list("number", flat=True))
    stages = list(Stage.values)
    with ctx.progress.bar(desc=str(Deal._meta.verbose_name_plural), total=len(ctx.rep_ids) * DEALS_PER_REP) as bar:
        for rep in ctx.rep_ids:
            pool = owned.get(rep, [])
            if not pool:
                continue
            won_before: set[int] = set()
            # the oldest first, so that a customer's later wins are its repurchases (R14)
            days = sorted((rng.randint(0, HISTORY_DAYS) for _ in range(DEALS_PER_REP)), reverse=True)
            for days_ago in days:
                customer = pool[rng.randrange(min(len(pool), DEALS_PER_REP * 2 // 3))]
                amount = _amount(rng.randint(10, 2000))
                draw = rng.random()
                moment = stamps.at(days_ago, rng.randint(540, 1050))
                status, stage = DealStatus.OPEN, stages[rng.randrange(len(stages))]
                signed: str | None = None
                won_by = won_team = lost_reason = None
                closed: str | None = None
                repurchase = False
                if draw < 0.45:
                    status, stage, signed = DealStatus.WON, Stage.NEGOTIATION, stamps.date(days_ago)
                    won_by, won_team, closed = rep, team_of.get(rep), moment
                    repurchase = customer in won_before
                    won_before.add(customer)
                elif (draw < 0.65 or days_ago > 180) and reason_ids:
                    status, lost_reason, closed = DealStatus.LOST, rng.choice(reason_ids), moment
                expected = stamps.date(max(days_ago - rng.randint(10, 60), 0)) if status == DealStatus.OPEN else None
                deals.add((
                    deal_id, customer, rng.choice(TITLES), amount, stage,
                    100 if status == DealStatus.WON else DEFAULT_PROBABILITY[Stage(stage)], expected, status, rep,
                    signed, won_by, won_team, repurchase, lost_reason, closed, rep, moment, moment,
                ))
                if signed is not None:
                    year = stamps.day(days_ago).year
                    serial[year] += 1
                    number = contract_number_format(year, serial[year])
                    while number in taken:
                        serial[year] += 1
                        number = contract_number_format(year, serial[year])
                    archived = days_ago > 10 and rng.random() < 0.8
                    contract_rows.add((deal_id, customer, number, signed, amount, archived,
                                       moment if archived else None, moment))
                deal_id += 1
                bar.update(1)
    deals.finish()
    contract_rows.finish()
    for year, last in serial.items():
        sequence, _created = ContractSequence.objects.get_or_create(year=year)
        sequence.last = max(sequence.last, last)
        sequence.save(update_fields=["last"])


def wipe_deals(generated_users: QuerySet[User]) -> None:
    """Remove the generated people's deals with their lines, contracts and history."""
    ids = Deal.objects.filter(owner__in=generated_users).values("pk")
    raw_delete(Contract.history.model.objects.filter(deal_id__in=ids))
    raw_delete(Contract.objects.filter(deal__in=ids))
    raw_delete(DealLine.objects.filter(deal__in=ids))
    raw_delete(Deal.history.model.objects.filter(id__in=ids))
    raw_delete(Deal.objects.filter(owner__in=generated_users))
