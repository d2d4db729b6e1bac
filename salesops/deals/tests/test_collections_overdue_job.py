"""The instalments_overdue job (R13): each instalment past its due date and not received in full is flagged
to the owner and the owner's lead, once; running it again (the same day or later) tells nobody twice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from salesops.accounts.models import User
from salesops.deals.collections import services
from salesops.deals.collections.services import PlanLine
from salesops.deals.models import Instalment
from salesops.jobs import registry
from salesops.notifications.models import Notification
from salesops.testing.money_factories import make_contract, make_payment, make_plan

pytestmark = pytest.mark.django_db(transaction=True)

DAY = dt.date(2026, 5, 6)


@pytest.fixture(autouse=True)
def english(actors):
    """Everyone reads English unless a test says otherwise (messages are in the addressee's language)."""
    User.objects.update(language="en")
    for person in actors.all_people().values():
        person.language = "en"
    with translation.override("en"):
        yield


def run(day: dt.date = DAY) -> dict[str, int]:
    summary = registry.get("instalments_overdue").function(day)
    assert summary is not None
    return summary


def told() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for note in Notification.objects.filter(kind="instalment_overdue").select_related("user").order_by("id"):
        found.setdefault(note.user.username, []).append(note.title)
    return found


def test_overdue_instalments_are_flagged_to_owner_and_lead_once(actors):
    contract = make_contract(actors.rep_a1, amount="300000.00")
    late, partly, paid, later = make_plan(contract, [
        (dt.date(2026, 5, 1), "100000.00"), (dt.date(2026, 5, 5), "100000.00"), (dt.date(2026, 4, 1), "50000.00"),
        (DAY, "50000.00")])
    make_payment(partly, "40000.00", dt.date(2026, 5, 5))
    make_payment(paid, "50000.00", dt.date(2026, 4, 1))
    assert run() == {"flagged": 2, "told": 2}
    assert told() == {"rep_a1": ["2 instalments overdue, ¥160,000.00 outstanding"],
                      "lead_a": ["2 instalments overdue, ¥160,000.00 outstanding"]}
    note = Notification.objects.get(user=actors.lead_a)
    assert [link["url"] for link in note.links] == [f"/contracts/{contract.pk}/collections/"] * 2
    assert note.url == "/collections/?period=2026-05&overdue=true"
    flagged = dict(Instalment.objects.values_list("pk", "overdue_flagged_on"))
    assert flagged == {late.pk: DAY, partly.pk: DAY, paid.pk: None, later.pk: None}
    assert run() == {"flagged": 0, "told": 0}
    assert run(DAY + dt.timedelta(days=1)) == {"flagged": 1, "told": 2}  # the one due on DAY, once
    assert len(told()["rep_a1"]) == 2


def test_each_person_is_told_in_their_language(actors):
    actors.lead_a.language = "zh-hans"
    actors.lead_a.save()
    make_plan(make_contract(actors.rep_a1, amount="10.00"), [(dt.date(2026, 5, 1), "10.00")])
    run()
    assert told() == {"rep_a1": ["1 instalment overdue, ¥10.00 outstanding"],
                      "lead_a": ["1 期回款逾期，未收 ¥10.00"]}


def test_a_lead_who_owns_the_contract_is_told_once(actors):
    make_plan(make_contract(actors.lead_a, amount="10.00"), [(dt.date(2026, 5, 1), "10.00")])
    run()
    assert told() == {"lead_a": ["1 instalment overdue, ¥10.00 outstanding"]}


def test_a_new_due_date_makes_the_instalment_overdue_again_once(actors):
    contract = make_contract(actors.rep_b1, amount="10.00")
    instalment = make_plan(contract, [(dt.date(2026, 5, 1), "10.00")])[0]
    run()
    services.instalments_replace(by=actors.rep_b1, contract_id=contract.pk,
                                 plan=[PlanLine(dt.date(2026, 5, 10), instalment.amount, instalment.pk)])
    instalment.refresh_from_db()
    assert instalment.overdue_flagged_on is None
    assert run(dt.date(2026, 5, 11))["flagged"] == 1
    assert len(told()["rep_b1"]) == 2


def test_replaced_instalments_are_not_flagged(actors):
    instalment = make_plan(make_contract(actors.rep_c1, amount="10.00"), [(dt.date(2026, 5, 1), "10.00")])[0]
    Instalment.objects.filter(pk=instalment.pk).update(is_active=False)
    assert run() == {"flagged": 0, "told": 0}
