"""The job registry: names, times fixed or from the rule settings (R3, R7), lookups."""

from __future__ import annotations

import datetime as dt

import pytest

from salesops.jobs import registry
from salesops.organisation.selectors import rule_settings


def test_register_get_and_list_in_name_order(add_job):
    add_job("zeta", at=dt.time(7, 0))
    add_job("alpha", at=dt.time(9, 0), workdays_only=False)

    assert [job.name for job in registry.all_jobs()] == ["alpha", "zeta"]
    alpha = registry.get("alpha")
    assert alpha.time() == dt.time(9, 0)
    assert alpha.workdays_only is False
    assert alpha.description == "Test job alpha."
    assert registry.get("zeta").workdays_only is True


def test_register_returns_the_function_unchanged(isolated_registry):
    def job(day: dt.date) -> None:
        return None

    assert registry.register("plain", at=dt.time(1, 0), description="x")(job) is job
    assert registry.get("plain").function is job


def test_unknown_name_names_the_jobs_that_exist(add_job):
    add_job("alpha")
    add_job("beta")
    with pytest.raises(registry.UnknownJobError) as info:
        registry.get("gamma")
    assert str(info.value) == "No job is named gamma. The jobs are: alpha, beta."
    assert isinstance(info.value, LookupError)


def test_a_name_is_registered_once(add_job):
    first = add_job("alpha", at=dt.time(7, 0))
    with pytest.raises(ValueError, match="registered already"):
        add_job("alpha", at=dt.time(9, 0))
    assert registry.get("alpha").function is first
    assert registry.get("alpha").time() == dt.time(7, 0)


@pytest.mark.parametrize("name", ["", "morning brief", "run-job", "早会"])
def test_bad_names_are_refused(isolated_registry, name):
    with pytest.raises(ValueError, match="ASCII letters"):
        registry.register(name, at=dt.time(8, 0), description="x")
    assert isolated_registry == {}


def test_at_must_be_a_time_or_a_callable(isolated_registry):
    with pytest.raises(TypeError, match=r"datetime\.time"):
        registry.register("bad", at="08:20", description="x")  # type: ignore[arg-type]
    assert isolated_registry == {}


@pytest.mark.django_db
def test_time_from_a_rule_setting_follows_the_setting(add_job):
    """R3: the morning brief's time is the rule setting brief_ready_at (08:20 by default)."""
    add_job("brief", at=lambda: rule_settings().brief_ready_at)
    assert registry.get("brief").time() == dt.time(8, 20)

    settings = rule_settings()
    settings.brief_ready_at = dt.time(8, 5)
    settings.save()
    assert registry.get("brief").time() == dt.time(8, 5)


def test_a_callable_that_returns_no_time_is_an_error(add_job):
    add_job("broken", at=lambda: "08:20")
    with pytest.raises(TypeError, match="broken"):
        registry.get("broken").time()


def test_housekeeping_is_registered_daily_at_three():
    """The real registry (not isolated) holds the builtin housekeeping job, every calendar day."""
    job = registry.get("housekeeping")
    assert job.time() == dt.time(3, 0)
    assert job.workdays_only is False
    assert "sessions" in str(job.description)
