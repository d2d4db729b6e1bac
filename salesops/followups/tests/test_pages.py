"""Pages: my follow-ups due today (R10), the phone follow-up form (R11)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from salesops.customers.models import Customer
from salesops.followups.models import FollowUp
from salesops.organisation.selectors import rule_settings


def test_today_lists_my_due_customers_only(client, actors, due_customers):
    client.force_login(actors.rep_a1)
    response = client.get("/today/")
    assert response.status_code == 200
    listed = [c.pk for c in response.context["page"]]
    assert listed == [due_customers["overdue"].pk, due_customers["today"].pk]
    assert [c.cadence_status for c in response.context["page"]] == ["overdue", "due_today"]
    assert f'/customers/{due_customers["today"].pk}/followup/'.encode() in response.content


def test_today_is_a_fixed_number_of_queries(client, actors, make_customer, clock, django_assert_max_num_queries):
    for n in range(30):
        make_customer(owner=actors.rep_a1, name=f"客户{n}", next_due_at=timezone.localdate())
    rule_settings()
    client.force_login(actors.rep_a1)
    with django_assert_max_num_queries(10):
        response = client.get("/today/")
    assert len(response.context["page"]) == 30


def test_form_prefills_now_and_the_cadence_date(client, actors, make_customer, clock):
    customer = make_customer(owner=actors.rep_a1, grade="B")
    client.force_login(actors.rep_a1)
    response = client.get(f"/customers/{customer.pk}/followup/")
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["contacted_at"] == timezone.localtime(clock.now)
    assert form.initial["next_followup_at"] == dt.date(2026, 3, 6)  # B: 2 working days after Wednesday 03-04
    assert b'type="datetime-local"' in response.content
    assert b"<script>" not in response.content and b'style="' not in response.content


def test_form_post_logs_and_moves_the_due_date(client, actors, make_customer, clock):
    customer = make_customer(owner=actors.rep_a1, grade="A")
    client.force_login(actors.rep_a1)
    response = client.post(
        f"/customers/{customer.pk}/followup/",
        {"channel": "visit", "contacted_at": "2026-03-04T15:10", "key_points": "看样品", "next_followup_at": ""},
    )
    assert response.status_code == 302
    assert response["Location"] == "/today/"
    followup = FollowUp.objects.get()
    assert (followup.channel, followup.late, followup.author) == ("visit", False, actors.rep_a1)
    assert Customer.objects.get(pk=customer.pk).next_due_at == dt.date(2026, 3, 5)


def test_form_errors_keep_the_input_and_create_nothing(client, actors, make_customer, clock):
    customer = make_customer(owner=actors.rep_a1)
    client.force_login(actors.rep_a1)
    response = client.post(
        f"/customers/{customer.pk}/followup/",
        {"channel": "phone", "contacted_at": "2026-03-05T09:00", "key_points": "明天的事"},
    )
    assert response.status_code == 400
    assert "contacted_at" in response.context["form"].errors
    assert FollowUp.objects.count() == 0


@pytest.mark.parametrize("who", ["rep_a2", "rep_b1", "lead_b"])
def test_form_for_someone_elses_customer_is_404(client, actors, make_customer, clock, who):
    customer = make_customer(owner=actors.rep_a1)
    client.force_login(getattr(actors, who))
    assert client.get(f"/customers/{customer.pk}/followup/").status_code == 404
    body = {"channel": "phone", "contacted_at": "2026-03-04T15:00", "key_points": "x"}
    response = client.post(f"/customers/{customer.pk}/followup/", body)
    assert response.status_code == 404
    assert FollowUp.objects.count() == 0
