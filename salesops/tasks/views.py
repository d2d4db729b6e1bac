"""Task pages: my tasks (phone first), the approval queue, a task with its timeline, the new-task form,
and the proof files, served only to those who see the task (R1, R20)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from salesops.accounts.requests import AuthedHttpRequest
from salesops.core.files import file_response
from salesops.tasks.models import Task, TaskProof


@login_required
@require_GET
def proof_file(request: AuthedHttpRequest, pk: int) -> FileResponse:
    """A proof's file, to exactly those who see its task (R1); anyone else gets 404, as for an id nobody
    has. Served as the kind it was stored as, with ``nosniff`` (``core.files``)."""
    visible = Task.objects.visible_to(request.user).filter(is_active=True)
    proof = get_object_or_404(TaskProof.objects.filter(task__in=visible), pk=pk)
    return file_response(proof.file, download_name=f"proof-{proof.pk}")
