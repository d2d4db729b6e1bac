"""Contracts' signed scans (R13): attached by upload, or by the contract archive task when its lead approves
it (``tasks.hooks.task_done``); either way the contract is archived. A contract archive task is submitted
only with a signed scan among its proofs (``tasks.hooks`` submit check).

Scans are checked by content (PDF or an image, ``core.files.DOCUMENTS``), at most the proof size of the
rule settings (R20, 413 above it), stored under a name the server chose and served only through a view
that found the contract in the caller's scope (R1).
"""

from __future__ import annotations

from typing import Any

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from salesops.accounts.models import User
from salesops.core.errors import Invalid, TooLarge
from salesops.core.files import DOCUMENTS, accept_upload
from salesops.core.versioning import locked_for_update
from salesops.deals.models import Contract
from salesops.organisation.selectors import rule_settings
from salesops.tasks.hooks import register_submit_check, task_done
from salesops.tasks.models import ProofKind, Task, TaskKind, TaskProof

MB = 1024 * 1024


def _archive(contract: Contract, name: str, by: User | None) -> None:
    contract.scan.name = name
    contract.archived = True
    contract.archived_at = timezone.now()
    contract._history_user = by  # type: ignore[attr-defined]
    contract.save()


@transaction.atomic
def contract_attach_scan(*, contract: Contract, by: User, upload: File[Any], version: int | None = None) -> Contract:
    """The signed scan of a contract the caller sees, checked and stored; the contract is archived."""
    limit = rule_settings().proof_max_mb
    if (upload.size or 0) > limit * MB:
        raise TooLarge(fields={"file": _("%(name)s is larger than %(size)d MB.") % {
            "name": (upload.name or "")[:80], "size": limit}})
    accepted = accept_upload(upload, allowed=DOCUMENTS, field="file")
    row = locked_for_update(Contract.objects.visible_to(by), pk=contract.pk, expected=version)
    row.scan.save(accepted.name or "scan.bin", accepted, save=False)
    _archive(row, row.scan.name, by)
    return row


def _signed_scans(task: Task) -> list[TaskProof]:
    return [proof for proof in task.proofs.all() if proof.is_active and proof.kind == ProofKind.SIGNED_SCAN]


def signed_scan_required(task: Task) -> None:
    """R13: a contract archive task is submitted with the signed scan as a proof."""
    if not _signed_scans(task):
        raise Invalid(fields={"proofs": _("Add the signed scan of the contract as a proof.")})


@transaction.atomic
def contract_archive_from_task(*, task: Task, proofs: list[TaskProof]) -> Contract | None:
    """R13: the approved contract archive task archives its deal's contract with the (last) signed scan."""
    scans = [proof for proof in proofs if proof.kind == ProofKind.SIGNED_SCAN and proof.is_active]
    if task.kind != TaskKind.CONTRACT_ARCHIVE or task.deal_id is None or not scans:
        return None
    contract = Contract.objects.select_for_update().filter(deal_id=task.deal_id).first()
    if contract is None:
        return None
    _archive(contract, scans[-1].file.name, task.decided_by)
    return contract


def _on_task_done(sender: object, *, task: Task, proofs: list[TaskProof], **kwargs: object) -> None:
    contract_archive_from_task(task=task, proofs=proofs)


def connect() -> None:
    """Take part in closing tasks (called once from ``DealsConfig.ready``)."""
    register_submit_check(TaskKind.CONTRACT_ARCHIVE, signed_scan_required)
    task_done.connect(_on_task_done, dispatch_uid="deals.contract_archive")
