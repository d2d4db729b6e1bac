"""Plan pages (R7): today's plan pre-filled and made, the route moved by buttons and optimised, a request
added and submitted; the lead's team page approves and fulfils; print and sheet with the page's fields;
fixed query counts."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from salesops.daily.plans import requests, services
from salesops.daily.plans.models import DailyPlan, PlanStatus, RequestStatus
from salesops.daily.plans.tests.conftest import DAY

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def _version(client, plan):
    page = client.get(reverse("plan-detail", args=[plan.pk])).content.decode()
    found = re.search(r'name="version" value="(\d+)"', page)
    assert found is not None
    return int(found.group(1))


def test_todays_plan_is_pre_filled_then_made(actors, client, make_customer, clock):
    make_customer("苏州恒通精密机械有限公司", due=DAY)
    client.force_login(actors.rep_a1)
    page = client.get(reverse("plan-today"), **ZH).content.decode()
    assert "苏州恒通精密机械有限公司" in page and "应跟进客户" in page
    answer = client.post(reverse("plan-create") + f"?date={DAY.isoformat()}")
    plan = DailyPlan.objects.get()
    assert answer["Location"] == reverse("plan-detail", args=[plan.pk])
    assert f'action="{reverse("plan-submit", args=[plan.pk])}"' in client.get(reverse("plan-today")).content.decode()
    again = client.post(reverse("plan-create") + f"?date={DAY.isoformat()}")
    assert again["Location"] == reverse("plan-detail", args=[plan.pk]) and DailyPlan.objects.count() == 1


def test_the_route_is_moved_by_buttons_and_optimised(actors, client, make_customer, make_plan):
    a = make_customer("甲", at=("31.30", "120.50"))
    c = make_customer("丙", at=("31.30", "120.70"))
    b = make_customer("乙", at=("31.30", "120.60"))
    plan = make_plan(customers=[a.pk, c.pk, b.pk])
    client.force_login(actors.rep_a1)
    for customer in (a, c, b):
        client.post(reverse("plan-edit", args=[plan.pk]), {"op": f"visit:{customer.pk}",
                                                           "version": _version(client, plan)})
    client.post(reverse("plan-edit", args=[plan.pk]), {"op": f"up:{b.pk}",
                                                       "version": _version(client, plan)})
    route = [row.customer_id for row in plan.stops.exclude(stop=None).order_by("stop")]
    assert route == [a.pk, b.pk, c.pk]
    client.post(reverse("plan-edit", args=[plan.pk]), {"op": f"down:{a.pk}",
                                                       "version": _version(client, plan)})
    assert [row.customer_id for row in plan.stops.exclude(stop=None).order_by("stop")] == [b.pk, a.pk, c.pk]
    answer = client.post(reverse("plan-edit", args=[plan.pk]), {"op": "optimise",
                                                                "version": _version(client, plan)}, follow=True, **ZH)
    assert "公里" in answer.content.decode() or "km" in answer.content.decode()
    assert [row.customer_id for row in plan.stops.exclude(stop=None).order_by("stop")] in (
        [a.pk, b.pk, c.pk], [c.pk, b.pk, a.pk])
    stale = client.post(reverse("plan-edit", args=[plan.pk]), {"op": "materials", "materials": "旧",
                                                               "version": 1}, follow=True)
    assert stale.status_code == 200 and DailyPlan.objects.get(pk=plan.pk).materials == ""


def test_a_request_is_added_the_plan_submitted_and_the_lead_decides(actors, client, make_plan):
    plan = make_plan()
    client.force_login(actors.rep_a1)
    client.post(reverse("plan-request-add", args=[plan.pk]), {"kind": "samples", "detail": "样品两箱"})
    client.post(reverse("plan-submit", args=[plan.pk]), {"version": _version(client, plan)})
    assert DailyPlan.objects.get(pk=plan.pk).status == PlanStatus.SUBMITTED
    client.force_login(actors.lead_a)
    page = client.get(reverse("plans-team") + f"?date={DAY.isoformat()}").content.decode()
    assert "样品两箱" in page and f'data-testid="approve-{plan.pk}"' in page
    back = reverse("plans-team") + f"?date={DAY.isoformat()}"
    answer = client.post(reverse("plan-approve", args=[plan.pk]), {"next": back})
    assert answer["Location"] == back and DailyPlan.objects.get(pk=plan.pk).status == PlanStatus.APPROVED
    row = plan.requests.get()
    client.post(reverse("request-fulfil", args=[row.pk]), {"comment": "下午送到", "next": back})
    row.refresh_from_db()
    assert row.status == RequestStatus.FULFILLED and row.comment == "下午送到"


def test_reps_have_no_team_page(actors, client):
    client.force_login(actors.rep_a1)
    assert client.get(reverse("plans-team")).status_code == 403


def test_print_and_sheet_carry_the_fields_of_the_page(actors, client, make_customer, make_plan):
    customer = make_customer("=HYPERLINK(\"x\")公司")
    plan = make_plan(customers=[customer.pk], route=[customer.pk], materials="产品手册")
    requests.request_create(by=actors.rep_a1, plan=plan, kind="tech_support", detail="工程师演示")
    client.force_login(actors.lead_a)
    printed = client.get(reverse("plan-print", args=[plan.pk]), **ZH).content.decode()
    for text in ("张伟", "产品手册", "工程师演示", "技术支持", "拜访路线"):
        assert text in printed
    answer = client.get(reverse("plan-sheet", args=[plan.pk]), **ZH)
    book = openpyxl.load_workbook(io.BytesIO(b"".join(answer.streaming_content)))
    cells = [str(cell) for row in book.active.iter_rows(values_only=True) for cell in row if cell is not None]
    assert "产品手册" in cells and "工程师演示" in cells and "'=HYPERLINK(\"x\")公司" in cells


@pytest.mark.parametrize("count", [1, 8])
def test_the_plan_pages_take_a_fixed_number_of_queries(actors, client, make_customer, make_plan, count):
    people = [actors.rep_a1, actors.rep_a2, actors.lead_a][: 1 if count == 1 else 3]
    plans = []
    for n, person in enumerate(people):
        customers = [make_customer(f"客户{n}-{i}", owner=person, due=DAY, at=("31.3", f"120.{i}"))
                     for i in range(count)]
        plan = make_plan(by=person, customers=[c.pk for c in customers], route=[c.pk for c in customers])
        requests.request_create(by=person, plan=plan, kind="samples", detail="样品")
        plans.append(services.plan_submit(by=person, plan=plan))
    for user, url in ((actors.rep_a1, reverse("plan-detail", args=[plans[0].pk])),
                      (actors.rep_a1, reverse("plan-create")),
                      (actors.lead_a, reverse("plans-team") + f"?date={DAY.isoformat()}")):
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        assert len(queries) <= 15, [query["sql"] for query in queries]
