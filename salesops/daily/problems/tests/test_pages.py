"""Problem and success-case pages: raised from a summary or a customer page with the link's pre-fill and
back to where one came from, the list open first, the manager's transitions, fixed query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from salesops.customers.models import Customer
from salesops.daily.problems import services
from salesops.daily.problems.models import Problem, ProblemSource, ProblemStatus, SuccessCase
from salesops.deals.models import Deal
from salesops.testing.actors import Actors


@pytest.mark.django_db
def test_a_problem_raised_from_a_customer_page_goes_back_there(actors: Actors, client: Client,
                                                                customer: Customer) -> None:
    client.force_login(actors.rep_a1)
    back = reverse("customer-detail", args=[customer.pk])
    link = f"{reverse('problem-create')}?customer={customer.pk}&source=customer&next={back}"
    page = client.get(link).content.decode()
    assert customer.name in page and f'name="next" value="{back}"' in page
    answer = client.post(link, {"title": "客户要求降价", "category": "pricing", "customer": customer.pk,
                                "source": "customer", "next": back})
    assert answer.status_code == 302 and answer["Location"] == back
    problem = Problem.objects.get()
    assert (problem.customer, problem.source, problem.team) == (customer, ProblemSource.CUSTOMER, actors.team_a)
    client.force_login(actors.rep_a2)
    assert client.get(link).status_code == 404
    assert client.get(f"{reverse('problem-create')}?next=https://evil.example/").status_code == 200
    answer = client.post(reverse("problem-create"), {"title": "外链", "category": "other",
                                                     "next": "https://evil.example/"})
    assert answer["Location"] == reverse("problem-detail", args=[Problem.objects.get(title="外链").pk])


@pytest.mark.django_db
def test_the_customer_page_links_to_raise_and_share(actors: Actors, client: Client, customer: Customer) -> None:
    client.force_login(actors.rep_a1)
    page = client.get(reverse("customer-detail", args=[customer.pk])).content.decode()
    assert f"{reverse('problem-create')}?customer={customer.pk}&amp;source=customer" in page
    assert f"{reverse('success-case-create')}?customer={customer.pk}" in page


@pytest.mark.django_db
def test_the_list_shows_open_ones_first_and_the_lead_moves_them_on(actors: Actors, client: Client) -> None:
    done = services.problem_raise(by=actors.rep_a1, title="已解决的", category="other")
    services.problem_resolve(by=actors.lead_a, problem=done, resolution="处理了")
    services.problem_raise(by=actors.rep_a2, title="还开着的", category="pricing")
    client.force_login(actors.rep_a1)
    page = client.get(reverse("problems")).content.decode()
    assert page.index("还开着的") < page.index("已解决的")
    opened = Problem.objects.get(title="还开着的")
    assert client.post(reverse("problem-resolve", args=[opened.pk]), {"resolution": "自己"}).status_code == 403
    client.force_login(actors.lead_a)
    detail = client.get(reverse("problem-detail", args=[opened.pk])).content.decode()
    assert 'data-testid="assign-form"' in detail and 'data-testid="resolve-form"' in detail
    client.post(reverse("problem-assign", args=[opened.pk]), {"owner_resource": "pricing_approval", "version": "1"})
    client.post(reverse("problem-start", args=[opened.pk]), {"version": "2"})
    refused = client.post(reverse("problem-resolve", args=[opened.pk]), {"resolution": "", "version": "3"})
    assert refused.status_code == 302 and Problem.objects.get(pk=opened.pk).status == ProblemStatus.IN_PROGRESS
    client.post(reverse("problem-resolve", args=[opened.pk]), {"resolution": "特价已批", "version": "3"})
    opened.refresh_from_db()
    assert (opened.status, opened.owner_resource, opened.resolution) == ("resolved", "pricing_approval", "特价已批")


@pytest.mark.django_db
def test_a_success_case_is_shared_from_a_deal(actors: Actors, client: Client, deal: Deal) -> None:
    client.force_login(actors.rep_a1)
    link = f"{reverse('success-case-create')}?deal={deal.pk}&source=brief"
    assert deal.title in client.get(link).content.decode()
    answer = client.post(link, {"deal": deal.pk, "title": "样机试用", "story": "先试用再签约"})
    assert answer.status_code == 302
    case = SuccessCase.objects.get()
    assert (case.deal, case.customer_id, case.team) == (deal, deal.customer_id, actors.team_a)
    client.force_login(actors.rep_a2)
    page = client.get(reverse("success-cases")).content.decode()
    assert "样机试用" in page and deal.title not in page


@pytest.mark.django_db
def test_the_lists_read_a_fixed_number_of_queries(actors: Actors, client: Client, customer: Customer) -> None:
    def count(path: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        return len(queries)

    services.problem_raise(by=actors.rep_a1, title="一", category="other", customer=customer)
    services.success_case_create(by=actors.rep_a1, title="一", story="一", customer=customer)
    client.force_login(actors.lead_a)
    few = (count(reverse("problems")), count(reverse("success-cases")))
    for n in range(5):
        services.problem_raise(by=actors.rep_a2, title=f"问题{n}", category="other")
        services.success_case_create(by=actors.rep_a1, title=f"案例{n}", story="故事", customer=customer)
    assert (count(reverse("problems")), count(reverse("success-cases"))) == few
    assert max(few) <= 12
