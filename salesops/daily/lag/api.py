"""R19 over the API: ``/api/lag-talks/`` ``{alert, cause, remedy, note, status}`` (API.md) records the lead's
talk on an alert (``closed`` closes it; ``open`` keeps it followed up), and ``/api/lag-alerts/`` lists the
alerts the caller sees (filters ``team``, ``status``) with their talks. Rows go with the rep (R1)."""

from __future__ import annotations

from typing import Any, cast

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.response import Response

from salesops.accounts.requests import AuthedRequest
from salesops.core.api import ScopedModelViewSet
from salesops.core.errors import NotFound
from salesops.core.fields import IdField, KnownFieldsOnly
from salesops.core.filters import FilterSet, IdFilter
from salesops.daily.lag import services
from salesops.daily.lag.models import AlertStatus, LagAlert, LagCause, LagRemedy, LagTalk


class LagTalkSerializer(serializers.ModelSerializer[LagTalk]):
    by_name = serializers.CharField(source="by.display_name", read_only=True)

    class Meta:
        model = LagTalk
        fields = ["id", "alert", "cause", "remedy", "note", "status", "by", "by_name", "at"]
        read_only_fields = fields


class LagAlertSerializer(serializers.ModelSerializer[LagAlert]):
    subject_name = serializers.CharField(source="subject_user.display_name", read_only=True)
    talks = LagTalkSerializer(many=True, read_only=True)

    class Meta:
        model = LagAlert
        fields = ["id", "subject_user", "subject_name", "team", "started_on", "last_day", "days", "ended_on",
                  "status", "lead_told_at", "closed_at", "talks"]
        read_only_fields = fields


class LagTalkCreateSerializer(KnownFieldsOnly, serializers.Serializer[Any]):
    alert = IdField()
    cause = serializers.ChoiceField(choices=LagCause.choices)
    remedy = serializers.ChoiceField(choices=LagRemedy.choices)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    status = serializers.ChoiceField(choices=AlertStatus.choices, required=False, default=AlertStatus.OPEN)


class LagAlertFilterSet(FilterSet):
    team = IdFilter(field_name="team_id")
    status = django_filters.ChoiceFilter(choices=AlertStatus.choices)

    class Meta:
        model = LagAlert
        fields = ["team", "status"]


class LagAlertViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedModelViewSet):
    """The lag alerts the caller sees (R1: with their rep), latest streak first, with their talks."""

    model = LagAlert
    serializer_class = LagAlertSerializer
    filterset_class = LagAlertFilterSet

    def base_queryset(self) -> QuerySet[LagAlert]:
        return LagAlert.objects.select_related("subject_user").prefetch_related("talks__by").order_by(
            "-last_day", "id")


class LagTalkViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedModelViewSet):
    """The talks on the alerts the caller sees; POST records one (the rep's lead, director or an admin)."""

    model = LagTalk
    serializer_class = LagTalkSerializer

    def base_queryset(self) -> QuerySet[LagTalk]:
        return LagTalk.objects.select_related("by").order_by("-at", "-id")

    @extend_schema(request=LagTalkCreateSerializer, responses={201: LagTalkSerializer})
    def create(self, request: AuthedRequest) -> Response:
        data = LagTalkCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        user = cast(AuthedRequest, request).user
        alert = LagAlert.objects.visible_to(user).filter(pk=fields.pop("alert")).first()
        if alert is None:
            raise NotFound(_("No such alert."))
        talk = services.lag_talk_record(by=user, alert=alert, **fields)
        return Response(LagTalkSerializer(talk).data, status=status.HTTP_201_CREATED)
