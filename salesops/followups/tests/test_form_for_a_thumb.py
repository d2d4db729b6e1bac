"""The follow-up form made for a phone (R11): the last next step above it, quick dates on the working
calendar (R2), required fields marked, visit-only parts, no "---------", back to where it was opened."""

from __future__ import annotations

import datetime as dt

import pytest

from salesops.customers.models import Contact
from salesops.followups.models import FollowUp
from salesops.followups.tests.conftest import local
from salesops.followups.views import quick_dates
from salesops.organisation.models import CalendarDay
from salesops.organisation.selectors import work_calendar


def test_form_shows_the_last_records_next_step(client, actors, make_customer, clock):
    customer = make_customer(owner=actors.rep_a1)
    FollowUp.objects.create(customer=customer, author=actors.lead_a, contacted_at=local(2026, 3, 2, 9),
                            channel="visit", key_points="看样品", next_step="周四前寄报价单")
    FollowUp.objects.create(customer=customer, author=actors.rep_a1, contacted_at=local(2026, 3, 1, 9),
                            channel="phone", key_points="初次电话", next_step="约拜访")
    client.force_login(actors.rep_a1)
    response = client.get(f"/customers/{customer.pk}/followup/")
    assert response.context["last"].next_step == "周四前寄报价单"  # the latest, whoever wrote it (R1)
    page = response.content.decode()
    assert 'data-testid="last-step"' in page and "周四前寄报价单" in page and "约拜访" not in page


def test_form_without_an_earlier_record_has_no_last_step(client, actors, make_customer, clock):
    customer = make_customer(owner=actors.rep_a1)
    client.force_login(actors.rep_a1)
    assert b'data-testid="last-step"' not in client.get(f"/customers/{customer.pk}/followup/").content


def test_form_marks_required_fields_and_has_no_dashes(client, actors, make_customer, clock):
    customer = make_customer(owner=actors.rep_a1)
    client.force_login(actors.rep_a1)
    page = client.get(f"/customers/{customer.pk}/followup/").content.decode()
    assert "---------" not in page
    assert 'name="contact"' not in page  # no contacts: no contact field
    required = {"id_key_points", "id_contacted_at"}
    for field in required:
        assert f'<label for="{field}">' in page
        label = page.split(f'<label for="{field}">', 1)[1].split("</label>", 1)[0]
        assert 'class="req"' in label
    label = page.split('<label for="id_next_step">', 1)[1].split("</label>", 1)[0]
    assert 'class="req"' not in label


def test_contact_choice_says_not_specified_instead_of_dashes(client, actors, make_customer, clock):
    customer = make_customer(owner=actors.rep_a1)
    Contact.objects.create(customer=customer, name="周经理")
    client.force_login(actors.rep_a1)
    page = client.get(f"/customers/{customer.pk}/followup/").content.decode()
    assert 'name="contact"' in page and "周经理" in page and "不指定" in page and "---------" not in page


def test_check_in_and_photos_show_for_a_visit_only(client, actors, make_customer, clock):
    customer = make_customer(owner=actors.rep_a1)
    client.force_login(actors.rep_a1)
    phone = client.get(f"/customers/{customer.pk}/followup/").content.decode()
    visit_only = phone.split('data-testid="visit-only"', 1)[1].split(">", 1)[0]
    assert "x-cloak" in visit_only  # hidden until the channel is a visit
    assert phone.index('data-testid="visit-only"') < phone.index("data-checkin-button") < phone.index('name="photos"')
    body = {"channel": "visit", "contacted_at": "2026-03-05T09:00", "key_points": "x"}  # refused: in the future
    again = client.post(f"/customers/{customer.pk}/followup/", body).content.decode()
    assert "x-cloak" not in again.split('data-testid="visit-only"', 1)[1].split(">", 1)[0]


@pytest.mark.django_db
def test_quick_dates_follow_the_working_calendar():
    calendar = work_calendar()
    wednesday = dt.date(2026, 3, 4)
    offered = quick_dates(wednesday, calendar)
    # in 3 days is Sat 03-07, moved to Mon 03-09, which is also next Monday: a week on takes its place
    assert [(str(label), day) for label, day in offered] == [
        ("明天", dt.date(2026, 3, 5)), ("3天后", dt.date(2026, 3, 9)), ("一周后", dt.date(2026, 3, 11))
    ]


@pytest.mark.django_db
def test_quick_dates_never_offer_one_day_twice():
    calendar = work_calendar()
    friday, sunday = dt.date(2026, 3, 6), dt.date(2026, 3, 8)
    assert [(str(label), day) for label, day in quick_dates(friday, calendar)] == [
        ("下一个工作日", dt.date(2026, 3, 9)), ("一周后", dt.date(2026, 3, 13)), ("两周后", dt.date(2026, 3, 20))
    ]
    # on a Sunday next Monday is tomorrow: offered once
    days = [day for _label, day in quick_dates(sunday, calendar)]
    assert days == [dt.date(2026, 3, 9), dt.date(2026, 3, 11), dt.date(2026, 3, 16)]
    for today in (dt.date(2026, 3, 1) + dt.timedelta(days=n) for n in range(60)):
        days = [day for _label, day in quick_dates(today, calendar)]
        assert len(days) == len(set(days)) == 3


@pytest.mark.django_db
def test_quick_dates_skip_a_company_day_off():
    CalendarDay.objects.create(date=dt.date(2026, 3, 5), kind=CalendarDay.Kind.DAY_OFF, note="团建")
    (label, day), *_rest = quick_dates(dt.date(2026, 3, 4), work_calendar())
    assert (str(label), day) == ("下一个工作日", dt.date(2026, 3, 6))


def test_form_offers_the_quick_dates(client, actors, make_customer, clock):
    customer = make_customer(owner=actors.rep_a1)
    client.force_login(actors.rep_a1)
    page = client.get(f"/customers/{customer.pk}/followup/").content.decode()
    for day in ("2026-03-05", "2026-03-09"):
        assert f'data-date="{day}"' in page
    assert "明天" in page and "3天后" in page and "一周后" in page


@pytest.mark.parametrize(
    ("next_url", "lands"), [("/", "/"), ("https://evil.example/", "/today/"), ("", "/today/")]
)
def test_saving_returns_to_the_page_it_came_from_on_this_site(client, actors, make_customer, clock, next_url, lands):
    customer = make_customer(owner=actors.rep_a1, grade="A")
    client.force_login(actors.rep_a1)
    body = {"channel": "phone", "contacted_at": "2026-03-04T15:10", "key_points": "报价", "next": next_url}
    response = client.post(f"/customers/{customer.pk}/followup/", body)
    assert response.status_code == 302 and response["Location"] == lands
    assert FollowUp.objects.filter(customer=customer).count() == 1
