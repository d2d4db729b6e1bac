"""R13 win: signed date and final amount, the contract and its number, the customer won, the post-win tasks
on the working calendar (R2), the repurchase survey and mark (R14); one winner only."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from salesops.core.errors import Conflict, Invalid
from salesops.customers.models import Status
from salesops.deals import services
from salesops.deals.models import Contract, DealStatus, LossReason
from salesops.deals.winning import deal_win
from salesops.organisation.models import CalendarDay
from salesops.organisation.selectors import rule_settings
from salesops.tasks.models import Task, TaskKind

pytestmark = pytest.mark.django_db

SIGNED = dt.date(2026, 9, 30)  # the Wednesday before the National Day break


def test_a_win_makes_the_contract_marks_the_customer_and_credits_the_owner(actors, deal_of):
    deal = deal_of(actors.rep_a1)
    won = deal_win(deal=deal, by=actors.rep_a1, signed_at=SIGNED, amount="750000.00")
    assert (won.status, won.signed_at, won.amount) == (DealStatus.WON, SIGNED, Decimal("750000.00"))
    assert (won.won_by, won.won_team, won.is_repurchase) == (actors.rep_a1, actors.team_a, False)
    contract = Contract.objects.get(deal=deal)
    assert (contract.number, contract.amount, contract.signed_at) == ("HT-2026-00001", Decimal("750000.00"), SIGNED)
    assert contract.customer_id == deal.customer_id and not contract.archived
    deal.customer.refresh_from_db()
    assert deal.customer.status == Status.WON
    second = deal_win(deal=deal_of(actors.rep_a2), by=actors.lead_a, signed_at=SIGNED, amount="1.00")
    assert second.contract.number == "HT-2026-00002"
    assert second.won_by == actors.rep_a2  # the owner, not the lead who pressed the button (R21)


def test_numbers_run_per_signing_year(actors, deal_of):
    deal_win(deal=deal_of(actors.rep_a1), by=actors.rep_a1, signed_at=SIGNED, amount="1.00")
    earlier = deal_win(deal=deal_of(actors.rep_a1), by=actors.rep_a1, signed_at=dt.date(2025, 12, 31), amount="1.00")
    assert earlier.contract.number == "HT-2025-00001"


def test_post_win_tasks_fall_due_three_working_days_later_across_the_holiday_and_the_makeup_saturday(
    actors, deal_of
):
    won = deal_win(deal=deal_of(actors.rep_a1), by=actors.rep_a1, signed_at=SIGNED, amount="1.00")
    tasks = {task.kind: task for task in Task.objects.filter(deal=won)}
    # 1-7 October are off; Thursday 8th and Friday 9th are working days, so is Saturday 10th (调休)
    for kind in (TaskKind.CONTRACT_ARCHIVE, TaskKind.HANDOVER, TaskKind.SATISFACTION_CALL):
        assert tasks[kind].deadline == dt.date(2026, 10, 10)
    assert tasks[TaskKind.REPURCHASE_SURVEY].deadline == dt.date(2026, 10, 30)  # 30 calendar days (R14)
    for task in tasks.values():
        assert (task.assignee, task.assigner, task.customer_id) == (actors.rep_a1, actors.lead_a, won.customer_id)
    assert "HT-2026-00001" in tasks[TaskKind.CONTRACT_ARCHIVE].title


def test_the_working_calendar_and_the_rule_settings_decide_the_deadlines(actors, deal_of):
    CalendarDay.objects.create(date=dt.date(2026, 10, 9), kind=CalendarDay.Kind.DAY_OFF, note="公司团建")
    settings = rule_settings()
    settings.deal_followthrough_days, settings.repurchase_survey_days = 2, 45
    settings.save()
    won = deal_win(deal=deal_of(actors.rep_a1), by=actors.rep_a1, signed_at=SIGNED, amount="1.00")
    deadlines = dict(Task.objects.filter(deal=won).values_list("kind", "deadline"))
    assert deadlines[TaskKind.HANDOVER] == dt.date(2026, 10, 10)  # 8th, then 10th (the 9th is a company day off)
    assert deadlines[TaskKind.REPURCHASE_SURVEY] == SIGNED + dt.timedelta(days=45)


def test_a_leads_own_deal_is_assigned_in_their_own_name_and_a_team_without_a_lead_in_the_owners(actors, deal_of):
    won = deal_win(deal=deal_of(actors.lead_a), by=actors.lead_a, signed_at=SIGNED, amount="1.00")
    assert set(Task.objects.filter(deal=won).values_list("assigner", flat=True)) == {actors.lead_a.pk}
    actors.team_c.lead = None
    actors.team_c.save()
    won = deal_win(deal=deal_of(actors.rep_c1), by=actors.rep_c1, signed_at=SIGNED, amount="1.00")
    assert set(Task.objects.filter(deal=won).values_list("assigner", flat=True)) == {actors.rep_c1.pk}


def test_a_later_won_deal_of_a_won_customer_is_a_repurchase(actors, deal_of, customer_of):
    customer = customer_of(actors.rep_a1)
    first = deal_of(actors.rep_a1, customer=customer)
    later = deal_of(actors.rep_a1, customer=customer)
    other = deal_of(actors.rep_a1)
    assert not deal_win(deal=first, by=actors.rep_a1, signed_at=SIGNED, amount="1.00").is_repurchase
    assert deal_win(deal=later, by=actors.rep_a1, signed_at=SIGNED, amount="1.00").is_repurchase
    assert not deal_win(deal=other, by=actors.rep_a1, signed_at=SIGNED, amount="1.00").is_repurchase


def test_winning_twice_is_refused_and_changes_nothing(actors, deal_of):
    deal = deal_of(actors.rep_a1)
    deal_win(deal=deal, by=actors.rep_a1, signed_at=SIGNED, amount="5.00")
    with pytest.raises(Conflict) as again:
        deal_win(deal=deal, by=actors.lead_a, signed_at=dt.date(2026, 10, 8), amount="9.00")
    assert again.value.code == "deal_won"
    deal.refresh_from_db()
    assert (deal.amount, deal.signed_at) == (Decimal("5.00"), SIGNED)
    assert Contract.objects.count() == 1 and Task.objects.count() == 4


def test_a_lost_deal_is_not_won(actors, deal_of):
    deal = services.deal_lose(deal=deal_of(actors.rep_a1), by=actors.rep_a1, reason=LossReason.objects.first())
    with pytest.raises(Conflict):
        deal_win(deal=deal, by=actors.rep_a1, signed_at=SIGNED, amount="5.00")


def test_a_duplicate_contract_number_is_a_conflict_and_the_deal_stays_open(actors, deal_of):
    deal_win(deal=deal_of(actors.rep_a1), by=actors.rep_a1, signed_at=SIGNED, amount="1.00", contract_number="HT-甲-1")
    deal = deal_of(actors.rep_a1)
    with pytest.raises(Conflict) as duplicate:
        deal_win(deal=deal, by=actors.rep_a1, signed_at=SIGNED, amount="1.00", contract_number="HT-甲-1")
    assert duplicate.value.code == "duplicate_contract"
    deal.refresh_from_db()
    assert deal.status == DealStatus.OPEN and not Task.objects.filter(deal=deal).exists()


def test_a_number_typed_in_by_hand_is_skipped_by_the_sequence(actors, deal_of):
    deal_win(deal=deal_of(actors.rep_a1), by=actors.rep_a1, signed_at=SIGNED, amount="1.00",
             contract_number="HT-2026-00001")
    assert deal_win(deal=deal_of(actors.rep_a1), by=actors.rep_a1, signed_at=SIGNED,
                    amount="1.00").contract.number == "HT-2026-00002"


@pytest.mark.parametrize(("signed_at", "amount", "field"), [
    (SIGNED, "0", "amount"), (SIGNED, "-5", "amount"), (SIGNED, "0.001", "amount"), (SIGNED, "1e400", "amount"),
    (SIGNED, "abc", "amount"), (dt.date(2099, 1, 1), "5.00", "signed_at"), (None, "5.00", "signed_at"),
])
def test_bad_win_input_is_refused_and_changes_nothing(actors, deal_of, signed_at, amount, field):
    deal = deal_of(actors.rep_a1)
    with pytest.raises(Invalid) as refused:
        deal_win(deal=deal, by=actors.rep_a1, signed_at=signed_at, amount=amount)
    assert field in refused.value.fields
    deal.refresh_from_db()
    assert deal.status == DealStatus.OPEN and not Contract.objects.exists()


def test_won_again_after_a_reopen_keeps_its_contract_and_tasks(actors, deal_of):
    deal = deal_of(actors.rep_a1)
    deal_win(deal=deal, by=actors.rep_a1, signed_at=SIGNED, amount="5.00")
    reopened = services.deal_reopen(deal=deal, by=actors.lead_a, reason="合同条款重谈")
    assert (reopened.status, reopened.won_by, reopened.signed_at) == (DealStatus.OPEN, None, None)
    again = deal_win(deal=deal, by=actors.rep_a1, signed_at=dt.date(2026, 10, 8), amount="6.00")
    contract = Contract.objects.get(deal=deal)
    assert (contract.number, contract.amount) == ("HT-2026-00001", Decimal("6.00"))
    assert again.status == DealStatus.WON and Task.objects.filter(deal=deal).count() == 4
