"""Imports run downward only (LAYOUT.md): an app's code may import from its own app and from the apps
below it, never from one above, not even inside a function. Tests are exempt (a test may set up data of
any app), and so is the test support package; the project's own modules (settings, URLs) sit on top.
A new app fails here until it takes its place in ``LAYERS``."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "salesops"

#: Bottom to top, as LAYOUT.md draws them: ground, base, domains, top.
LAYERS = (
    "core", "accounts", "organisation", "demo", "jobs", "notifications",
    "customers", "followups", "tasks", "deals",
    "performance", "daily", "home",
)
#: Modules of the project itself, not of an app: helpers any app may use, and the project's own wiring.
GROUND_MODULES = {"envparse", "lan"}
TOP_MODULES = {"settings", "urls", "wsgi", "asgi", "manage", "gunicorn_conf"}
#: Test support (named actors, factories): any test may use it, no app's code may.
TEST_SUPPORT = "testing"


def rank(part: str) -> int:
    if part in GROUND_MODULES:
        return -1
    if part in TOP_MODULES:
        return len(LAYERS)
    return LAYERS.index(part)


def imported_modules(tree: ast.AST, package: str) -> Iterator[tuple[int, str]]:
    """(line, absolute module name) of every import in ``tree``, at any depth (functions, TYPE_CHECKING);
    ``package`` resolves relative imports. ``from salesops import x`` names the module ``salesops.x``."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            target = ".".join(part for part in (base, node.module or "") if part)
            if target == "salesops" or node.module is None:
                for alias in node.names:
                    yield node.lineno, f"{target}.{alias.name}"
            else:
                yield node.lineno, target


def upward_imports(source: str, module: str, *, is_package: bool = False) -> list[str]:
    """What module ``module`` (``salesops.<app>....``) imports from an app above its own, or from the
    test support package."""
    own = module.split(".")[1]
    package = module if is_package else module.rsplit(".", 1)[0]
    found = []
    for line, target in imported_modules(ast.parse(source), package):
        parts = target.split(".")
        if parts[0] != "salesops" or len(parts) < 2 or parts[1] == own:
            continue
        other = parts[1]
        if other == TEST_SUPPORT or rank(other) > rank(own):
            found.append(f"{module}:{line} imports {target}")
    return found


def app_modules() -> Iterator[tuple[str, Path, bool]]:
    """(module name, path, whether it is a package's ``__init__``) of every module of the apps' code."""
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if "tests" in parts or parts[1] == TEST_SUPPORT:
            continue
        is_package = parts[-1] == "__init__"
        name = ".".join(parts[:-1] if is_package else parts)
        if name != "salesops":
            yield name, path, is_package


def test_every_app_and_project_module_has_its_place() -> None:
    apps = {path.parent.name for path in PACKAGE.glob("*/apps.py")}
    assert sorted(apps - set(LAYERS)) == []
    modules = {path.stem for path in PACKAGE.glob("*.py")} - {"__init__"}
    assert sorted(modules - GROUND_MODULES - TOP_MODULES) == []


def test_no_app_imports_from_an_app_above_it() -> None:
    found = [
        problem for name, path, is_package in app_modules()
        for problem in upward_imports(path.read_text(), name, is_package=is_package)
    ]
    assert found == []


@pytest.mark.parametrize(("module", "source", "expected"), [
    ("salesops.customers.services", "def merge():\n    from salesops.followups.models import FollowUp\n",
     ["salesops.customers.services:2 imports salesops.followups.models"]),
    ("salesops.customers.views", "from salesops.followups import selectors\n",
     ["salesops.customers.views:1 imports salesops.followups"]),
    ("salesops.core.scope", "if TYPE_CHECKING:\n    import salesops.accounts.models\n",
     ["salesops.core.scope:2 imports salesops.accounts.models"]),
    ("salesops.organisation.services", "from salesops import jobs\n",
     ["salesops.organisation.services:1 imports salesops.jobs"]),
    ("salesops.customers.pool.services", "from ...followups import cadence\n",
     ["salesops.customers.pool.services:1 imports salesops.followups"]),
    ("salesops.customers.pool.services", "from ... import followups\n",
     ["salesops.customers.pool.services:1 imports salesops.followups"]),
    ("salesops.customers.views", "from salesops.testing.actors import Actors\n",
     ["salesops.customers.views:1 imports salesops.testing.actors"]),
    ("salesops.followups.services", "from salesops.customers.models import Customer\nfrom . import cadence\n", []),
    ("salesops.urls", "from salesops.home import views\n", []),
])
def test_the_check_finds_upward_imports_wherever_they_are(module: str, source: str, expected: list[str]) -> None:
    assert upward_imports(source, module) == expected
