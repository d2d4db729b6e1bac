"""R15: the name without the places that qualify it (near matches), and the keys of the names and phones
as they are now made (places in brackets kept in the name key, traditional characters simplified, phone
extensions left out), filled in for the rows there are."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import migrations, models

from salesops.customers.normalise import name_keys, phone_key, search_words

CHUNK = 2000


def _phone(text: str, old: str) -> str:
    try:
        return phone_key(text)
    except ValidationError:  # a number the old rules took and these refuse keeps its key
        return old


def fill_keys(apps: Any, schema_editor: Any) -> None:
    customer_model = apps.get_model("customers", "Customer")
    contact_model = apps.get_model("customers", "Contact")
    stale: set[int] = set()  # customers whose search words change with the keys
    last = 0
    while rows := list(customer_model.objects.filter(pk__gt=last).order_by("pk")
                       .only("pk", "name", "phone", "name_key", "name_base_key", "phone_key")[:CHUNK]):
        changed = []
        for row in rows:
            keys = name_keys(row.name)
            new = (keys.exact, keys.base, _phone(row.phone, row.phone_key))
            if new != (row.name_key, row.name_base_key, row.phone_key):
                if (new[0], new[2]) != (row.name_key, row.phone_key):
                    stale.add(row.pk)
                row.name_key, row.name_base_key, row.phone_key = new
                changed.append(row)
        customer_model.objects.bulk_update(changed, ["name_key", "name_base_key", "phone_key"])
        last = rows[-1].pk
    last = 0
    while rows := list(contact_model.objects.filter(pk__gt=last).order_by("pk")
                       .only("pk", "customer_id", "phone", "phone_key")[:CHUNK]):
        changed = []
        for row in rows:
            new_key = _phone(row.phone, row.phone_key)
            if new_key != row.phone_key:
                row.phone_key = new_key
                changed.append(row)
                stale.add(row.customer_id)
        contact_model.objects.bulk_update(changed, ["phone_key"])
        last = rows[-1].pk
    _search_words(apps, sorted(stale))


def _search_words(apps: Any, ids: list[int]) -> None:
    """The search words of customers whose keys changed, as ``services.index_terms`` makes them: a name
    with a place in brackets is found by its whole name again (星河科技（上海） → 星河科技上海)."""
    customer_model = apps.get_model("customers", "Customer")
    contact_model = apps.get_model("customers", "Contact")
    term_model = apps.get_model("customers", "CustomerSearchTerm")
    for start in range(0, len(ids), CHUNK):
        part = ids[start : start + CHUNK]
        phones: dict[int, list[str]] = {}
        for customer_id, phone in contact_model.objects.filter(customer_id__in=part, is_active=True).exclude(
            phone=""
        ).values_list("customer_id", "phone"):
            phones.setdefault(customer_id, []).append(phone)
        customers = list(customer_model.objects.filter(pk__in=part).only("pk", "name", "phone", "owner_id"))
        terms = []
        for customer in customers:
            words = search_words(customer.name, [customer.phone, *phones.get(customer.pk, [])])
            customer.search_key = words.shown
            terms.extend(term_model(customer_id=customer.pk, owner_id=customer.owner_id, term=term)
                         for term in words.terms)
        customer_model.objects.bulk_update(customers, ["search_key"])
        term_model.objects.filter(customer_id__in=part).delete()
        term_model.objects.bulk_create(terms)


class Migration(migrations.Migration):

    dependencies = [
        ("customers", "0010_list_order_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="customer",
            name="name_base_key",
            field=models.CharField(default="", editable=False, max_length=120, verbose_name="name without places"),
        ),
        migrations.AddIndex(
            model_name="customer",
            index=models.Index(fields=["name_base_key"], name="customer_name_base_key"),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop, elidable=True),
    ]
