"""Ownership API (R15): ``POST /api/customers/{id}/claim/``, ``.../release/`` ``{reason}``,
``POST /api/customers/transfer/`` ``{customers, to_user, reason}`` and ``POST /api/users/{id}/reassign/``
``{to_user}``. Customers and people are looked up within the caller's scope only (R1): anything else is a
404, and a transfer with any id outside it moves nothing."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from salesops.accounts.models import User
from salesops.core.filters import MAX_ID
from salesops.core.schema import ERROR_SCHEMA
from salesops.customers.models import Customer
from salesops.customers.pool import services

ERRORS = {
    400: "Bad input; field messages in error.fields.",
    401: "Not logged in.",
    403: "The caller's role may not do this.",
    404: "Outside the caller's data scope (R1).",
    409: "Lost race or stale state: already_claimed, already_yours, claim_cap_reached, already_in_pool, "
    "already_owned.",
}


def _errors(*codes: int) -> dict[int, OpenApiResponse]:
    return {code: OpenApiResponse(ERROR_SCHEMA, description=ERRORS[code]) for code in codes}


class PoolCustomerSerializer(serializers.ModelSerializer[Customer]):
    """A customer after a change of owner: who owns it now and when it is next due (R10)."""

    class Meta:
        model = Customer
        fields = ["id", "name", "grade", "industry", "owner", "pooled_at", "next_due_at"]
        read_only_fields = fields


class ReleaseSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(
        max_length=services.REASON_MAX, help_text=gettext_lazy("Why it goes back to the pool.")
    )


class IdField(serializers.IntegerField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_value=1, max_value=MAX_ID, **kwargs)


class TransferSerializer(serializers.Serializer[Any]):
    customers = serializers.ListField(
        child=IdField(), min_length=1, max_length=services.BATCH_SIZE, help_text=gettext_lazy("Customer ids.")
    )
    to_user = IdField(help_text=gettext_lazy("The new owner: an active rep or lead of the caller's teams."))
    reason = serializers.CharField(max_length=services.REASON_MAX)


class ReassignSerializer(serializers.Serializer[Any]):
    to_user = IdField(help_text=gettext_lazy("The new owner: an active rep or lead of the caller's teams."))


def _customers(user: Any) -> QuerySet[Customer]:
    return Customer.objects.visible_to(user).filter(is_active=True)


def _person(user: Any, pk: int, field: str) -> User:
    """A person in the caller's scope, else a 400 field error (the body names them, not the path)."""
    person = User.objects.visible_to(user).filter(pk=pk).first()
    if person is None:
        raise serializers.ValidationError({field: [_("No such person in your teams.")]})
    return cast(User, person)


class ClaimView(APIView):
    """Claim a customer from the public pool (R15, monthly cap; of two claims at once one wins)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="customers_claim", request=None,
        responses={200: PoolCustomerSerializer, **_errors(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        customer = get_object_or_404(_customers(request.user), pk=pk)
        claimed = services.customer_claim(customer=customer, by=cast(User, request.user))
        return Response(PoolCustomerSerializer(claimed).data)


class ReleaseView(APIView):
    """Return a customer to the public pool with a reason (owner, their lead or director, admin)."""

    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="customers_release", request=ReleaseSerializer,
        responses={200: PoolCustomerSerializer, **_errors(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        customer = get_object_or_404(_customers(request.user), pk=pk)
        data = ReleaseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        released = services.customer_release(
            customer=customer, by=cast(User, request.user), reason=data.validated_data["reason"]
        )
        return Response(PoolCustomerSerializer(released).data)


class TransferView(APIView):
    """Give customers to another rep or lead (lead: own team; director: their teams; admin: all). All or nothing."""

    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="customers_transfer", request=TransferSerializer,
        responses={200: PoolCustomerSerializer(many=True), **_errors(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request) -> Response:
        by = cast(User, request.user)
        services.check_may_move(by)
        data = TransferSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ids = set(data.validated_data["customers"])
        customers = list(_customers(by).filter(pk__in=ids))
        if len(customers) != len(ids):
            raise Http404
        to_user = _person(by, data.validated_data["to_user"], "to_user")
        moved = services.customer_transfer(
            customers=customers, to_user=to_user, by=by, reason=data.validated_data["reason"]
        )
        return Response(PoolCustomerSerializer(moved, many=True).data)


class ReassignView(APIView):
    """Move all active customers of a person who leaves to another rep or lead (lead, director, admin)."""

    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="users_reassign", request=ReassignSerializer,
        responses={
            200: inline_serializer("ReassignOutcome", {"moved": serializers.IntegerField()}),
            **_errors(400, 401, 403, 404),
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        by = cast(User, request.user)
        services.check_may_move(by)
        from_user = get_object_or_404(User.objects.visible_to(by), pk=pk)
        data = ReassignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        to_user = _person(by, data.validated_data["to_user"], "to_user")
        moved = services.customers_reassign_all(from_user=from_user, to_user=to_user, by=by)
        return Response({"moved": moved})


api_urlpatterns = [
    path("customers/transfer/", TransferView.as_view(), name="api-customers-transfer"),
    path("customers/<int:pk>/claim/", ClaimView.as_view(), name="api-customer-claim"),
    path("customers/<int:pk>/release/", ReleaseView.as_view(), name="api-customer-release"),
    path("users/<int:pk>/reassign/", ReassignView.as_view(), name="api-user-reassign"),
]
