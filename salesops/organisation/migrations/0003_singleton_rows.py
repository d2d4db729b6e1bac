"""The organisation's one row and its rule settings' one row exist from the first migration on, so that
reading them never writes (``Organisation.load()``, ``selectors.rule_settings()``). Each gets its
"created" history row, as a save would write it, so the first change shows what it changed."""

from django.db import migrations
from django.utils import timezone


def create_rows(apps, schema_editor):
    for name in ("Organisation", "RuleSettings"):
        model = apps.get_model("organisation", name)
        row, created = model.objects.get_or_create(pk=1)
        if not created:
            continue
        history = apps.get_model("organisation", f"Historical{name}")
        values = {field.attname: getattr(row, field.attname) for field in model._meta.concrete_fields}
        history.objects.create(**values, history_type="+", history_date=timezone.now())


class Migration(migrations.Migration):
    dependencies = [("organisation", "0002_rule_settings_help")]

    operations = [migrations.RunPython(create_rows, migrations.RunPython.noop)]
