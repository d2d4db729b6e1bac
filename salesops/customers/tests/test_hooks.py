"""The hooks through which apps above customers act on its changes (customers.hooks): what each service
announces, that a receiver's failure undoes the change, and the timeline and cadence registries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from salesops.customers import hooks, services
from salesops.customers.hooks import TimelineEntry
from salesops.customers.models import Customer
from salesops.customers.pool import services as pool
from salesops.testing.actors import Actors


@pytest.fixture
def announced() -> Iterator[list[tuple[list[int], str]]]:
    """Every ``customers_changed`` sent while the test runs, as (customer ids, change)."""
    seen: list[tuple[list[int], str]] = []

    def record(*, customer_ids: list[int], change: str, **_kwargs: Any) -> None:
        seen.append((list(customer_ids), change))

    hooks.customers_changed.connect(record, dispatch_uid="test.record")
    yield seen
    hooks.customers_changed.disconnect(dispatch_uid="test.record")


@pytest.mark.django_db
def test_services_announce_creation_grade_owner_and_merge(actors: Actors, announced) -> None:
    customer = services.customer_create(by=actors.rep_a1, name="宁波港机械有限公司")
    services.customer_update(customer=customer, by=actors.rep_a1, industry="机械")  # no grade change: silent
    services.customer_update(customer=customer, by=actors.rep_a1, grade="A", grade_reason="预算已批")
    pool.customer_release(customer=customer, by=actors.rep_a1, reason="暂无需求")
    other = services.customer_create(by=actors.rep_a1, name="宁波港机械设备有限公司")
    services.customer_merge(survivor=other, other=customer, by=actors.lead_a)
    assert announced == [
        ([customer.pk], "created"), ([customer.pk], "grade"), ([customer.pk], "owner"), ([other.pk], "created"),
        ([other.pk], "merged"),
    ]


@pytest.mark.django_db
def test_a_merge_asks_every_app_to_move_its_records_and_a_refusal_undoes_it(actors: Actors) -> None:
    survivor = services.customer_create(by=actors.rep_a1, name="烟台海滨酒店")
    other = services.customer_create(by=actors.rep_a1, name="烟台海滨大酒店", contacts=[{"name": "冯经理"}])
    calls: list[dict[str, Any]] = []

    def refuse(**kwargs: Any) -> None:
        calls.append(kwargs)
        raise RuntimeError("records could not move")

    hooks.customer_merged.connect(refuse, dispatch_uid="test.refuse")
    try:
        with pytest.raises(RuntimeError):
            services.customer_merge(survivor=survivor, other=other, by=actors.lead_a)
    finally:
        hooks.customer_merged.disconnect(dispatch_uid="test.refuse")
    (call,) = calls
    assert (call["survivor"].pk, call["other"].pk, call["by"], call["sender"]) == (
        survivor.pk, other.pk, actors.lead_a, Customer)
    assert "烟台海滨大酒店" in call["reason"] and f"#{other.pk}" in call["reason"]
    other.refresh_from_db()
    assert (other.is_active, other.merged_into_id, other.contacts.get().customer_id) == (True, None, other.pk)


def test_an_unknown_change_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="renamed"):
        hooks.changed([1], "renamed")


@pytest.mark.django_db
def test_timeline_sources_add_their_entries_in_time_order(actors: Actors, client) -> None:
    customer = services.customer_create(by=actors.rep_a1, name="威海渔具有限公司")
    later = customer.created_at + dt.timedelta(days=1)

    def source(of: Customer, viewer: Any, limit: int) -> list[TimelineEntry]:
        return [TimelineEntry(at=later, template="customers/_timeline_change.html", item={
            "at": later, "by": "来源", "field": "note", "label": "外部记录", "old": "—", "new": str(viewer)})]

    hooks.register_timeline_source(source)
    try:
        from salesops.customers.selectors import customer_timeline

        entries = customer_timeline(customer=customer, user=actors.rep_a1)
    finally:
        hooks._timeline_sources.remove(source)
    assert [entry.item["by"] if isinstance(entry.item, dict) else entry.item.field for entry in entries] == [
        "来源", "created"]
    assert entries[0].item["new"] == str(actors.rep_a1)  # the source is asked for the viewer's entries (R1)


def test_without_a_cadence_provider_no_customer_is_due(monkeypatch) -> None:
    monkeypatch.setattr(hooks, "_cadence_rule", [])
    rule = hooks.cadence_rule()
    today = dt.date(2026, 3, 2)
    assert (rule.interval("A"), rule.next_due("A", today), rule.contract_due("A", today)) == (None, None, None)
