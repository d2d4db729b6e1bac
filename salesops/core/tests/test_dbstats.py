"""Planner statistics: the nightly ``statistics`` job leaves the database knowing its tables' shapes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from salesops.customers.models import Customer
from salesops.jobs.services import job_run

pytestmark = pytest.mark.django_db


def known_rows() -> int:
    """The customer table's row count as the planner's statistics have it (0 when it has none)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
            if cursor.fetchone() is None:
                return 0
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'customers_customer' LIMIT 1")
            row = cursor.fetchone()
            return int(row[0].split()[0]) if row else 0
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'customers_customer'")
        return max(int(cursor.fetchone()[0]), 0)


def test_the_statistics_job_analyses_the_tables():
    Customer.objects.bulk_create(Customer(name=f"客户{n}", name_key=f"客户{n}") for n in range(57))
    assert known_rows() != 57
    outcome = job_run(name="statistics", day=dt.date(2026, 11, 26))
    assert outcome.run.result == {"database": connection.vendor}
    assert known_rows() == 57
