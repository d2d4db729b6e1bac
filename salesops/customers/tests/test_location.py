"""A customer's location (latitude, longitude) for ordering visit routes (R7): edited on the customer form
and through the API, checked once in the service (degrees within range), kept in the history (R12)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from salesops.core.errors import Invalid
from salesops.customers import services
from salesops.customers.models import Customer
from salesops.testing.pages import form_of

pytestmark = pytest.mark.django_db


def test_the_form_edits_the_location(actors, client):
    customer = services.customer_create(by=actors.rep_a1, owner=actors.rep_a1, name="苏州恒通精密机械有限公司")
    client.force_login(actors.rep_a1)
    edit = reverse("customer-edit", args=[customer.pk])
    sent = form_of(client.get(edit).content.decode(), start='method="post"')
    sent.update(latitude="31.299000", longitude="120.585300")
    assert client.post(edit, sent).status_code == 302
    customer.refresh_from_db()
    assert (customer.latitude, customer.longitude) == (Decimal("31.299000"), Decimal("120.585300"))
    sent.update(latitude="91", version=str(customer.version))
    assert client.post(edit, sent).status_code == 400
    assert Customer.objects.get(pk=customer.pk).latitude == Decimal("31.299000")


def test_the_service_refuses_degrees_out_of_range(actors):
    customer = services.customer_create(by=actors.rep_a1, owner=actors.rep_a1, name="无锡华锐电子有限公司")
    with pytest.raises(Invalid) as refused:
        services.customer_update(by=actors.rep_a1, customer=customer, longitude=Decimal("181"))
    assert "longitude" in refused.value.fields
    services.customer_update(by=actors.rep_a1, customer=customer, latitude=Decimal("31.5"),
                             longitude=Decimal("120.3"))
    assert Customer.objects.get(pk=customer.pk).longitude == Decimal("120.300000")


def test_the_api_sets_the_location(actors, api_as):
    customer = services.customer_create(by=actors.rep_a1, owner=actors.rep_a1, name="常州力达机电有限公司")
    answer = api_as(actors.rep_a1).patch(f"/api/customers/{customer.pk}/", {
        "latitude": "31.810000", "longitude": "119.970000", "version": customer.version}, format="json")
    assert answer.status_code == 200 and answer.json()["latitude"] == "31.810000"
