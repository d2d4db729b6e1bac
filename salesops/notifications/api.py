"""The caller's inbox: ``GET /api/notifications/`` (``?unread=true``), ``POST /api/notifications/{id}/read/``
and ``POST /api/notifications/read-all/``. Only the caller's own notifications exist here (R1): any other
id answers 404."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from salesops.accounts.requests import AuthedRequest
from salesops.core.api import ScopedModelViewSet
from salesops.core.filters import FilterSet
from salesops.core.schema import error_responses
from salesops.notifications import selectors, services
from salesops.notifications.models import Notification


class LinkSerializer(serializers.Serializer[Any]):
    text = serializers.CharField(read_only=True)
    url = serializers.CharField(read_only=True)


class NotificationSerializer(serializers.ModelSerializer[Notification]):
    is_read = serializers.BooleanField(read_only=True, help_text=_("Whether it has been read."))
    links = LinkSerializer(many=True, read_only=True, help_text=_("What the notification names, with its page."))

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "links", "created_at", "read_at", "is_read"]
        read_only_fields = fields


class NotificationFilterSet(FilterSet):
    unread = filters.ChoiceFilter(
        choices=[("true", "true"), ("false", "false")],
        method="filter_unread",
        label=_("Only unread ones (true) or only read ones (false)."),
    )

    class Meta:
        model = Notification
        fields: list[str] = []

    def filter_unread(self, queryset: QuerySet[Notification], name: str, value: str) -> QuerySet[Notification]:
        return queryset.filter(read_at__isnull=value == "true")


class NotificationViewSet(mixins.ListModelMixin, ScopedModelViewSet):
    """The caller's notifications, newest first; ``read`` marks one read, ``read-all`` all of them."""

    model = Notification
    serializer_class = NotificationSerializer
    filterset_class = NotificationFilterSet

    def get_queryset(self) -> QuerySet[Notification]:
        return selectors.inbox(user=self.request.user)

    @extend_schema(
        operation_id="notifications_list",
        responses={200: NotificationSerializer(many=True), **error_responses({400: "Bad filter value."})},
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        operation_id="notifications_read",
        request=None,
        responses={200: NotificationSerializer, **error_responses({404: "Not the caller's."})},
    )
    @action(detail=True, methods=["post"])
    def read(self, request: AuthedRequest, pk: str) -> Response:
        """Mark one of the caller's notifications read (again: no change)."""
        notification = self.get_object()
        services.notification_mark_read(notification=notification, by=request.user)
        return Response(NotificationSerializer(notification).data)

    @extend_schema(
        operation_id="notifications_read_all",
        request=None,
        responses={200: inline_serializer("NotificationsReadAll", {"marked": serializers.IntegerField()})},
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: AuthedRequest) -> Response:
        """Mark all the caller's notifications read; says how many were unread."""
        return Response({"marked": services.notifications_mark_all_read(by=request.user)})
