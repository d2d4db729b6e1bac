"""API for R17 daily summaries: /api/daily-summaries/ ``{user, date, done, not_done: [{item, reason}],
tomorrow}`` (API.md) plus the structured ``done_items``, and ``prefill/`` (the day's done items as the
data says them). Rows are read through ``DailySummary.objects.visible_to`` (R1: the writer, whoever manages
them, an admin); anything else answers 404. A second summary of a day is 409 ``duplicate``, a day to come
400, an edit with a stale version 409 ``stale``."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from salesops.accounts.requests import AuthedRequest
from salesops.core.api import ScopedModelViewSet
from salesops.core.clock import local_today
from salesops.core.errors import PermissionDenied
from salesops.core.fields import (
    IdField,
    KnownFieldsOnly,
    StrictCharField,
    StrictDateField,
    date_message,
    parse_date_text,
    version_required,
)
from salesops.daily.summaries import selectors, services
from salesops.daily.summaries.filters import SummaryFilterSet
from salesops.daily.summaries.models import DailySummary, DoneKind

VERSION_HELP = gettext_lazy("The version read; refused (409 stale) when the summary was changed since.")


class NotDoneSerializer(KnownFieldsOnly, serializers.Serializer[Any]):
    item = StrictCharField(max_length=services.ITEM_MAX, help_text=gettext_lazy("What was not done."))
    reason = StrictCharField(max_length=services.REASON_MAX, help_text=gettext_lazy("Why (R17)."))


class DoneItemSerializer(KnownFieldsOnly, serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=DoneKind.choices)
    ref = IdField(allow_null=True, required=False, default=None,
                  help_text=gettext_lazy("The follow-up, task or deal the item came from; null when typed."))
    text = StrictCharField(max_length=services.ITEM_MAX)


class DailySummarySerializer(serializers.ModelSerializer[DailySummary]):
    user_name = serializers.CharField(source="user.display_name", read_only=True)
    done_items = DoneItemSerializer(many=True, read_only=True)
    not_done = NotDoneSerializer(many=True, read_only=True)

    class Meta:
        model = DailySummary
        fields = ["id", "user", "user_name", "team", "date", "done", "done_items", "not_done", "tomorrow",
                  "submitted_at", "late", "version"]
        read_only_fields = fields


class SummaryCreateSerializer(KnownFieldsOnly, serializers.Serializer[Any]):
    user = IdField(required=False, help_text=gettext_lazy("Oneself (a summary is written by its person)."))
    date = StrictDateField(help_text=gettext_lazy("The day summed up: today or a recent day, never one to come."))
    done = StrictCharField(max_length=services.TEXT_MAX, required=False, allow_blank=True, default="")
    done_items = serializers.ListField(child=DoneItemSerializer(), required=False, default=list,
                                       max_length=services.MAX_ITEMS * 4)
    not_done = serializers.ListField(child=NotDoneSerializer(), required=False, default=list,
                                     max_length=services.MAX_ITEMS)
    tomorrow = StrictCharField(max_length=services.TEXT_MAX, required=False, allow_blank=True, default="")


class SummaryUpdateSerializer(KnownFieldsOnly, serializers.Serializer[Any]):
    version = IdField(required=False, help_text=VERSION_HELP)
    done = StrictCharField(max_length=services.TEXT_MAX, required=False, allow_blank=True)
    done_items = serializers.ListField(child=DoneItemSerializer(), required=False, max_length=services.MAX_ITEMS * 4)
    not_done = serializers.ListField(child=NotDoneSerializer(), required=False, max_length=services.MAX_ITEMS)
    tomorrow = StrictCharField(max_length=services.TEXT_MAX, required=False, allow_blank=True)


class PrefillSerializer(serializers.Serializer[Any]):
    date = serializers.DateField()
    done_items = DoneItemSerializer(many=True)
    due_at = serializers.DateTimeField(help_text=gettext_lazy("When the summary of the day is due (R17)."))
    summary = serializers.IntegerField(allow_null=True, help_text=gettext_lazy("The day's summary if written."))


def _plain(data: dict[str, Any]) -> dict[str, Any]:
    """Validated nested items as plain dicts for the service."""
    for name in ("done_items", "not_done"):
        if name in data:
            data[name] = [dict(item) for item in data[name]]
    return data


class DailySummaryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedModelViewSet):
    """R17 daily summaries in the caller's scope: submit one's own, correct it with its version."""

    model = DailySummary
    serializer_class = DailySummarySerializer
    filterset_class = SummaryFilterSet

    def base_queryset(self) -> QuerySet[DailySummary]:
        return DailySummary.objects.filter(is_active=True).select_related("user").order_by("-date", "user_id")

    def _answer(self, summary: DailySummary, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.base_queryset().get(pk=summary.pk)
        return Response(DailySummarySerializer(fresh).data, status=code)

    @extend_schema(request=SummaryCreateSerializer, responses={201: DailySummarySerializer})
    def create(self, request: AuthedRequest) -> Response:
        data = SummaryCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = _plain(dict(data.validated_data))
        user = fields.pop("user", None)
        if user is not None and user != request.user.pk:
            raise PermissionDenied(_("A summary is written by its own person."))
        summary = services.summary_submit(by=request.user, day=fields.pop("date"), **fields)
        return self._answer(summary, status.HTTP_201_CREATED)

    @extend_schema(request=SummaryUpdateSerializer, responses=DailySummarySerializer)
    def partial_update(self, request: AuthedRequest, pk: str | None = None) -> Response:
        summary = self.get_object()
        data = SummaryUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = _plain(dict(data.validated_data))
        version = version_required(fields)
        services.summary_update(by=request.user, summary=summary, version=version, **fields)
        return self._answer(summary)

    @extend_schema(
        parameters=[OpenApiParameter("date", str, description=gettext_lazy("YYYY-MM-DD; today when left out"))],
        responses=PrefillSerializer,
    )
    @action(detail=False, methods=["get"])
    def prefill(self, request: AuthedRequest) -> Response:
        """R17: the caller's done items of a day, pre-filled from their follow-ups, visits, tasks and deals."""
        text = request.query_params.get("date")
        day = local_today() if text is None else parse_date_text(text)
        if day is None:
            raise serializers.ValidationError({"date": [date_message()]})
        written = selectors.summary_of(user=request.user, day=day)
        return Response({
            "date": day.isoformat(),
            "done_items": [item.as_json() for item in selectors.done_items_of(user=request.user, day=day)],
            "due_at": serializers.DateTimeField().to_representation(selectors.due_at(day)),
            "summary": written.pk if written is not None else None,
        })
