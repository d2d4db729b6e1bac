"""API for deals and contracts (API.md): ``/api/deals/`` list, create, retrieve, update with ``POST .../win/``
``.../lose/`` ``.../reopen/`` ``.../stage/`` and ``GET .../history/``; ``/api/contracts/`` (read) with
``POST .../file/`` (the signed scan); ``/api/stage-probabilities/`` (admins change them) and
``/api/loss-reasons/`` (the list a loss picks from).

Rows are read only through ``visible_to`` (R1): anything outside the caller's scope is a 404. Money is
read and written as decimal strings (``core.money.MoneyInput``); the services decide every rule."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from salesops.accounts.models import User
from salesops.accounts.requests import person_of
from salesops.core.api import ChangeSerializer, ScopedModelViewSet
from salesops.core.errors import Invalid, NotFound
from salesops.core.fields import IdField, KnownFieldsOnly, StrictCharField, StrictDateField, version_required
from salesops.core.money import MoneyInput
from salesops.customers.models import Customer
from salesops.deals import contracts, selectors, services, winning
from salesops.deals.filters import ContractFilterSet, DealFilterSet
from salesops.deals.models import Contract, Deal, LossReason, Stage, StageProbability

VERSION_HELP = gettext_lazy("The version read; a change sends it back and is refused (409 stale) when someone "
                            "else saved in the meantime.")


class LineSerializer(serializers.Serializer[Any]):
    product = StrictCharField(max_length=120)
    quantity = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    unit_price = MoneyInput()


class TaskBriefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    title = serializers.CharField()
    deadline = serializers.DateField()
    status = serializers.CharField()
    assignee = serializers.IntegerField(source="assignee_id")


class ContractSerializer(serializers.ModelSerializer[Contract]):
    amount = MoneyInput(read_only=True)
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    owner = serializers.IntegerField(source="deal.owner_id", read_only=True)
    has_scan = serializers.SerializerMethodField()

    class Meta:
        model = Contract
        fields = ["id", "deal", "customer", "customer_name", "owner", "number", "signed_at", "amount", "archived",
                  "archived_at", "has_scan", "created_at", "version"]
        read_only_fields = fields

    def get_has_scan(self, contract: Contract) -> bool:
        return bool(contract.scan)


class DealSerializer(serializers.ModelSerializer[Deal]):
    amount = MoneyInput(read_only=True)
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    owner_name = serializers.CharField(source="owner.__str__", read_only=True)

    class Meta:
        model = Deal
        fields = ["id", "customer", "customer_name", "title", "amount", "stage", "probability", "expected_close",
                  "status", "owner", "owner_name", "is_repurchase", "signed_at", "won_by", "won_team",
                  "lost_reason", "lost_note", "closed_at", "created_at", "updated_at", "version"]
        read_only_fields = fields


class DealDetailSerializer(DealSerializer):
    lines = serializers.SerializerMethodField()
    contract = serializers.SerializerMethodField()
    tasks = serializers.SerializerMethodField()

    class Meta(DealSerializer.Meta):
        fields = [*DealSerializer.Meta.fields, "lines", "contract", "tasks"]
        read_only_fields = fields

    @extend_schema(exclude=True)
    def get_lines(self, deal: Deal) -> list[dict[str, Any]]:
        return [
            {"product": line.product, "quantity": f"{line.quantity:.2f}", "unit_price": f"{line.unit_price:.2f}"}
            for line in getattr(deal, "active_lines", [])
        ]

    @extend_schema(exclude=True)
    def get_contract(self, deal: Deal) -> dict[str, Any] | None:
        contract = getattr(deal, "contract", None)
        return ContractSerializer(contract).data if contract is not None else None  # type: ignore[return-value]

    @extend_schema(exclude=True)
    def get_tasks(self, deal: Deal) -> list[dict[str, Any]]:
        return TaskBriefSerializer(getattr(deal, "active_tasks", []), many=True).data  # type: ignore[return-value]


class DealWriteSerializer(KnownFieldsOnly, serializers.Serializer[Any]):
    refused_fields = {
        "status": gettext_lazy("A deal is won, lost or reopened through its win, lose and reopen actions."),
        "stage": gettext_lazy("An open deal moves through POST .../stage/."),
    }

    customer = IdField()
    title = StrictCharField(max_length=120)
    amount = MoneyInput(required=False, allow_null=True)
    stage = serializers.ChoiceField(choices=Stage.choices, required=False)
    probability = serializers.IntegerField(min_value=0, max_value=100, required=False)
    expected_close = StrictDateField(required=False, allow_null=True)
    owner = IdField(required=False)
    lines = serializers.ListField(child=LineSerializer(), required=False, max_length=100)
    version = IdField(required=False, help_text=VERSION_HELP)

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        if self.instance is not None:
            for name in ("customer", "owner", "stage"):
                fields.pop(name)
            fields["title"].required = False
        else:
            fields.pop("version")
        return fields


class StageSerializer(serializers.Serializer[Any]):
    stage = serializers.ChoiceField(choices=Stage.choices)
    probability = serializers.IntegerField(min_value=0, max_value=100, required=False)
    version = IdField(required=False, help_text=VERSION_HELP)


class WinSerializer(serializers.Serializer[Any]):
    signed_at = StrictDateField()
    amount = MoneyInput(positive=True)
    contract_number = StrictCharField(max_length=40, required=False, allow_blank=True)
    version = IdField(required=False, help_text=VERSION_HELP)


class LoseSerializer(serializers.Serializer[Any]):
    reason = IdField()
    note = StrictCharField(max_length=500, required=False, allow_blank=True)
    version = IdField(required=False, help_text=VERSION_HELP)


class ReopenSerializer(serializers.Serializer[Any]):
    reason = StrictCharField(max_length=500)
    version = IdField(required=False, help_text=VERSION_HELP)


def _lines(data: dict[str, Any]) -> list[dict[str, Any]] | None:
    lines = data.pop("lines", None)
    return None if lines is None else [dict(line) for line in lines]


class DealViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
    ScopedModelViewSet,
):
    """Deals in the caller's scope (R1), filtered by owner, team, customer, stage, status, expected close, text."""

    model = Deal
    filterset_class = DealFilterSet

    def get_queryset(self) -> QuerySet[Deal]:
        user = self.request.user
        if not isinstance(user, User):  # the schema generator's anonymous request
            return Deal.objects.none()
        if self.action == "list":
            return selectors.deal_list(user=user)
        return selectors.deal_detail(user=user)

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        if self.action in ("create", "update", "partial_update"):
            return DealWriteSerializer
        return DealSerializer if self.action == "list" else DealDetailSerializer

    def _answer(self, deal: Deal, code: int = status.HTTP_200_OK) -> Response:
        fresh = selectors.deal_detail(user=person_of(self.request)).get(pk=deal.pk)
        return Response(DealDetailSerializer(fresh).data, status=code)

    @extend_schema(request=DealWriteSerializer, responses={201: DealDetailSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        by = person_of(request)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        customer = Customer.objects.filter(pk=data.pop("customer")).first()
        if customer is None:
            raise NotFound(gettext_lazy("No such customer."))
        owner = None
        if "owner" in data:
            owner = User.objects.visible_to(by).filter(pk=data.pop("owner")).first()
            if owner is None:
                raise Invalid(fields={"owner": gettext_lazy("The owner must be someone in your teams.")})
        deal = services.deal_create(by=by, customer=customer, owner=owner, lines=_lines(data), **data)
        return self._answer(deal, status.HTTP_201_CREATED)

    @extend_schema(request=DealWriteSerializer, responses=DealDetailSerializer)
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        deal = self.get_object()
        serializer = self.get_serializer(deal, data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = version_required(data)
        deal = services.deal_update(deal=deal, by=person_of(request), version=version, lines=_lines(data), **data)
        return self._answer(deal)

    @extend_schema(request=StageSerializer, responses=DealDetailSerializer)
    @action(detail=True, methods=["post"])
    def stage(self, request: Request, pk: str | None = None) -> Response:
        serializer = StageSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        deal = services.deal_stage_change(deal=self.get_object(), by=person_of(request), **serializer.validated_data)
        return self._answer(deal)

    @extend_schema(request=WinSerializer, responses=DealDetailSerializer)
    @action(detail=True, methods=["post"])
    def win(self, request: Request, pk: str | None = None) -> Response:
        """R13: the signed date and final amount; answers the deal with its contract and post-win tasks."""
        serializer = WinSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        deal = winning.deal_win(deal=self.get_object(), by=person_of(request), **data)
        return self._answer(deal)

    @extend_schema(request=LoseSerializer, responses=DealDetailSerializer)
    @action(detail=True, methods=["post"])
    def lose(self, request: Request, pk: str | None = None) -> Response:
        serializer = LoseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        deal = services.deal_lose(deal=self.get_object(), by=person_of(request), **serializer.validated_data)
        return self._answer(deal)

    @extend_schema(request=ReopenSerializer, responses=DealDetailSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str | None = None) -> Response:
        serializer = ReopenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        deal = services.deal_reopen(deal=self.get_object(), by=person_of(request), **serializer.validated_data)
        return self._answer(deal)

    @extend_schema(request=None, responses=inline_serializer("DealHistory", {"results": ChangeSerializer(many=True)}))
    @action(detail=True, methods=["get"])
    def history(self, request: Request, pk: str | None = None) -> Response:
        changes = selectors.deal_changes(deal=self.get_object())
        return Response({"results": ChangeSerializer(changes, many=True).data})


class ScanSerializer(serializers.Serializer[Any]):
    file = serializers.FileField()
    version = IdField(required=False, help_text=VERSION_HELP)


class ContractViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedModelViewSet):
    """Contracts in the caller's scope (R1); the signed scan is uploaded with ``POST .../file/``."""

    model = Contract
    filterset_class = ContractFilterSet
    serializer_class = ContractSerializer

    def get_queryset(self) -> QuerySet[Contract]:
        user = self.request.user
        if not isinstance(user, User):
            return Contract.objects.none()
        return selectors.contract_list(user=user)

    @extend_schema(request={"multipart/form-data": ScanSerializer}, responses=ContractSerializer)
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def file(self, request: Request, pk: str | None = None) -> Response:
        contract = self.get_object()
        serializer = ScanSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        contract = contracts.contract_attach_scan(contract=contract, by=person_of(request), upload=data["file"],
                                                  version=data.get("version"))
        return Response(ContractSerializer(selectors.contract_list(user=person_of(request)).get(pk=contract.pk)).data)


class StageProbabilitySerializer(serializers.ModelSerializer[StageProbability]):
    probability = serializers.IntegerField(min_value=0, max_value=100)

    class Meta:
        model = StageProbability
        fields = ["stage", "probability"]
        read_only_fields = ["stage"]


class StageProbabilityViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin,
                              ScopedModelViewSet):
    """Each stage's default probability: everyone reads them, an admin changes them (``PATCH`` by stage)."""

    serializer_class = StageProbabilitySerializer
    lookup_field = "stage"
    lookup_value_regex = "[a-z]{1,12}"
    pagination_class = None

    def get_queryset(self) -> QuerySet[StageProbability]:
        return StageProbability.objects.all()

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        row = self.get_object()
        serializer = self.get_serializer(row, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        row = services.stage_probability_set(by=person_of(request), stage=row.stage,
                                             probability=serializer.validated_data["probability"])
        return Response(StageProbabilitySerializer(row).data)


class LossReasonSerializer(serializers.ModelSerializer[LossReason]):
    class Meta:
        model = LossReason
        fields = ["id", "name"]


class LossReasonViewSet(mixins.ListModelMixin, ScopedModelViewSet):
    """The reasons a loss picks from (admins keep the list in the management pages)."""

    serializer_class = LossReasonSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[LossReason]:
        return selectors.loss_reasons()
