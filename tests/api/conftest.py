"""Compatibility between schemathesis' fixture-based loader and pytest 9.2.

schemathesis renames the running test's node id (``node._nodeid``) to show the operation being tested;
pytest 9.2 keeps that id as a structured ``_id`` instead. This property maps the old name onto the new one.
"""

from __future__ import annotations

import pytest
from _pytest.nodeid import coerce_node_id


def _get_nodeid(node: pytest.Function) -> str:
    return node.nodeid


def _set_nodeid(node: pytest.Function, value: str) -> None:
    node._id = coerce_node_id(value)


if not hasattr(pytest.Function, "_nodeid"):
    pytest.Function._nodeid = property(_get_nodeid, _set_nodeid)  # type: ignore[attr-defined]
