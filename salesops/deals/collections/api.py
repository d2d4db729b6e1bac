"""API of collections 回款 (API.md): a contract's payment plan, instalments, receipts.

- ``GET/PUT /api/contracts/{id}/instalments/``: the plan. PUT takes the list ``[{due_date, amount}]`` of
  API.md, or ``{"version": n, "instalments": [...]}`` to be refused (409 stale) when the plan changed since
  version ``n`` was read; a line with ``id`` keeps that instalment (one with receipts must be kept).
- ``/api/instalments/`` (read): ``status`` of today; filters ``contract owner team overdue due_after
  due_before status``.
- ``/api/payments/``: receipts; POST records one (never above what is still due: 400 with that amount),
  DELETE voids one (kept, inactive).

Rows are read through ``visible_to`` (R1): anything outside the caller's scope answers 404.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from salesops.accounts.requests import AuthedRequest
from salesops.core.api import ScopedModelViewSet
from salesops.core.fields import IdField, KnownFieldsOnly, StrictDateField
from salesops.core.money import MoneyInput
from salesops.deals.collections import selectors, services
from salesops.deals.collections.filters import InstalmentFilterSet, PaymentFilterSet
from salesops.deals.collections.services import MAX_INSTALMENTS, PlanLine
from salesops.deals.models import Contract, Instalment, InstalmentStatus, Payment


class InstalmentSerializer(serializers.ModelSerializer[Instalment]):
    contract_number = serializers.CharField(source="contract.number", read_only=True)
    customer = serializers.IntegerField(source="contract.customer_id", read_only=True)
    customer_name = serializers.CharField(source="contract.customer.name", read_only=True)
    owner_name = serializers.CharField(source="owner.display_name", read_only=True)
    amount = MoneyInput(read_only=True)
    received = MoneyInput(read_only=True)
    outstanding = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=InstalmentStatus.choices, read_only=True)

    class Meta:
        model = Instalment
        fields = [
            "id", "contract", "contract_number", "customer", "customer_name", "due_date", "amount", "received",
            "outstanding", "status", "owner", "owner_name", "owner_team", "overdue_flagged_on", "version",
        ]
        read_only_fields = fields

    def get_outstanding(self, instalment: Instalment) -> str:
        return MoneyInput().to_representation(instalment.amount - instalment.received)


class PlanSerializer(serializers.Serializer[Any]):
    """A contract's plan as read: the contract's version (send it back with a change) and its instalments."""

    contract = serializers.IntegerField()
    version = serializers.IntegerField()
    amount = MoneyInput()
    instalments = InstalmentSerializer(many=True)


class PlanLineSerializer(KnownFieldsOnly, serializers.Serializer[Any]):
    id = IdField(required=False, allow_null=True, default=None, help_text=gettext_lazy(
        "An instalment of the plan to keep (one with receipts must be kept); without it, a new instalment."))
    due_date = StrictDateField()
    amount = MoneyInput(positive=True)


class PlanWriteSerializer(KnownFieldsOnly, serializers.Serializer[Any]):
    version = IdField(required=False, help_text=gettext_lazy(
        "The contract's version read with the plan; refused (409 stale) when the plan changed since."))
    instalments = serializers.ListField(child=PlanLineSerializer(), allow_empty=False, max_length=MAX_INSTALMENTS)


def _plan_answer(contract: Contract) -> dict[str, Any]:
    rows = selectors.plan_of(contract=contract)
    for row in rows:
        row.contract = contract
    return PlanSerializer({"contract": contract.pk, "version": contract.version, "amount": contract.amount,
                           "instalments": rows}).data


class ContractPlanViewSet(ScopedModelViewSet):
    """The payment plan of a contract, at ``/api/contracts/{id}/instalments/`` beside the contracts' own
    endpoints."""

    model = Contract

    def base_queryset(self) -> QuerySet[Contract]:
        return Contract.objects.select_related("customer")

    @extend_schema(methods=["GET"], request=None, responses=PlanSerializer)
    @extend_schema(methods=["PUT"], request=PlanWriteSerializer, responses=PlanSerializer)
    @action(detail=True, methods=["get", "put"], url_path="instalments", url_name="instalments")
    def instalments(self, request: AuthedRequest, pk: str | None = None) -> Response:
        """The plan (GET), or a new one replacing it (PUT): it must sum exactly to the contract amount."""
        contract = self.get_object()
        if request.method == "PUT":
            body = {"instalments": request.data} if isinstance(request.data, list) else request.data
            data = PlanWriteSerializer(data=body)
            data.is_valid(raise_exception=True)
            lines = data.validated_data["instalments"]
            plan = [PlanLine(line["due_date"], line["amount"], line["id"]) for line in lines]
            services.instalments_replace(by=request.user, contract_id=contract.pk, plan=plan,
                                         version=data.validated_data.get("version"))
            contract = self.base_queryset().get(pk=contract.pk)
        return Response(_plan_answer(contract))


class InstalmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedModelViewSet):
    """Instalments in the caller's scope (R1), with their status of today."""

    model = Instalment
    serializer_class = InstalmentSerializer
    filterset_class = InstalmentFilterSet

    def get_queryset(self) -> QuerySet[Instalment]:
        return selectors.instalments(user=self.request.user)


class PaymentSerializer(serializers.ModelSerializer[Payment]):
    contract = serializers.IntegerField(source="instalment.contract_id", read_only=True)
    contract_number = serializers.CharField(source="instalment.contract.number", read_only=True)
    customer = serializers.IntegerField(source="instalment.contract.customer_id", read_only=True)
    customer_name = serializers.CharField(source="instalment.contract.customer.name", read_only=True)
    amount = MoneyInput(read_only=True)
    owner_name = serializers.CharField(source="owner.display_name", read_only=True)
    recorded_by_name = serializers.CharField(source="recorded_by.display_name", read_only=True)

    class Meta:
        model = Payment
        fields = [
            "id", "instalment", "contract", "contract_number", "customer", "customer_name", "received_at", "amount",
            "owner", "owner_name", "owner_team", "recorded_by", "recorded_by_name", "created_at",
        ]
        read_only_fields = fields


class PaymentCreateSerializer(KnownFieldsOnly, serializers.Serializer[Any]):
    instalment = IdField()
    received_at = StrictDateField()
    amount = MoneyInput(positive=True)


class PaymentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedModelViewSet):
    """Receipts in the caller's scope (R1); create records one, delete voids one."""

    model = Payment
    serializer_class = PaymentSerializer
    filterset_class = PaymentFilterSet

    def get_queryset(self) -> QuerySet[Payment]:
        return selectors.payments(user=self.request.user)

    @extend_schema(request=PaymentCreateSerializer, responses={201: PaymentSerializer})
    def create(self, request: AuthedRequest) -> Response:
        data = PaymentCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        payment = services.payment_record(
            by=request.user, instalment_id=fields["instalment"], received_at=fields["received_at"],
            amount=fields["amount"],
        )
        return Response(PaymentSerializer(self.get_queryset().get(pk=payment.pk)).data, status=status.HTTP_201_CREATED)

    def destroy(self, request: AuthedRequest, pk: str | None = None) -> Response:
        """Void the receipt: it stays, inactive, and its amount is due again on the instalment."""
        services.payment_void(by=request.user, payment_id=self.get_object().pk)
        return Response(status=status.HTTP_204_NO_CONTENT)
