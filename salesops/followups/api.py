"""API for follow-up records (R11): /api/followups/ (API.md).

Rows are read through ``FollowUp.objects.visible_to`` (R1: a customer's records go with the customer,
and each author sees what they wrote). A customer id outside the caller's scope answers 404 on create,
like an id that does not exist, so ids never leak. Photos come as multipart ``photos`` files.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404, StreamingHttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from salesops.accounts.requests import AuthedRequest
from salesops.core.api import ScopedModelViewSet
from salesops.core.drf import JSONParser
from salesops.core.fields import IdField, KnownFieldsOnly, StrictDateField, StrictDateTimeField, version_required
from salesops.core.filters import MAX_ID
from salesops.customers.excel.api import EXPORT_SCHEMA, IMPORT_SCHEMA, JsonFirst, export_response, import_response
from salesops.customers.models import Contact, Customer
from salesops.followups import excel, services
from salesops.followups.filters import FollowUpFilterSet
from salesops.followups.models import Channel, FollowUp


class FollowUpSerializer(serializers.ModelSerializer[FollowUp]):
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    author_name = serializers.CharField(source="author.display_name", read_only=True)
    photos = serializers.SerializerMethodField()

    class Meta:
        model = FollowUp
        fields = [
            "id", "customer", "customer_name", "author", "author_name", "contact", "contacted_at", "channel",
            "key_points", "feedback", "next_step", "next_followup_at", "is_survey", "late", "logged_at",
            "checkin_latitude", "checkin_longitude", "checkin_distance_m", "photos", "version",
        ]
        read_only_fields = fields

    def get_photos(self, followup: FollowUp) -> list[str]:
        """Addresses that serve each photo to those who see the record (R1), never a public file URL."""
        return [reverse("visit-photo", args=[photo.pk]) for photo in followup.photos.all()]


class FollowUpCreateSerializer(serializers.Serializer[Any]):
    customer = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    contacted_at = StrictDateTimeField()
    channel = serializers.ChoiceField(choices=Channel.choices)
    key_points = serializers.CharField(max_length=5000)
    feedback = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    next_step = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    next_followup_at = StrictDateField(required=False, allow_null=True, default=None)
    is_survey = serializers.BooleanField(required=False, default=False)
    contact = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, allow_null=True, default=None)
    checkin_latitude = serializers.DecimalField(
        max_digits=12, decimal_places=8, required=False, allow_null=True, default=None
    )
    checkin_longitude = serializers.DecimalField(
        max_digits=12, decimal_places=8, required=False, allow_null=True, default=None
    )
    photos = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class FollowUpUpdateSerializer(KnownFieldsOnly, serializers.Serializer[Any]):
    version = IdField(required=False, help_text=gettext_lazy(
        "The version read; refused (409 stale) when the record was changed since."))
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)
    key_points = serializers.CharField(max_length=5000, required=False)
    feedback = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    next_step = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    next_followup_at = StrictDateField(required=False, allow_null=True)
    is_survey = serializers.BooleanField(required=False)
    contact = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, allow_null=True)


def _contact_of(customer_id: int, contact_id: int | None) -> Contact | None:
    if contact_id is None:
        return None
    contact = Contact.objects.filter(pk=contact_id, customer_id=customer_id, is_active=True).first()
    if contact is None:
        raise ValidationError({"contact": [_("This contact does not belong to the customer.")]})
    return contact


class FollowUpViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    ScopedModelViewSet,
):
    """Follow-up records in the caller's scope (R1); create logs one (R11) and moves the cadence (R10)."""

    model = FollowUp
    serializer_class = FollowUpSerializer
    filterset_class = FollowUpFilterSet
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def base_queryset(self) -> QuerySet[FollowUp]:
        return (
            FollowUp.objects.filter(is_active=True)
            .select_related("customer", "author")
            .prefetch_related("photos")
            .order_by("-contacted_at", "-id")
        )

    def _with_relations(self, pk: int) -> FollowUp:
        return self.base_queryset().get(pk=pk)

    @extend_schema(request=FollowUpCreateSerializer, responses={201: FollowUpSerializer})
    def create(self, request: AuthedRequest) -> Response:
        data = FollowUpCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        customer = Customer.objects.visible_to(request.user).filter(pk=fields.pop("customer")).first()
        if customer is None:
            raise Http404(_("No such customer."))
        fields["contact"] = _contact_of(customer.pk, fields["contact"])
        followup = services.followup_create(by=request.user, customer=customer, **fields)
        return Response(FollowUpSerializer(self._with_relations(followup.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=FollowUpUpdateSerializer, responses=FollowUpSerializer)
    def partial_update(self, request: AuthedRequest, pk: str | None = None) -> Response:
        followup = self.get_object()
        data = FollowUpUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        if "contact" in fields:
            fields["contact"] = _contact_of(followup.customer_id, fields["contact"])
        version = version_required(fields)
        services.followup_update(followup=followup, by=request.user, version=version, **fields)
        return Response(FollowUpSerializer(self._with_relations(followup.pk)).data)

    @extend_schema(operation_id="followups_import_create", **IMPORT_SCHEMA)
    @action(
        detail=False, methods=["post"], url_path="import", url_name="import", parser_classes=[MultiPartParser],
        content_negotiation_class=JsonFirst,
    )
    def import_sheet(self, request: Request) -> Response:
        """Check or import the follow-up sheet 客户跟进记录表 (R11, R26)."""
        return import_response(request, excel.followups_import)

    @extend_schema(operation_id="followups_export_retrieve", **EXPORT_SCHEMA)
    @action(detail=False, methods=["get"], content_negotiation_class=JsonFirst)
    def export(self, request: Request) -> StreamingHttpResponse:
        """The follow-up records the caller sees, with the list's filters, as the 客户跟进记录表 (R11, R26)."""
        return export_response(request, excel.followups_export, excel.file_name)

    def destroy(self, request: AuthedRequest, pk: str | None = None) -> Response:
        services.followup_delete(followup=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
