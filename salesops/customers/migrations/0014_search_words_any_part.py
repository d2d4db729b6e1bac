"""Search finds any part of a name, of its pinyin initials and any run of four digits of a phone (R15): the
search words of every existing customer are rebuilt by ``normalise.search_words`` (every suffix), a
thousand customers at a time, between dropping the word indexes and making them again with the customer
as their last column (a range of words then gives its customers from the index alone)."""

from typing import Any

from django.conf import settings
from django.db import migrations, models

from salesops.customers.normalise import search_words

BATCH = 1000


def rebuild_words(apps: Any, schema_editor: Any) -> None:
    customer_model = apps.get_model("customers", "Customer")
    contact_model = apps.get_model("customers", "Contact")
    term_model = apps.get_model("customers", "CustomerSearchTerm")
    last = 0
    while True:
        customers = list(
            customer_model.objects.filter(pk__gt=last).order_by("pk").values_list("pk", "name", "phone", "owner_id")[
                :BATCH
            ]
        )
        if not customers:
            return
        ids = [row[0] for row in customers]
        phones: dict[int, list[str]] = {}
        contacts = contact_model.objects.filter(customer_id__in=ids, is_active=True).exclude(phone="")
        for customer_id, phone in contacts.values_list("customer_id", "phone"):
            phones.setdefault(customer_id, []).append(phone)
        term_model.objects.filter(customer_id__in=ids).delete()
        term_model.objects.bulk_create(
            term_model(customer_id=pk, owner_id=owner_id, term=term)
            for pk, name, phone, owner_id in customers
            for term in search_words(name, [phone, *phones.get(pk, [])]).terms
        )
        last = ids[-1]


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0013_import_batch"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(model_name="customersearchterm", name="search_term_owner"),
        migrations.RemoveIndex(model_name="customersearchterm", name="search_term_prefix"),
        migrations.RunPython(rebuild_words, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="customersearchterm",
            index=models.Index(
                fields=["owner", "term", "customer"], name="search_term_owner_words",
                opclasses=["int8_ops", "varchar_pattern_ops", "int8_ops"],
            ),
        ),
        migrations.AddIndex(
            model_name="customersearchterm",
            index=models.Index(
                fields=["term", "owner", "customer"], name="search_term_words",
                opclasses=["varchar_pattern_ops", "int8_ops", "int8_ops"],
            ),
        ),
    ]
