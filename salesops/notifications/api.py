"""The caller's inbox: ``GET /api/notifications/`` (``?unread=true``), ``POST /api/notifications/{id}/read/``
and ``POST /api/notifications/read-all/``. Only the caller's own notifications exist here (R1): any other
id answers 404."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from salesops.accounts.models import User
from salesops.core.schema import ERROR_SCHEMA
from salesops.notifications import selectors, services
from salesops.notifications.models import Notification


def _errors(**described: str) -> dict[int, OpenApiResponse]:
    return {int(code[1:]): OpenApiResponse(ERROR_SCHEMA, description=text) for code, text in described.items()}


class NotificationSerializer(serializers.ModelSerializer[Notification]):
    is_read = serializers.BooleanField(read_only=True, help_text=_("Whether it has been read."))

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "created_at", "read_at", "is_read"]
        read_only_fields = fields


class NotificationFilterSet(filters.FilterSet):
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


class NotificationListView(generics.ListAPIView):  # type: ignore[type-arg]
    """The caller's notifications, newest first."""

    serializer_class = NotificationSerializer
    filterset_class = NotificationFilterSet
    permission_classes = [IsAuthenticated]

    def get_queryset(self) -> QuerySet[Notification]:
        return selectors.inbox(user=self.request.user)

    @extend_schema(
        operation_id="notifications_list",
        responses={
            200: NotificationSerializer(many=True), **_errors(e400="Bad filter value.", e401="Not logged in.")
        },
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class NotificationReadView(APIView):
    """Mark one of the caller's notifications read (again: no change)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="notifications_read",
        request=None,
        responses={200: NotificationSerializer, **_errors(e401="Not logged in.", e404="Not the caller's.")},
    )
    def post(self, request: Request, pk: int) -> Response:
        notification = get_object_or_404(Notification.objects.visible_to(request.user), pk=pk)
        services.notification_mark_read(notification=notification, by=cast(User, request.user))
        return Response(NotificationSerializer(notification).data)


class NotificationReadAllView(APIView):
    """Mark all the caller's notifications read; says how many were unread."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="notifications_read_all",
        request=None,
        responses={
            200: inline_serializer("NotificationsReadAll", {"marked": serializers.IntegerField()}),
            **_errors(e401="Not logged in."),
        },
    )
    def post(self, request: Request) -> Response:
        return Response({"marked": services.notifications_mark_all_read(by=cast(User, request.user))})


api_urlpatterns = [
    path("notifications/", NotificationListView.as_view(), name="api-notifications"),
    path("notifications/read-all/", NotificationReadAllView.as_view(), name="api-notifications-read-all"),
    path("notifications/<int:pk>/read/", NotificationReadView.as_view(), name="api-notification-read"),
]
