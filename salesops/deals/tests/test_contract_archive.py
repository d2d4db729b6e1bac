"""R13: a contract archive task is submitted only with a signed scan, and its approval archives the contract
with that scan (``tasks.hooks``)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.base import ContentFile

from salesops.core.errors import Invalid
from salesops.deals.models import Contract
from salesops.deals.tests.conftest import PDF
from salesops.deals.winning import deal_win
from salesops.tasks.hooks import run_submit_checks, task_done
from salesops.tasks.models import ProofKind, Task, TaskKind, TaskProof

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive_task(actors, deal_of, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    deal = deal_win(deal=deal_of(actors.rep_a1), by=actors.rep_a1, signed_at=dt.date(2026, 9, 30), amount="8.00")
    return Task.objects.get(deal=deal, kind=TaskKind.CONTRACT_ARCHIVE)


def proof(task: Task, kind: str) -> TaskProof:
    return TaskProof.objects.create(task=task, kind=kind, file=ContentFile(PDF, name="scan.pdf"),
                                    uploaded_by=task.assignee)


def test_the_archive_task_needs_a_signed_scan_to_be_submitted(archive_task):
    proof(archive_task, ProofKind.VISIT_PHOTO)
    with pytest.raises(Invalid) as refused:
        run_submit_checks(archive_task)
    assert "proofs" in refused.value.fields
    proof(archive_task, ProofKind.SIGNED_SCAN)
    run_submit_checks(archive_task)


def test_the_approved_archive_task_archives_the_contract_with_the_scan(actors, archive_task):
    scan = proof(archive_task, ProofKind.SIGNED_SCAN)
    archive_task.decided_by = actors.lead_a
    task_done.send(sender=Task, task=archive_task, proofs=[scan])
    contract = Contract.objects.get(deal=archive_task.deal)
    assert contract.archived and contract.archived_at is not None
    assert contract.scan.name == scan.file.name
    assert contract.history.first().history_user_id == actors.lead_a.pk


def test_other_done_tasks_leave_the_contract_alone(actors, archive_task):
    handover = Task.objects.get(deal=archive_task.deal, kind=TaskKind.HANDOVER)
    task_done.send(sender=Task, task=handover, proofs=[proof(handover, ProofKind.SIGNED_SCAN)])
    assert not Contract.objects.get(deal=archive_task.deal).archived
