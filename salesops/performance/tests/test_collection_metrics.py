"""Collections and the collection rate (R21) on a hand-computed example, per person, team and organisation.

March 2026, read on 1 April:
- rep_a1, contract of ¥200,000: ¥100,000 due 10 March (¥60,000 received 12 March), ¥50,000 due 20 March
  (paid early, 27 February), ¥50,000 due 10 April (¥10,000 received 30 March); a receipt of ¥5,000 on
  12 March voided; a replaced instalment of ¥70,000 due in March (inactive).
- rep_a2, ¥40,000 due 15 March, nothing received.
- rep_b1, ¥30,000 due 5 March, received that day.

By hand:            due       received of it   rate             collections (received in March)
  rep_a1        150,000      110,000           110/150           60,000 + 10,000 = 70,000
  rep_a2         40,000            0           0                 0
  team_a        190,000      110,000           110/190           70,000
  rep_b1/team_b  30,000       30,000           1                 30,000
  organisation  220,000      140,000           140/220           100,000
Outstanding = due - received; all of it is overdue on 1 April (every March date has passed).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from salesops.deals.models import Instalment
from salesops.performance.engine import Subject, figures, figures_per
from salesops.performance.metrics import Level
from salesops.performance.periods import Period
from salesops.testing.money_factories import make_contract, make_payment, make_plan

pytestmark = pytest.mark.django_db

D = Decimal
MARCH = Period.parse("2026-03")
APRIL_1 = dt.date(2026, 4, 1)
METRICS = ["collections", "collection_rate", "amount_due", "due_received", "outstanding", "overdue_amount"]


@pytest.fixture
def ledger(actors):
    c1 = make_contract(actors.rep_a1, amount="200000.00", signed_at=dt.date(2026, 2, 20))
    i1, i2, i3 = make_plan(c1, [(dt.date(2026, 3, 10), "100000.00"), (dt.date(2026, 3, 20), "50000.00"),
                                (dt.date(2026, 4, 10), "50000.00")])
    make_payment(i1, "60000.00", dt.date(2026, 3, 12))
    make_payment(i2, "50000.00", dt.date(2026, 2, 27))
    make_payment(i3, "10000.00", dt.date(2026, 3, 30))
    voided = make_payment(i1, "5000.00", dt.date(2026, 3, 12))
    voided.is_active = False
    voided.save()
    Instalment.objects.filter(pk=i1.pk).update(received=D("60000.00"))
    replaced = make_plan(c1, [(dt.date(2026, 3, 1), "70000.00")])[0]
    Instalment.objects.filter(pk=replaced.pk).update(is_active=False)
    make_plan(make_contract(actors.rep_a2, amount="40000.00"), [(dt.date(2026, 3, 15), "40000.00")])
    i5 = make_plan(make_contract(actors.rep_b1, amount="30000.00"), [(dt.date(2026, 3, 5), "30000.00")])[0]
    make_payment(i5, "30000.00", dt.date(2026, 3, 5))
    # A later move of rep_a1 to team B moves no past figure (R21): the rows keep team A.
    actors.rep_a1.team = actors.team_b
    actors.rep_a1.save()
    return actors


def expected(due, received, collections):
    due, received = D(due), D(received)
    return {
        "collections": D(collections), "collection_rate": float(received / due), "amount_due": due,
        "due_received": received, "outstanding": due - received, "overdue_amount": due - received,
    }


def test_each_person_at_their_own_level(ledger):
    found = figures_per(level=Level.PERSON, ids=[ledger.rep_a1.pk, ledger.rep_a2.pk, ledger.rep_b1.pk],
                        period=MARCH, metrics=METRICS, today=APRIL_1)
    assert found[ledger.rep_a1.pk] == expected("150000.00", "110000.00", "70000.00")
    assert found[ledger.rep_a2.pk] == expected("40000.00", "0.00", "0.00")
    assert found[ledger.rep_b1.pk] == expected("30000.00", "30000.00", "30000.00")
    assert found[ledger.rep_a1.pk]["collection_rate"] == pytest.approx(0.7333333)


def test_teams_and_the_organisation_over_their_own_rows(ledger):
    teams = figures_per(level=Level.TEAM, ids=[ledger.team_a.pk, ledger.team_b.pk, ledger.team_c.pk],
                        period=MARCH, metrics=METRICS, today=APRIL_1)
    assert teams[ledger.team_a.pk] == expected("190000.00", "110000.00", "70000.00")
    assert teams[ledger.team_b.pk] == expected("30000.00", "30000.00", "30000.00")
    org = figures(subject=Subject.org(), period=MARCH, metrics=METRICS, today=APRIL_1)
    assert org == expected("220000.00", "140000.00", "100000.00")
    assert org["collection_rate"] == pytest.approx(0.6363636)
    both = figures(subject=Subject.teams([ledger.team_a.pk, ledger.team_b.pk]), period=MARCH, metrics=METRICS,
                   today=APRIL_1)
    assert both == org


def test_no_instalment_due_is_no_rate_and_nothing_overdue_before_the_due_date(ledger):
    team_c = figures(subject=Subject.team(ledger.team_c.pk), period=MARCH, metrics=METRICS, today=APRIL_1)
    assert team_c["collection_rate"] is None
    assert team_c["amount_due"] == D("0.00")
    early = figures(subject=Subject.person(ledger.rep_a2.pk), period=MARCH, metrics=METRICS,
                    today=dt.date(2026, 3, 15))
    assert (early["outstanding"], early["overdue_amount"]) == (D("40000.00"), D("0.00"))


def test_april_counts_the_instalment_due_in_april_with_its_march_receipt(ledger):
    april = figures(subject=Subject.person(ledger.rep_a1.pk), period=Period.parse("2026-04"), metrics=METRICS,
                    today=APRIL_1)
    assert (april["amount_due"], april["due_received"], april["collections"]) == (
        D("50000.00"), D("10000.00"), D("0.00"))
    assert april["collection_rate"] == pytest.approx(0.2)
