"""Ownership API (R15): ``POST /api/customers/{id}/claim/``, ``.../release/`` ``{reason}``,
``POST /api/customers/transfer/`` ``{customers, to_user, reason}`` and ``POST /api/users/{id}/reassign/``
``{to_user}``. Customers and people are looked up within the caller's scope only (R1): anything else is a
404, and a transfer with any id outside it moves nothing."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from salesops.accounts.models import User
from salesops.accounts.requests import AuthedRequest
from salesops.core.api import ScopedModelViewSet
from salesops.core.drf import JSONParser
from salesops.core.errors import NotFound
from salesops.core.fields import IdField
from salesops.core.schema import error_responses
from salesops.customers.models import Customer
from salesops.customers.pool import services

#: The 409 cases of the ownership endpoints (API.md "Errors").
CONFLICTS = {
    409: "Lost race or stale state: already_claimed, already_yours, claim_cap_reached, already_in_pool, "
    "already_owned.",
}
ROLE_MAY_NOT = {403: "The caller's role may not do this."}


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


class TransferSerializer(serializers.Serializer[Any]):
    customers = serializers.ListField(
        child=IdField(), min_length=1, max_length=services.TRANSFER_MAX, help_text=gettext_lazy("Customer ids.")
    )
    to_user = IdField(help_text=gettext_lazy("The new owner: an active rep or lead of the caller's teams."))
    reason = serializers.CharField(max_length=services.REASON_MAX)


class ReassignSerializer(serializers.Serializer[Any]):
    to_user = IdField(help_text=gettext_lazy("The new owner: an active rep or lead of the caller's teams."))


def _person_in_scope(user: User, pk: int, field: str) -> User:
    """A person in the caller's scope, else a 400 field error (the body names them, not the path)."""
    person = User.objects.visible_to(user).filter(pk=pk).first()
    if person is None:
        raise serializers.ValidationError({field: [_("No such person in your teams.")]})
    return person


class CustomerOwnershipViewSet(ScopedModelViewSet):
    """Who owns a customer (R15): ``claim`` from the public pool (monthly cap; of two claims at once one
    wins), ``release`` to it with a reason, ``transfer`` many to another rep or lead (all or nothing)."""

    model = Customer
    parser_classes = [JSONParser]
    pagination_class = None  # ``transfer`` answers with the customers it moved, all of them

    def base_queryset(self) -> QuerySet[Customer]:
        return Customer.objects.filter(is_active=True)

    @extend_schema(
        operation_id="customers_claim", request=None,
        responses={200: PoolCustomerSerializer, **error_responses(CONFLICTS)},
    )
    @action(detail=True, methods=["post"])
    def claim(self, request: AuthedRequest, pk: str) -> Response:
        """Claim a customer from the public pool (R15, monthly cap; of two claims at once one wins and the
        others get 409 ``already_claimed``, also when they ask after the winner)."""
        customer = services.claim_target(pk=int(pk), by=request.user)
        claimed = services.customer_claim(customer=customer, by=request.user)
        return Response(PoolCustomerSerializer(claimed).data)

    @extend_schema(
        operation_id="customers_release", request=ReleaseSerializer,
        responses={200: PoolCustomerSerializer, **error_responses(CONFLICTS)},
    )
    @action(detail=True, methods=["post"])
    def release(self, request: AuthedRequest, pk: str) -> Response:
        """Return a customer to the public pool with a reason (owner, their lead or director, admin)."""
        customer = self.get_object()
        data = ReleaseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        released = services.customer_release(customer=customer, by=request.user, reason=data.validated_data["reason"])
        return Response(PoolCustomerSerializer(released).data)

    @extend_schema(
        operation_id="customers_transfer", request=TransferSerializer,
        responses={200: PoolCustomerSerializer(many=True), **error_responses(CONFLICTS)},
    )
    @action(detail=False, methods=["post"])
    def transfer(self, request: AuthedRequest) -> Response:
        """Give customers to another rep or lead (lead: own team; director: their teams; admin: all). All or
        nothing."""
        by = request.user
        services.check_may_move(by)
        data = TransferSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ids = set(data.validated_data["customers"])
        customers = list(self.get_queryset().filter(pk__in=ids))
        if len(customers) != len(ids):
            raise NotFound(_("Some of these customers are not in your scope."))
        to_user = _person_in_scope(by, data.validated_data["to_user"], "to_user")
        reason = data.validated_data["reason"]
        moved = services.customer_transfer(customers=customers, to_user=to_user, by=by, reason=reason)
        return Response(PoolCustomerSerializer(moved, many=True).data)


class PersonReassignViewSet(ScopedModelViewSet):
    """``reassign``: all active customers of a person who leaves go to another rep or lead (R15)."""

    model = User
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="users_reassign", request=ReassignSerializer,
        responses={
            200: inline_serializer("ReassignOutcome", {"moved": serializers.IntegerField()}),
            **error_responses(ROLE_MAY_NOT),
        },
    )
    @action(detail=True, methods=["post"])
    def reassign(self, request: AuthedRequest, pk: str) -> Response:
        """Move all active customers of a person who leaves to another rep or lead (lead, director, admin)."""
        by = request.user
        services.check_may_move(by)
        from_user = self.get_object()
        data = ReassignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        to_user = _person_in_scope(by, data.validated_data["to_user"], "to_user")
        moved = services.customers_reassign_all(from_user=from_user, to_user=to_user, by=by)
        return Response({"moved": moved})
