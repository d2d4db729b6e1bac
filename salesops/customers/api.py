"""API for customers (API.md): /api/customers/ list, create, retrieve, update; soft delete with
``POST .../deactivate/``; ``GET .../history/`` (R12); ``.../contacts/``; ``POST .../merge/`` (R15).

Rows are read only through ``Customer.objects.visible_to`` (R1): anything outside the caller's scope is a
404. Claim, release and transfer live in the pool API."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from salesops.accounts.models import User
from salesops.accounts.requests import person_of
from salesops.core.api import ID_PATTERN, ChangeSerializer, ScopedModelViewSet
from salesops.core.clock import local_today
from salesops.core.drf import IdsFirstPagination
from salesops.core.fields import VERSION_HELP, IdField, KnownFieldsOnly, version_required
from salesops.customers import selectors, services
from salesops.customers.filters import CustomerFilterSet
from salesops.customers.models import CadenceStatus, CompanySize, Contact, Customer, Grade


class ContactSerializer(KnownFieldsOnly, serializers.ModelSerializer[Contact]):
    version = IdField(required=False, help_text=VERSION_HELP)

    class Meta:
        model = Contact
        fields = ["id", "name", "title", "phone", "wechat", "email", "decision_role", "is_primary", "is_active",
                  "version"]
        read_only_fields = ["is_active"]


class CustomerSerializer(serializers.ModelSerializer[Customer]):
    owner_name = serializers.SerializerMethodField()
    tags = serializers.SerializerMethodField()
    tag_line = serializers.CharField(read_only=True)
    cadence_status = serializers.ChoiceField(choices=CadenceStatus.choices, read_only=True)
    company_size = serializers.ChoiceField(choices=CompanySize.choices, allow_blank=True, read_only=True)

    class Meta:
        model = Customer
        fields = [
            "id", "name", "grade", "grade_reason", "graded_at", "intent_at", "status", "owner", "owner_name",
            "industry", "company_size", "decision_maker_role", "budget", "focus", "tags", "tag_line", "phone",
            "credit_code", "address", "latitude", "longitude", "next_due_at", "contract_due_at", "cadence_status",
            "last_followup_at", "pooled_at", "is_active", "merged_into", "created_at", "updated_at", "version",
        ]
        read_only_fields = fields

    def get_owner_name(self, customer: Customer) -> str | None:
        return str(customer.owner) if customer.owner else None

    def get_tags(self, customer: Customer) -> list[str]:
        return customer.tag_names


class CustomerDetailSerializer(CustomerSerializer):
    contacts = serializers.SerializerMethodField()

    class Meta(CustomerSerializer.Meta):
        fields = [*CustomerSerializer.Meta.fields, "contacts"]
        read_only_fields = fields

    @extend_schema(exclude=True)
    def get_contacts(self, customer: Customer) -> list[dict[str, Any]]:
        return ContactSerializer(getattr(customer, "active_contacts", []), many=True).data  # type: ignore[return-value]


class CustomerWriteSerializer(KnownFieldsOnly, serializers.Serializer[Any]):
    """What a person may write; rules (duplicates, phone and credit code checks, grade reason) are the
    services'. The owner is set on create only: later changes go through claim, release and transfer."""

    refused_fields = {
        "owner": gettext_lazy("The owner changes through a claim, a release or a transfer, not an edit."),
        "contacts": gettext_lazy("Contacts are changed under the customer's contacts."),
    }

    name = serializers.CharField(max_length=200)
    grade = serializers.ChoiceField(choices=Grade.choices, allow_null=True, allow_blank=True, required=False)
    grade_reason = serializers.CharField(max_length=200, allow_blank=True, required=False)
    status = serializers.CharField(max_length=10, required=False)
    owner = serializers.PrimaryKeyRelatedField(queryset=User.objects.none(), allow_null=True, required=False)
    industry = serializers.CharField(max_length=40, allow_blank=True, required=False)
    company_size = serializers.CharField(max_length=10, allow_blank=True, required=False)
    decision_maker_role = serializers.CharField(max_length=40, allow_blank=True, required=False)
    budget = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True, required=False, min_value=0)
    focus = serializers.CharField(max_length=40, allow_blank=True, required=False)
    tags = serializers.ListField(child=serializers.CharField(max_length=30), required=False, max_length=50)
    phone = serializers.CharField(max_length=30, allow_blank=True, required=False)
    credit_code = serializers.CharField(max_length=40, allow_blank=True, required=False)
    address = serializers.CharField(max_length=200, allow_blank=True, required=False)
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True, required=False,
                                        min_value=-90, max_value=90)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True, required=False,
                                         min_value=-180, max_value=180)
    contacts = ContactSerializer(many=True, required=False)
    # R15: create even though customers with a similar name exist (after a 409 possible_duplicate)
    confirm_new = serializers.BooleanField(required=False, default=False)
    version = IdField(required=False, help_text=VERSION_HELP)

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            fields["owner"].queryset = User.objects.visible_to(request.user).filter(  # type: ignore[attr-defined]
                is_active=True
            )
        if self.instance is not None:
            fields.pop("owner")
            fields.pop("contacts")
            fields.pop("confirm_new")
        else:
            fields.pop("version")  # a new customer has none yet
        return fields


class MergeSerializer(serializers.Serializer[Any]):
    other = serializers.IntegerField(min_value=1, max_value=2**63 - 1)


class CustomerViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
    ScopedModelViewSet,
):
    """Customers in the caller's scope (R1), filtered and searched by any part of name, initials or phone (R15)."""

    model = Customer
    filterset_class = CustomerFilterSet
    pagination_class = IdsFirstPagination
    action_rules = {"merge": "customers.merge_customers"}  # 403 before any lookup; the service checks it too

    def get_queryset(self) -> QuerySet[Customer]:
        user = self.request.user
        if not isinstance(user, User):  # the schema generator's anonymous request
            return Customer.objects.none()
        if self.action == "list":
            return selectors.customer_list(user=user, pool=CustomerFilterSet.wants_pool(self.request.query_params))
        return selectors.customer_detail(user=user)

    def page_rows(self, ids: list[int]) -> list[Customer]:
        """A list page's rows by id (``core.paging``)."""
        user = person_of(self.request)
        pool = CustomerFilterSet.wants_pool(self.request.query_params)
        return selectors.customer_page_rows(user=user, pool=pool, ids=ids)

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        if self.action in ("create", "update", "partial_update"):
            return CustomerWriteSerializer
        return CustomerSerializer if self.action == "list" else CustomerDetailSerializer

    def _saved_response(self, customer: Customer, code: int = status.HTTP_200_OK) -> Response:
        """The customer a write returned, read again as the detail shows it (tags, contacts, cadence)."""
        fresh = selectors.customer_detail(user=person_of(self.request)).filter(pk=customer.pk).first()
        if fresh is None:  # deactivated, or given to someone outside the caller's scope: show what was saved
            saved = Customer.objects.select_related("owner").filter(pk=customer.pk)
            fresh = saved.with_cadence_status(local_today()).get()
        return Response(CustomerDetailSerializer(fresh).data, status=code)

    @extend_schema(request=CustomerWriteSerializer, responses={201: CustomerDetailSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        customer = services.customer_create(by=person_of(request), **data)
        return self._saved_response(customer, status.HTTP_201_CREATED)

    @extend_schema(request=CustomerWriteSerializer, responses=CustomerDetailSerializer)
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        customer = self.get_object()
        serializer = self.get_serializer(customer, data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = version_required(data)
        customer = services.customer_update(customer=customer, by=person_of(request), version=version, **data)
        return self._saved_response(customer)

    @extend_schema(request=None, responses=CustomerDetailSerializer)
    @action(detail=True, methods=["post"])
    def deactivate(self, request: Request, pk: str | None = None) -> Response:
        customer = services.customer_deactivate(customer=self.get_object(), by=person_of(request))
        return self._saved_response(customer)

    @extend_schema(
        request=None, responses=inline_serializer("CustomerHistory", {"results": ChangeSerializer(many=True)})
    )
    @action(detail=True, methods=["get"])
    def history(self, request: Request, pk: str | None = None) -> Response:
        customer = get_object_or_404(Customer.objects.visible_to(request.user), pk=pk)
        changes = selectors.customer_changes(customer=customer)
        return Response({"results": ChangeSerializer(changes, many=True).data})

    @extend_schema(methods=["GET"], responses=ContactSerializer(many=True))
    @extend_schema(methods=["POST"], request=ContactSerializer, responses={201: ContactSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def contacts(self, request: Request, pk: str | None = None) -> Response:
        customer = get_object_or_404(Customer.objects.visible_to(request.user), pk=pk)
        if request.method == "POST":
            serializer = ContactSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = {k: v for k, v in serializer.validated_data.items() if k != "version"}
            contact = services.contact_create(customer=customer, by=person_of(request), **data)
            return Response(ContactSerializer(contact).data, status=status.HTTP_201_CREATED)
        return Response(ContactSerializer(customer.contacts.filter(is_active=True), many=True).data)

    def _visible_contact(self, pk: str | None, contact_id: str) -> Contact:
        customer = get_object_or_404(Customer.objects.visible_to(self.request.user), pk=pk)
        return get_object_or_404(Contact.objects.select_related("customer"), customer=customer, pk=contact_id,
                                 is_active=True)

    @extend_schema(request=ContactSerializer, responses=ContactSerializer)
    @action(detail=True, methods=["patch"], url_path=rf"contacts/(?P<contact_id>{ID_PATTERN})")
    def contact(self, request: Request, pk: str | None = None, contact_id: str = "") -> Response:
        contact = self._visible_contact(pk, contact_id)
        serializer = ContactSerializer(contact, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = version_required(data)
        contact = services.contact_update(contact=contact, by=person_of(request), version=version, **data)
        return Response(ContactSerializer(contact).data)

    @extend_schema(request=None, responses=ContactSerializer)
    @action(detail=True, methods=["post"], url_path=rf"contacts/(?P<contact_id>{ID_PATTERN})/deactivate")
    def contact_deactivate(self, request: Request, pk: str | None = None, contact_id: str = "") -> Response:
        contact = services.contact_deactivate(contact=self._visible_contact(pk, contact_id), by=person_of(request))
        return Response(ContactSerializer(contact).data)

    @extend_schema(request=MergeSerializer, responses=CustomerDetailSerializer)
    @action(detail=True, methods=["post"])
    def merge(self, request: Request, pk: str | None = None) -> Response:
        """R15: ``other`` is merged into this customer (leads, directors and admins)."""
        survivor = self.get_object()
        serializer = MergeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        other = get_object_or_404(Customer.objects.visible_to(request.user), pk=serializer.validated_data["other"])
        merged = services.customer_merge(survivor=survivor, other=other, by=person_of(request))
        return self._saved_response(merged)

