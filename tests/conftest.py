"""Fixtures shared by the cross-cutting suites under tests/ (browser journeys, schema fuzzing, deploy checks).

The project-wide fixtures (``org``, ``actors``, ``api_as``) live in the root conftest.py.
"""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path

import pytest

PHASE_REPORTS = pytest.StashKey[dict[str, pytest.TestReport]]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Keep each phase's report on the test item, so fixtures can tell in teardown whether the test failed."""
    report = yield
    item.stash.setdefault(PHASE_REPORTS, {})[report.when] = report
    return report


def item_failed(item: pytest.Item) -> bool:
    """True when the set-up or the body of the test failed."""
    return any(report.failed for report in item.stash.get(PHASE_REPORTS, {}).values())


@pytest.fixture(scope="session")
def artifacts_dir(pytestconfig: pytest.Config) -> Path:
    """Where failing tests leave what helps to understand them (git-ignored)."""
    return pytestconfig.rootpath / "test-artifacts"
