"""Closing a task (R20): proofs checked by content and size, submit only with proof, the post-win kinds'
own fields (R13), approval by the assigner or the assignee's lead but never oneself, rejection with a
comment back to the assignee, and the task_done signal after commit."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from salesops.core.errors import Conflict, Invalid, NotFound, PermissionDenied, TooLarge, UnsupportedFile
from salesops.followups.models import FollowUp
from salesops.organisation.models import RuleSettings
from salesops.tasks import hooks, services
from salesops.tasks.models import ProofKind, Task, TaskKind, TaskProof, TaskStatus
from salesops.tasks.tests.conftest import PNG, pdf, photo


def submitted(actors, make_task, **fields) -> Task:
    task = make_task(**fields)
    services.proof_add(by=actors.rep_a1, task=task, file=photo(), kind=ProofKind.VISIT_PHOTO)
    return services.task_submit(by=actors.rep_a1, task=task)


def test_a_proof_is_stored_under_a_server_chosen_name(actors, make_task):
    task = make_task()
    proof = services.proof_add(by=actors.rep_a1, task=task, file=photo("../../etc/passwd.jpg"),
                               kind=ProofKind.VISIT_PHOTO)
    assert proof.file.name.startswith("proofs/")
    assert proof.file.name.endswith(".jpg")
    assert "passwd" not in proof.file.name
    assert proof.size > 0
    assert services.proof_add(by=actors.rep_a1, task=task, file=pdf()).file.name.endswith(".pdf")


def test_a_proof_of_another_kind_by_content_is_415_and_nothing_is_stored(actors, make_task):
    task = make_task()
    fake = SimpleUploadedFile("photo.jpg", b"<html><script>alert(1)</script></html>", content_type="image/jpeg")
    with pytest.raises(UnsupportedFile):
        services.proof_add(by=actors.rep_a1, task=task, file=fake)
    assert TaskProof.objects.count() == 0


def test_a_proof_over_the_rule_settings_size_is_413(actors, make_task):
    RuleSettings.objects.update_or_create(pk=1, defaults={"proof_max_mb": 1})
    task = make_task()
    big = SimpleUploadedFile("big.png", PNG + b"\x00" * (1024 * 1024), content_type="image/png")
    with pytest.raises(TooLarge):
        services.proof_add(by=actors.rep_a1, task=task, file=big)
    assert TaskProof.objects.count() == 0
    RuleSettings.objects.filter(pk=1).update(proof_max_mb=2)
    big.seek(0)
    assert services.proof_add(by=actors.rep_a1, task=task, file=big).size > 1024 * 1024


def test_only_the_assignee_adds_proof_and_outsiders_do_not_find_the_task(actors, make_task):
    task = make_task()
    with pytest.raises(PermissionDenied):
        services.proof_add(by=actors.lead_a, task=task, file=photo())
    with pytest.raises(NotFound):
        services.proof_add(by=actors.rep_b1, task=task, file=photo())


def test_submit_needs_a_proof(actors, make_task):
    task = make_task()
    with pytest.raises(Invalid) as error:
        services.task_submit(by=actors.rep_a1, task=task)
    assert "proofs" in error.value.fields
    proof = services.proof_add(by=actors.rep_a1, task=task, file=photo())
    services.proof_withdraw(by=actors.rep_a1, proof=proof)
    with pytest.raises(Invalid):
        services.task_submit(by=actors.rep_a1, task=task)
    assert Task.objects.get(pk=task.pk).status == TaskStatus.OPEN


def test_submit_and_approve_by_the_assigner(actors, make_task):
    with translation.override("en"):
        task = submitted(actors, make_task)
    assert task.status == TaskStatus.SUBMITTED and task.submitted_at
    with pytest.raises(Conflict):  # awaiting approval: no more proofs, no second submit
        services.proof_add(by=actors.rep_a1, task=task, file=photo())
    with translation.override("en"):
        done = services.task_approve(by=actors.lead_a, task=task)
    assert done.status == TaskStatus.DONE and done.decided_by == actors.lead_a
    reasons = [row.history_change_reason for row in Task.objects.get(pk=task.pk).history.all()]
    assert reasons[0] == "Approved" and "Submitted for approval" in reasons


def test_the_assignees_lead_may_approve_a_task_the_director_assigned(actors, make_task):
    task = submitted(actors, make_task, by=actors.director)
    assert services.task_approve(by=actors.lead_a, task=task).status == TaskStatus.DONE


@pytest.mark.parametrize("who", ["rep_a2", "lead_b"])
def test_others_may_not_decide(actors, make_task, who):
    task = submitted(actors, make_task)
    with pytest.raises((PermissionDenied, NotFound)):
        services.task_approve(by=getattr(actors, who), task=task)
    assert Task.objects.get(pk=task.pk).status == TaskStatus.SUBMITTED


def test_nobody_approves_their_own_task(actors, make_task):
    task = make_task(by=actors.lead_a, assignee=actors.lead_a)
    services.proof_add(by=actors.lead_a, task=task, file=photo())
    services.task_submit(by=actors.lead_a, task=task)
    with pytest.raises(PermissionDenied):
        services.task_approve(by=actors.lead_a, task=task)
    assert services.task_approve(by=actors.director, task=task).status == TaskStatus.DONE


def test_reject_needs_a_comment_and_sends_the_task_back(actors, make_task):
    task = submitted(actors, make_task)
    with pytest.raises(Invalid):
        services.task_reject(by=actors.lead_a, task=task, comment=" ")
    rejected = services.task_reject(by=actors.lead_a, task=task, comment="照片看不清客户门牌")
    assert rejected.status == TaskStatus.REJECTED and rejected.decision_comment == "照片看不清客户门牌"
    with pytest.raises(Conflict):
        services.task_approve(by=actors.lead_a, task=task)
    services.proof_add(by=actors.rep_a1, task=task, file=photo())
    assert services.task_submit(by=actors.rep_a1, task=task).status == TaskStatus.SUBMITTED


def test_a_second_decision_is_a_conflict(actors, make_task):
    task = submitted(actors, make_task)
    services.task_approve(by=actors.lead_a, task=task)
    with pytest.raises(Conflict) as error:
        services.task_approve(by=actors.director, task=task)
    assert error.value.code == "task_state"


def test_stale_version_is_refused(actors, make_task):
    task = make_task()
    services.proof_add(by=actors.rep_a1, task=task, file=photo())
    old = task.version
    services.task_update(by=actors.lead_a, task=task, version=Task.objects.get(pk=task.pk).version, title="新标题")
    with pytest.raises(Conflict) as error:
        services.task_submit(by=actors.rep_a1, task=task, version=old)
    assert error.value.code == "stale"


def test_task_done_is_sent_after_commit_with_the_proofs(actors, make_task, django_capture_on_commit_callbacks):
    received = []

    def receiver(sender, task, proofs, **kwargs):
        received.append((task.pk, [proof.kind for proof in proofs]))

    hooks.task_done.connect(receiver)
    try:
        task = submitted(actors, make_task)
        with django_capture_on_commit_callbacks(execute=True):
            services.task_approve(by=actors.lead_a, task=task)
    finally:
        hooks.task_done.disconnect(receiver)
    assert received == [(task.pk, [ProofKind.VISIT_PHOTO])]


def test_contract_archive_closes_only_with_the_signed_scan(actors, make_task):
    task = make_task(kind=TaskKind.CONTRACT_ARCHIVE)
    services.proof_add(by=actors.rep_a1, task=task, file=photo(), kind=ProofKind.VISIT_PHOTO)
    with pytest.raises(Invalid):
        services.task_submit(by=actors.rep_a1, task=task)
    services.proof_add(by=actors.rep_a1, task=task, file=pdf(), kind=ProofKind.SIGNED_SCAN)
    assert services.task_submit(by=actors.rep_a1, task=task).status == TaskStatus.SUBMITTED


def test_a_registered_check_refuses_submit(actors, make_task):
    def refuse(task):
        raise Invalid("还缺回访录音")

    hooks.register_submit_check(TaskKind.REPURCHASE_SURVEY, refuse)
    try:
        task = make_task(kind=TaskKind.REPURCHASE_SURVEY)
        services.proof_add(by=actors.rep_a1, task=task, file=photo())
        with pytest.raises(Invalid, match="还缺回访录音"):
            services.task_submit(by=actors.rep_a1, task=task)
    finally:
        hooks.task_submit_checks[TaskKind.REPURCHASE_SURVEY].remove(refuse)


def test_handover_names_the_after_sales_contact(actors, make_task):
    task = make_task(kind=TaskKind.HANDOVER)
    services.proof_add(by=actors.rep_a1, task=task, file=photo())
    with pytest.raises(Invalid) as error:
        services.task_submit(by=actors.rep_a1, task=task)
    assert "handover_contact" in error.value.fields
    done = services.task_submit(by=actors.rep_a1, task=task, handover_contact="售后 周工")
    assert done.handover_contact == "售后 周工"


@pytest.mark.parametrize("score", [0, 6, None, True])
def test_satisfaction_call_needs_a_score_from_1_to_5(actors, make_task, customer, score):
    task = make_task(kind=TaskKind.SATISFACTION_CALL, customer=customer)
    services.proof_add(by=actors.rep_a1, task=task, file=photo())
    with pytest.raises(Invalid) as error:
        services.task_submit(by=actors.rep_a1, task=task, score=score, comments="很满意")
    assert "score" in error.value.fields
    assert FollowUp.objects.count() == 0


def test_satisfaction_call_is_logged_as_a_phone_follow_up(actors, make_task, customer):
    task = make_task(kind=TaskKind.SATISFACTION_CALL, customer=customer)
    services.proof_add(by=actors.rep_a1, task=task, file=photo(), kind=ProofKind.FEEDBACK_SCREENSHOT)
    with pytest.raises(Invalid):
        services.task_submit(by=actors.rep_a1, task=task, score=4, comments="")
    done = services.task_submit(by=actors.rep_a1, task=task, score=4, comments="交付及时，培训还需加强")
    followup = FollowUp.objects.get()
    assert done.followup == followup and done.satisfaction_score == 4
    assert (followup.channel, followup.customer) == ("phone", customer)
    assert followup.key_points == "交付及时，培训还需加强"
