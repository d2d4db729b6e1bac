"""How the apps above tasks take part in closing a task (LAYOUT: tasks imports none of them).

- ``task_submit_checks``: per task kind, the checks a task of that kind must pass before its assignee
  may submit it (R20). A check is ``check(task)`` and raises ``core.errors.Invalid`` saying what is
  missing (a contract archive task needs a signed scan among its proofs, R13). Register with
  ``register_submit_check(kind, check)`` (or as a decorator); several checks of one kind all run, in
  the order they were registered. ``tasks.services.task_submit`` runs them inside its transaction,
  after its own checks (at least one proof, the post-win tasks' own fields).
- ``task_done``: sent once a task's approval has committed (``transaction.on_commit``), with ``task``
  (the done ``Task``) and ``proofs`` (its active proofs, oldest first). The deals app archives a
  contract whose ``contract_archive`` task is done, with the signed scan's stored file name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.dispatch import Signal

if TYPE_CHECKING:
    from salesops.tasks.models import Task

SubmitCheck = Callable[["Task"], None]

#: kind (a ``TaskKind`` value) → the checks a task of that kind passes before it is submitted.
task_submit_checks: dict[str, list[SubmitCheck]] = {}

#: Arguments: ``task`` (the done Task), ``proofs`` (list of its active TaskProof rows, oldest first).
task_done = Signal()


def register_submit_check(kind: str, check: SubmitCheck | None = None) -> Callable[[SubmitCheck], SubmitCheck]:
    """Add ``check`` to the checks of ``kind`` (once); ``@register_submit_check(kind)`` works too."""

    def register(found: SubmitCheck) -> SubmitCheck:
        checks = task_submit_checks.setdefault(kind, [])
        if found not in checks:
            checks.append(found)
        return found

    if check is not None:
        register(check)
    return register


def run_submit_checks(task: Task) -> None:
    """Every check registered for the task's kind; the first that refuses raises ``Invalid``."""
    for check in task_submit_checks.get(task.kind, ()):
        check(task)
