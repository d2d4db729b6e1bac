"""Reading the organisation and its rule settings writes nothing: the rows come from a migration, a
database without them reads the defaults, and only a change (a service) creates or locks a row."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from salesops.organisation import services, setup
from salesops.organisation.models import Organisation, RuleSettings
from salesops.organisation.selectors import organisation, rule_settings

pytestmark = pytest.mark.django_db


def writes(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if not q["sql"].lstrip().upper().startswith("SELECT")]


def test_the_migrations_make_both_rows():
    assert RuleSettings.objects.filter(pk=1).exists()
    assert Organisation.objects.filter(pk=1).exists()


def test_reading_without_the_rows_gives_the_defaults_and_writes_nothing():
    RuleSettings.objects.all().delete()
    Organisation.objects.all().delete()
    with CaptureQueriesContext(connection) as queries:
        settings = rule_settings()
        company = organisation()
    assert writes(queries) == []
    assert (settings.followup_log_hours, settings.pool_claim_cap) == (2, RuleSettings().pool_claim_cap)
    assert (company.name, company.setup_completed_at) == ("", None)
    assert not RuleSettings.objects.exists() and not Organisation.objects.exists()


def test_a_change_creates_the_missing_row(actors):
    RuleSettings.objects.all().delete()
    Organisation.objects.all().delete()
    services.rule_settings_update(by=actors.admin, followup_log_hours=3)
    setup.organisation_update(name="星辰科技")
    assert RuleSettings.objects.get().followup_log_hours == 3
    assert Organisation.objects.get().name == "星辰科技"
