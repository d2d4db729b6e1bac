"""API for tasks (R16, R20): /api/tasks/ with proofs, submit, approve, reject and reschedule (API.md).

Rows are read through ``Task.objects.visible_to`` (R1: a task goes with its assignee, and its assigner
always sees it); anything outside answers 404. A proof's file is served by the page view at the address
each proof carries, which finds the proof through the same scope: never a file URL.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from salesops.accounts.models import User
from salesops.accounts.requests import AuthedRequest
from salesops.core.api import ScopedModelViewSet
from salesops.core.drf import JSONParser
from salesops.core.fields import IdField, KnownFieldsOnly, StrictDateField, version_required
from salesops.customers.models import Customer
from salesops.tasks import selectors, services, targets
from salesops.tasks.filters import TaskFilterSet
from salesops.tasks.models import ProofKind, Task, TaskKind, TaskProof

VERSION_HELP = gettext_lazy("The version read; refused (409 stale) when the task was changed since.")


class ProofSerializer(serializers.ModelSerializer[TaskProof]):
    url = serializers.SerializerMethodField(help_text=gettext_lazy("Serves the file to those who see the task."))

    class Meta:
        model = TaskProof
        fields = ["id", "kind", "size", "uploaded_at", "url"]
        read_only_fields = fields

    def get_url(self, proof: TaskProof) -> str:
        return reverse("task-proof", args=[proof.pk])


class TaskSerializer(serializers.ModelSerializer[Task]):
    assignee_name = serializers.CharField(source="assignee.display_name", read_only=True)
    assigner_name = serializers.CharField(source="assigner.display_name", read_only=True)
    customer_name = serializers.CharField(source="customer.name", read_only=True, default=None)
    overdue = serializers.SerializerMethodField()
    proofs = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = [
            "id", "title", "content", "standard", "deadline", "assignee", "assignee_name", "assigner",
            "assigner_name", "status", "kind", "customer", "customer_name", "deal", "overdue", "target_measure",
            "target_count", "target_since", "handover_contact", "satisfaction_score", "followup", "submitted_at",
            "decided_at", "decided_by", "decision_comment", "proofs", "version", "created_at",
        ]
        read_only_fields = fields

    def get_overdue(self, task: Task) -> bool:
        return selectors.is_overdue(task)

    def get_proofs(self, task: Task) -> list[dict[str, Any]]:
        proofs = getattr(task, "active_proofs", None)
        rows = proofs if proofs is not None else task.proofs.filter(is_active=True)
        return ProofSerializer(rows, many=True).data  # type: ignore[return-value]


class ProgressSerializer(serializers.Serializer[Any]):
    done = serializers.IntegerField()
    target = serializers.IntegerField()
    percent = serializers.IntegerField()


class TaskDetailSerializer(TaskSerializer):
    progress = serializers.SerializerMethodField(help_text=gettext_lazy(
        "R16: the measured target counted live from the data; null without one."))

    class Meta(TaskSerializer.Meta):
        fields = [*TaskSerializer.Meta.fields, "progress"]
        read_only_fields = fields

    @extend_schema(request=None, responses=ProgressSerializer)  # type: ignore[misc]
    def get_progress(self, task: Task) -> dict[str, int] | None:
        found = selectors.progress(task)
        return None if found is None else {"done": found.done, "target": found.target, "percent": found.percent}


class TaskCreateSerializer(KnownFieldsOnly, serializers.Serializer[Any]):
    title = serializers.CharField(max_length=120)
    content = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    standard = serializers.CharField(max_length=5000)
    deadline = StrictDateField()
    assignee = IdField()
    kind = serializers.ChoiceField(choices=TaskKind.choices, required=False, default=TaskKind.GENERAL)
    customer = IdField(required=False, allow_null=True, default=None)
    deal = IdField(required=False, allow_null=True, default=None)
    handover_contact = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")
    target_measure = serializers.ChoiceField(choices=targets.CHOICES, required=False, allow_blank=True, default="")
    target_count = serializers.IntegerField(min_value=1, max_value=1_000_000, required=False, allow_null=True,
                                            default=None)
    target_since = StrictDateField(required=False, allow_null=True, default=None)


class TaskUpdateSerializer(KnownFieldsOnly, serializers.Serializer[Any]):
    version = IdField(required=False, help_text=VERSION_HELP)
    title = serializers.CharField(max_length=120, required=False)
    content = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    standard = serializers.CharField(max_length=5000, required=False)
    deadline = StrictDateField(required=False)
    customer = IdField(required=False, allow_null=True)


class ProofUploadSerializer(serializers.Serializer[Any]):
    file = serializers.FileField()
    kind = serializers.ChoiceField(choices=ProofKind.choices, required=False, default=ProofKind.OTHER)


class SubmitSerializer(KnownFieldsOnly, serializers.Serializer[Any]):
    version = IdField(required=False, help_text=VERSION_HELP)
    score = serializers.IntegerField(min_value=1, max_value=5, required=False, allow_null=True, default=None,
                                     help_text=gettext_lazy("A satisfaction call's score from 1 to 5 (R13)."))
    comments = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    handover_contact = serializers.CharField(max_length=80, required=False, allow_null=True, default=None)


class DecisionSerializer(KnownFieldsOnly, serializers.Serializer[Any]):
    version = IdField(required=False, help_text=VERSION_HELP)
    comment = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class RescheduleSerializer(KnownFieldsOnly, serializers.Serializer[Any]):
    version = IdField(required=False, help_text=VERSION_HELP)
    checkpoint = StrictDateField()
    reason = serializers.CharField(max_length=500)


def _customer(by: User, pk: int | None) -> Customer | None:
    if pk is None:
        return None
    found = Customer.objects.visible_to(by).filter(pk=pk, is_active=True).first()
    if found is None:
        raise Http404(_("No such customer."))
    return found


def _deal(pk: int | None) -> Any:
    """The deal row (its scope is checked by the service, which knows the model only through the field)."""
    if pk is None:
        return None
    model = Task._meta.get_field("deal").related_model
    found = model._default_manager.filter(pk=pk).first()  # type: ignore[union-attr]
    if found is None:
        raise Http404(_("No such deal."))
    return found


class TaskViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedModelViewSet):
    """Tasks in the caller's scope (R1): create (R16), edit with a version, and the closing verbs (R20)."""

    model = Task
    serializer_class = TaskSerializer
    filterset_class = TaskFilterSet
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def base_queryset(self) -> QuerySet[Task]:
        return selectors.listed(Task.objects.filter(is_active=True)).order_by("deadline", "id")

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        return TaskDetailSerializer if self.action != "list" else TaskSerializer

    def _answer(self, task: Task, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.base_queryset().get(pk=task.pk)
        return Response(TaskDetailSerializer(fresh).data, status=code)

    @extend_schema(request=TaskCreateSerializer, responses={201: TaskDetailSerializer})
    def create(self, request: AuthedRequest) -> Response:
        data = TaskCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        assignee = User.objects.visible_to(request.user).filter(pk=fields.pop("assignee")).first()
        if assignee is None:
            raise Http404(_("No such person."))
        fields["customer"] = _customer(request.user, fields["customer"])
        fields["deal"] = _deal(fields["deal"])
        task = services.task_create(by=request.user, assignee=assignee, **fields)
        return self._answer(task, status.HTTP_201_CREATED)

    @extend_schema(request=TaskUpdateSerializer, responses=TaskDetailSerializer)
    def partial_update(self, request: AuthedRequest, pk: str | None = None) -> Response:
        task = self.get_object()
        data = TaskUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        version = version_required(fields)
        if "customer" in fields:
            fields["customer"] = _customer(request.user, fields["customer"])
        services.task_update(by=request.user, task=task, version=version, **fields)
        return self._answer(task)

    @extend_schema(request={"multipart/form-data": ProofUploadSerializer}, responses={201: ProofSerializer})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def proofs(self, request: AuthedRequest, pk: str | None = None) -> Response:
        """R20: add a proof (multipart ``file``: an image or a PDF by content, at most the rule's size)."""
        task = self.get_object()
        data = ProofUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        proof = services.proof_add(by=request.user, task=task, **data.validated_data)
        return Response(ProofSerializer(proof).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=SubmitSerializer, responses=TaskDetailSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: AuthedRequest, pk: str | None = None) -> Response:
        task = self.get_object()
        data = SubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.task_submit(by=request.user, task=task, **data.validated_data)
        return self._answer(task)

    @extend_schema(request=DecisionSerializer, responses=TaskDetailSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: AuthedRequest, pk: str | None = None) -> Response:
        task = self.get_object()
        data = DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.task_approve(by=request.user, task=task, **data.validated_data)
        return self._answer(task)

    @extend_schema(request=DecisionSerializer, responses=TaskDetailSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: AuthedRequest, pk: str | None = None) -> Response:
        task = self.get_object()
        data = DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.task_reject(by=request.user, task=task, **data.validated_data)
        return self._answer(task)

    @extend_schema(request=RescheduleSerializer, responses=TaskDetailSerializer)
    @action(detail=True, methods=["post"])
    def reschedule(self, request: AuthedRequest, pk: str | None = None) -> Response:
        task = self.get_object()
        data = RescheduleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.task_reschedule(by=request.user, task=task, **data.validated_data)
        return self._answer(task)
