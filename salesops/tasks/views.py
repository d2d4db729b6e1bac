"""Task pages: my tasks (phone first), the approval queue, a task with its timeline, the new-task form,
the closing actions (R20), and the proof files, served only to those who see the task (R1)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from salesops.accounts.requests import AuthedHttpRequest
from salesops.core.clock import local_today
from salesops.core.errors import Conflict
from salesops.core.files import file_response
from salesops.core.forms import add_errors
from salesops.customers.models import Customer
from salesops.tasks import selectors, services
from salesops.tasks.forms import ProofForm, RejectForm, RescheduleForm, SubmitForm, TaskForm
from salesops.tasks.models import Task, TaskKind, TaskProof, TaskStatus

#: The oldest hand-ins the queue shows at once, each with its proofs; the rest follow as these are decided.
QUEUE_SIZE = 20


def _task(request: AuthedHttpRequest, pk: int) -> Task:
    task = selectors.task_detail(user=request.user, pk=pk)
    if task is None:
        raise Http404(_("No such task."))
    return task


def _back(request: AuthedHttpRequest, task: Task) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("task-detail", args=[task.pk])


@login_required
@require_GET
def my_tasks(request: AuthedHttpRequest) -> HttpResponse:
    """R20 on a phone: what is overdue, due today, coming, and awaiting the lead's approval."""
    mine = selectors.my_tasks(user=request.user)
    sections = [("overdue", _("Overdue"), mine.overdue), ("today", pgettext("task", "Due today"), mine.today),
                ("upcoming", _("Coming up"), mine.upcoming), ("awaiting", _("Awaiting approval"), mine.awaiting)]
    return render(request, "tasks/mine.html", {"sections": sections, "today": local_today(),
                                               "group_size": selectors.GROUP_SIZE})


@login_required
@permission_required("tasks.view_approvals", raise_exception=True)
@require_GET
def approvals(request: AuthedHttpRequest) -> HttpResponse:
    """R20: the submitted tasks the lead may decide, oldest first, each with its proofs shown inline."""
    queue = selectors.approval_queue(user=request.user)
    tasks = list(queue[:QUEUE_SIZE])
    total = len(tasks) if len(tasks) < QUEUE_SIZE else queue.count()
    return render(request, "tasks/approvals.html", {"tasks": tasks, "total": total})


@login_required
@require_GET
def task_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """A task, its measured progress (R16), proofs, and timeline; the actions the viewer may take."""
    task = _task(request, pk)
    user = request.user
    with_assignee = task.status in selectors.WITH_ASSIGNEE
    is_assignee = user.pk == task.assignee_id
    return render(request, "tasks/detail.html", {
        "task": task,
        "progress": selectors.progress(task),
        "proofs": task.active_proofs,  # type: ignore[attr-defined]
        "timeline": selectors.timeline(task),
        "overdue": selectors.is_overdue(task),
        "can_work": is_assignee and with_assignee,
        "can_reschedule": is_assignee and selectors.is_overdue(task),
        "can_decide": task.status == TaskStatus.SUBMITTED and services.may_approve(user, task),
        "proof_form": ProofForm(),
        "submit_form": SubmitForm(initial={"handover_contact": task.handover_contact}),
        "reject_form": RejectForm(),
        "reschedule_form": RescheduleForm(initial={"checkpoint": local_today()}),
        "kinds": TaskKind,
    })


@login_required
@require_http_methods(["GET", "POST"])
def task_create(request: AuthedHttpRequest) -> HttpResponse:
    """R16: a new task for oneself or someone one manages; ``?customer=`` ties it to a customer in scope."""
    user = request.user
    customer = None
    customer_id = request.POST.get("customer") or request.GET.get("customer")
    if customer_id:
        if not str(customer_id).isdigit():
            raise Http404(_("No such customer."))
        customer = Customer.objects.visible_to(user).filter(pk=int(customer_id), is_active=True).first()
        if customer is None:
            raise Http404(_("No such customer."))
    if request.method == "POST":
        form = TaskForm(request.POST, user=user)
        if form.is_valid():
            try:
                task = services.task_create(by=user, customer=customer, **form.cleaned_data)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Task “%(title)s” assigned.") % {"title": task.title})
                return redirect("task-detail", task.pk)
    else:
        form = TaskForm(user=user, initial={"assignee": user.pk, "deadline": local_today()})
    return render(request, "tasks/form.html", {"form": form, "customer": customer},
                  status=400 if form.errors else 200)


def _act(request: AuthedHttpRequest, pk: int, form_class: type[Any] | None,
         act: Callable[[Task, dict[str, Any]], str]) -> HttpResponse:
    """Run one closing action from a posted form: its message on success, the refusal otherwise (a bad
    field or a state that no longer allows it), back where the person was."""
    task = _task(request, pk)
    form = form_class(request.POST, request.FILES) if form_class else None
    if form is not None and not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect(_back(request, task))
    try:
        messages.success(request, act(task, form.cleaned_data if form is not None else {}))
    except (ValidationError, Conflict) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", None) or [str(exc)]))
    return redirect(_back(request, task))


@login_required
@require_POST
def proof_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    def act(task: Task, data: dict[str, Any]) -> str:
        services.proof_add(by=request.user, task=task, **data)
        return _("Proof added.")

    return _act(request, pk, ProofForm, act)


@login_required
@require_POST
def task_submit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    def act(task: Task, data: dict[str, Any]) -> str:
        services.task_submit(by=request.user, task=task, score=data["score"], comments=data["comments"],
                             handover_contact=data["handover_contact"] or None)
        return _("Submitted for approval.")

    return _act(request, pk, SubmitForm, act)


@login_required
@require_POST
def task_approve(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    def act(task: Task, data: dict[str, Any]) -> str:
        services.task_approve(by=request.user, task=task)
        return _("“%(title)s” approved: done.") % {"title": task.title}

    return _act(request, pk, None, act)


@login_required
@require_POST
def task_reject(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    def act(task: Task, data: dict[str, Any]) -> str:
        services.task_reject(by=request.user, task=task, comment=data["comment"])
        return _("“%(title)s” sent back.") % {"title": task.title}

    return _act(request, pk, RejectForm, act)


@login_required
@require_POST
def task_reschedule(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    def act(task: Task, data: dict[str, Any]) -> str:
        services.task_reschedule(by=request.user, task=task, **data)
        return _("New checkpoint set.")

    return _act(request, pk, RescheduleForm, act)


@login_required
@require_GET
def proof_file(request: AuthedHttpRequest, pk: int) -> FileResponse:
    """A proof's file, to exactly those who see its task (R1); anyone else gets 404, as for an id nobody
    has. Served as the kind it was stored as, with ``nosniff`` (``core.files``)."""
    visible = Task.objects.visible_to(request.user).filter(is_active=True)
    proof = get_object_or_404(TaskProof.objects.filter(task__in=visible), pk=pk)
    return file_response(proof.file, download_name=f"proof-{proof.pk}")
