"""API of R7 daily plans (API.md): ``/api/daily-plans/`` ``{user, date, customers, route, materials,
requests: [{kind, detail, status}], status}`` with ``submit``, ``approve``, ``return`` and
``optimise-route``; ``/api/resource-requests/`` with ``fulfil`` and ``decline``.

Rows are read through ``visible_to`` (R1): a plan where its person is seen, a request with its plan;
anything else answers 404. Every write is one service call.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from salesops.accounts.requests import AuthedRequest
from salesops.core.api import ScopedModelViewSet
from salesops.core.clock import local_today
from salesops.core.fields import VERSION_HELP, IdField, KnownFieldsOnly, StrictDateField, version_required
from salesops.daily.plans import requests as request_services
from salesops.daily.plans import selectors, services
from salesops.daily.plans.filters import DailyPlanFilterSet, ResourceRequestFilterSet
from salesops.daily.plans.models import DailyPlan, RequestKind, ResourceRequest

IDS_HELP = gettext_lazy("Customer ids, each one of the person's own active customers.")


class RequestSerializer(serializers.ModelSerializer[ResourceRequest]):
    class Meta:
        model = ResourceRequest
        fields = ["id", "plan", "kind", "detail", "status", "comment", "decided_by", "decided_at", "created_at",
                  "version"]
        read_only_fields = fields


class DailyPlanSerializer(serializers.ModelSerializer[DailyPlan]):
    user_name = serializers.CharField(source="user.display_name", read_only=True)
    customers = serializers.SerializerMethodField(help_text=IDS_HELP)
    route = serializers.SerializerMethodField(help_text=gettext_lazy("Customer ids in visit order (R7)."))
    route_km = serializers.SerializerMethodField(help_text=gettext_lazy(
        "Great-circle travel along the route between the stops with coordinates, in km."))
    tasks = serializers.SerializerMethodField(help_text=gettext_lazy("The open tasks the plan was made with."))
    requests = RequestSerializer(many=True, read_only=True)

    class Meta:
        model = DailyPlan
        fields = [
            "id", "user", "user_name", "team", "date", "status", "customers", "route", "route_km", "materials",
            "carried_over", "tasks", "requests", "submitted_at", "late", "decided_by", "decided_at", "comment",
            "version", "created_at",
        ]
        read_only_fields = fields

    def get_customers(self, plan: DailyPlan) -> list[int]:
        return [row.customer_id for row in selectors.stops_of(plan)]

    def get_route(self, plan: DailyPlan) -> list[int]:
        return [row.customer_id for row in selectors.route_of(plan)]

    def get_route_km(self, plan: DailyPlan) -> float:
        return round(selectors.route_km_of(plan), 2)

    def get_tasks(self, plan: DailyPlan) -> list[int]:
        return [task.pk for task in plan.tasks.all()]


class NewRequestSerializer(KnownFieldsOnly, serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=RequestKind.choices)
    detail = serializers.CharField(max_length=500)


class PlanCreateSerializer(KnownFieldsOnly, serializers.Serializer[Any]):
    date = StrictDateField(required=False, help_text=gettext_lazy("Today when left out."))
    customers = serializers.ListField(child=IdField(), max_length=services.MAX_CUSTOMERS, required=False,
                                      help_text=gettext_lazy("Left out: pre-filled with the customers due (R10) "
                                                             "and those of the open tasks."))
    route = serializers.ListField(child=IdField(), max_length=services.MAX_CUSTOMERS, required=False, default=list)
    materials = serializers.CharField(max_length=services.MATERIALS_MAX, required=False, allow_blank=True, default="")
    requests = NewRequestSerializer(many=True, required=False, default=list)


class PlanUpdateSerializer(KnownFieldsOnly, serializers.Serializer[Any]):
    version = IdField(required=False, help_text=VERSION_HELP)
    customers = serializers.ListField(child=IdField(), max_length=services.MAX_CUSTOMERS, required=False)
    route = serializers.ListField(child=IdField(), max_length=services.MAX_CUSTOMERS, required=False)
    materials = serializers.CharField(max_length=services.MATERIALS_MAX, required=False, allow_blank=True)


class PlanVersionSerializer(KnownFieldsOnly, serializers.Serializer[Any]):
    version = IdField(required=False, help_text=VERSION_HELP)


class PlanDecisionSerializer(KnownFieldsOnly, serializers.Serializer[Any]):
    version = IdField(required=False, help_text=VERSION_HELP)
    comment = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class RouteAnswerSerializer(DailyPlanSerializer):
    class Meta(DailyPlanSerializer.Meta):
        fields = [*DailyPlanSerializer.Meta.fields, "before_km", "after_km", "saved_km"]
        read_only_fields = fields

    before_km = serializers.FloatField(read_only=True)
    after_km = serializers.FloatField(read_only=True)
    saved_km = serializers.FloatField(read_only=True)


class DailyPlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedModelViewSet):
    """Daily plans in the caller's scope (R1); the caller makes and edits their own, whoever manages the
    person decides (R7)."""

    model = DailyPlan
    serializer_class = DailyPlanSerializer
    filterset_class = DailyPlanFilterSet

    def base_queryset(self) -> QuerySet[DailyPlan]:
        return selectors.listed(DailyPlan.objects.all()).order_by("-date", "id")

    def _answer(self, plan: DailyPlan, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.base_queryset().get(pk=plan.pk)
        return Response(DailyPlanSerializer(fresh).data, status=code)

    @extend_schema(request=PlanCreateSerializer, responses={201: DailyPlanSerializer})
    def create(self, request: AuthedRequest) -> Response:
        """The caller's plan for a day (409 ``duplicate`` when they have one), pre-filled unless
        ``customers`` is sent, with its resource requests."""
        data = PlanCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        with transaction.atomic():
            plan = services.plan_create(by=request.user, day=fields.get("date") or local_today(),
                                        customers=fields.get("customers"), route=fields["route"],
                                        materials=fields["materials"])
            for wanted in fields["requests"]:
                request_services.request_create(by=request.user, plan=plan, **wanted)
        return self._answer(plan, status.HTTP_201_CREATED)

    @extend_schema(request=PlanUpdateSerializer, responses=DailyPlanSerializer)
    def partial_update(self, request: AuthedRequest, pk: str | None = None) -> Response:
        plan = self.get_object()
        data = PlanUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        version = version_required(fields)
        services.plan_update(by=request.user, plan=plan, version=version, **fields)
        return self._answer(plan)

    @extend_schema(request=PlanVersionSerializer, responses=DailyPlanSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: AuthedRequest, pk: str | None = None) -> Response:
        """R7: submitted; after the deadline (``plan_due_at``) it is accepted and marked ``late``."""
        plan = self.get_object()
        data = PlanVersionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.plan_submit(by=request.user, plan=plan, **data.validated_data)
        return self._answer(plan)

    @extend_schema(request=PlanDecisionSerializer, responses=DailyPlanSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: AuthedRequest, pk: str | None = None) -> Response:
        plan = self.get_object()
        data = PlanDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.plan_approve(by=request.user, plan=plan, **data.validated_data)
        return self._answer(plan)

    @extend_schema(request=PlanDecisionSerializer, responses=DailyPlanSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_plan(self, request: AuthedRequest, pk: str | None = None) -> Response:
        """R7: back to the person with a comment (required)."""
        plan = self.get_object()
        data = PlanDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.plan_return(by=request.user, plan=plan, **data.validated_data)
        return self._answer(plan)

    @extend_schema(request=PlanVersionSerializer, responses=RouteAnswerSerializer)
    @action(detail=True, methods=["post"], url_path="optimise-route")
    def optimise_route(self, request: AuthedRequest, pk: str | None = None) -> Response:
        """R7: the route's stops in a shorter order (nearest neighbour and 2-opt over great-circle
        distances; stops without coordinates last), with the distance before and after."""
        plan = self.get_object()
        data = PlanVersionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        found = services.plan_optimise_route(by=request.user, plan=plan, **data.validated_data)
        body = dict(DailyPlanSerializer(self.base_queryset().get(pk=plan.pk)).data)
        body.update(before_km=round(found.before_km, 2), after_km=round(found.after_km, 2),
                    saved_km=round(found.saved_km, 2))
        return Response(body)


class RequestCreateSerializer(KnownFieldsOnly, serializers.Serializer[Any]):
    plan = IdField()
    kind = serializers.ChoiceField(choices=RequestKind.choices)
    detail = serializers.CharField(max_length=500)


class ResourceRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedModelViewSet):
    """Resource requests (R7) seen with their plans (R1); the plan's person asks, their lead decides."""

    model = ResourceRequest
    serializer_class = RequestSerializer
    filterset_class = ResourceRequestFilterSet

    def base_queryset(self) -> QuerySet[ResourceRequest]:
        return ResourceRequest.objects.select_related("plan").order_by("created_at", "id")

    @extend_schema(request=RequestCreateSerializer, responses={201: RequestSerializer})
    def create(self, request: AuthedRequest) -> Response:
        data = RequestCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        plan = DailyPlan.objects.visible_to(request.user).filter(pk=fields.pop("plan")).first()
        if plan is None:
            raise Http404(_("No such plan."))
        row = request_services.request_create(by=request.user, plan=plan, **fields)
        return Response(RequestSerializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PlanDecisionSerializer, responses=RequestSerializer)
    @action(detail=True, methods=["post"])
    def fulfil(self, request: AuthedRequest, pk: str | None = None) -> Response:
        row = self.get_object()
        data = PlanDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        row = request_services.request_fulfil(by=request.user, request=row, **data.validated_data)
        return Response(RequestSerializer(row).data)

    @extend_schema(request=PlanDecisionSerializer, responses=RequestSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request: AuthedRequest, pk: str | None = None) -> Response:
        row = self.get_object()
        data = PlanDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        row = request_services.request_decline(by=request.user, request=row, **data.validated_data)
        return Response(RequestSerializer(row).data)
