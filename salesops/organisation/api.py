"""API for the organisation: rule settings (every number of DOMAIN.md) and the working calendar (R2).

Paths (under /api/): ``settings/rules/``, ``calendar/``, ``calendar/days/``, ``calendar/days/{date}/``,
``calendar/workdays/``, ``calendar/next-workday/``. Everyone logged in reads; only an admin writes.
Bodies are JSON, typed strictly (``core.fields``: a number is not a string and the reverse), so what the
OpenAPI schema calls invalid is refused with 400.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from salesops.accounts.requests import AuthedRequest
from salesops.core.drf import JSONParser
from salesops.core.fields import (
    DATE_SCHEMA,
    VERSION_HELP,
    HourMinuteField,
    IdField,
    StrictCharField,
    StrictChoiceField,
    StrictDateField,
    StrictIntegerField,
    date_message,
    parse_date_text,
    version_required,
)
from salesops.core.schema import error_responses
from salesops.organisation import selectors, services
from salesops.organisation.models import CalendarDay, RuleSettings
from salesops.organisation.workcal import Reason, makeup_days_published, month_bounds

MAX_RANGE_DAYS = 366 * 5


NOT_JSON = {415: "The body is not JSON."}


# --- serializers ----------------------------------------------------------------------------------------


class RuleSettingsSerializer(serializers.ModelSerializer[RuleSettings]):
    """Every rule setting (R2-R23); times as "HH:MM"; ``summary_due_at`` is derived (R17)."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.PositiveSmallIntegerField: StrictIntegerField,
        models.TimeField: HourMinuteField,
    }
    serializer_choice_field = StrictChoiceField
    summary_due_at = HourMinuteField(read_only=True, help_text="R17: when the daily summary is due.")
    version = IdField(required=False, help_text=VERSION_HELP)

    class Meta:
        model = RuleSettings
        fields = [*services.RULE_SETTING_FIELDS, "summary_due_at", "updated_at", "version"]
        read_only_fields = ["updated_at"]


@extend_schema_field({"type": "string", "enum": [reason.value for reason in Reason]})
class ReasonField(serializers.CharField):
    """The reason code of a day (inline enum: the word ``reason`` is common in other apps' schemas)."""


@extend_schema_field({"type": "string", "enum": list(CalendarDay.Kind.values)})
class KindField(StrictChoiceField):
    """``day_off`` or ``workday`` (inline enum, as ``kind`` is a common word elsewhere)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=CalendarDay.Kind.choices, **kwargs)


class WorkCalendarDaySerializer(serializers.Serializer[Any]):
    date = serializers.DateField()
    is_workday = serializers.BooleanField()
    reason = ReasonField()
    name = serializers.CharField(help_text="Holiday name in the caller's language, or the company's note.")


class WorkCalendarSerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField()
    month = serializers.IntegerField(allow_null=True)
    workdays = serializers.IntegerField(help_text="Working days among the listed days.")
    makeup_days_published = serializers.BooleanField(
        help_text="Whether the year's make-up working days are published; if not, only statutory holidays apply."
    )
    days = WorkCalendarDaySerializer(many=True)


class CalendarQuerySerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField(min_value=1900, max_value=2100)
    month = serializers.IntegerField(min_value=1, max_value=12, required=False)


class CalendarDaySerializer(serializers.ModelSerializer[CalendarDay]):
    kind = KindField(read_only=True)

    class Meta:
        model = CalendarDay
        fields = ["date", "kind", "note"]


class CalendarDayInputSerializer(serializers.Serializer[Any]):
    date = StrictDateField()
    kind = KindField()
    note = StrictCharField(max_length=services.NOTE_MAX_LENGTH, allow_blank=True, required=False, default="")


class WorkdaysSerializer(serializers.Serializer[Any]):
    start = serializers.DateField()
    end = serializers.DateField()
    workdays = serializers.IntegerField()


class NextWorkdaySerializer(serializers.Serializer[Any]):
    date = serializers.DateField()
    n = serializers.IntegerField()
    workday = serializers.DateField()


def _query_date(request: Request, name: str) -> dt.date:
    if name not in request.query_params:
        raise serializers.ValidationError({name: [_("This parameter is required.")]})
    day = parse_date_text(request.query_params[name])
    if day is None:
        raise serializers.ValidationError({name: [date_message()]})
    return day


def _query_int(request: Request, name: str, default: int, low: int, high: int) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    if not re.fullmatch(r"[+-]?[0-9]{1,6}", raw) or not low <= int(raw) <= high:
        raise serializers.ValidationError(
            {name: [_("Enter a whole number from %(low)s to %(high)s.") % {"low": low, "high": high}]}
        )
    return int(raw)


def _date_param(name: str, description: str, required: bool = True) -> OpenApiParameter:
    return OpenApiParameter(
        name, type=DATE_SCHEMA, location=OpenApiParameter.QUERY, required=required, description=description
    )


# --- views ----------------------------------------------------------------------------------------------


class RuleSettingsViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """The rule settings: everyone logged in reads them (they are the team's rules), an admin changes them."""

    singleton = True
    parser_classes = [JSONParser]
    serializer_class = RuleSettingsSerializer

    @extend_schema(operation_id="rule_settings_retrieve")
    def retrieve(self, request: Request) -> Response:
        """Every rule setting (R2-R23)."""
        return Response(RuleSettingsSerializer(selectors.rule_settings()).data)

    @extend_schema(
        responses={200: RuleSettingsSerializer, **error_responses(NOT_JSON)},
        operation_id="rule_settings_partial_update",
    )
    def partial_update(self, request: AuthedRequest) -> Response:
        """An admin changes some of them at once, or none (R2-R23)."""
        if not request.user.has_perm("organisation.manage_settings"):
            raise PermissionDenied(_("Only an admin may change the rule settings."))
        serializer = RuleSettingsSerializer(selectors.rule_settings(), data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = version_required(data)
        settings = services.rule_settings_update(by=request.user, version=version, **data)
        return Response(RuleSettingsSerializer(settings).data)


class WorkCalendarViewSet(viewsets.ViewSet):
    """The working calendar (R2): a year or month day by day with the reason, the working days between two
    dates, and the n-th working day after one."""

    singleton = True

    @extend_schema(
        parameters=[
            OpenApiParameter("year", {"type": "integer", "minimum": 1900, "maximum": 2100}, required=True),
            OpenApiParameter(
                "month", {"type": "integer", "minimum": 1, "maximum": 12}, required=False,
                description="1-12; the whole year without it.",
            ),
        ],
        responses=WorkCalendarSerializer,
        operation_id="calendar_retrieve",
    )
    def retrieve(self, request: Request) -> Response:
        """A year or month of the working calendar, day by day with the reason (R2)."""
        query = CalendarQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        year: int = query.validated_data["year"]
        month: int | None = query.validated_data.get("month")
        cal = selectors.work_calendar()
        start, end = month_bounds(year, month) if month else (dt.date(year, 1, 1), dt.date(year, 12, 31))
        with translation.override(getattr(request.user, "language", None) or translation.get_language()):
            days = [cal.info(day) for day in cal.days(start, end)]
            body = {
                "year": year,
                "month": month,
                "workdays": sum(1 for day in days if day.is_workday),
                "makeup_days_published": makeup_days_published(year),
                "days": WorkCalendarDaySerializer(days, many=True).data,
            }
        return Response(body)

    @extend_schema(
        parameters=[_date_param("start", "First day, included."), _date_param("end", "Last day, included.")],
        responses=WorkdaysSerializer,
        operation_id="calendar_workdays",
    )
    @action(detail=True, methods=["get"])
    def workdays(self, request: Request) -> Response:
        """How many working days lie between two dates, both included (at most five years apart)."""
        start, end = _query_date(request, "start"), _query_date(request, "end")
        if end < start:
            raise serializers.ValidationError({"end": [_("The end must not be before the start.")]})
        if (end - start).days >= MAX_RANGE_DAYS:
            raise serializers.ValidationError(
                {"end": [_("Ask for at most %(days)s days at once.") % {"days": MAX_RANGE_DAYS}]}
            )
        count = selectors.work_calendar().workdays_between(start, end)
        return Response({"start": start, "end": end, "workdays": count})

    @extend_schema(
        parameters=[
            _date_param("date", "The day to count from (not counted itself)."),
            OpenApiParameter(
                "n", {"type": "integer", "minimum": -MAX_RANGE_DAYS, "maximum": MAX_RANGE_DAYS, "default": 1},
                required=False, description="How many working days to move; 1 by default.",
            ),
        ],
        responses=NextWorkdaySerializer,
        operation_id="calendar_next_workday",
    )
    @action(detail=True, methods=["get"], url_path="next-workday")
    def next_workday(self, request: Request) -> Response:
        """The n-th working day after a date (before it when n is negative; n=0: the date or the next
        working day)."""
        day = _query_date(request, "date")
        n = _query_int(request, "n", 1, -MAX_RANGE_DAYS, MAX_RANGE_DAYS)
        cal = selectors.work_calendar()
        workday = cal.workday_on_or_after(day) if n == 0 else cal.add_workdays(day, n)
        return Response({"date": day, "n": n, "workday": workday})


DATE_IN_PATH = OpenApiParameter("date", DATE_SCHEMA, OpenApiParameter.PATH, description="The day, YYYY-MM-DD.")


class CalendarDayViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """The company's own days (R2), oldest first; an admin adds or changes one by date, or removes it (soft:
    the national calendar applies again)."""

    serializer_class = CalendarDaySerializer
    parser_classes = [JSONParser]
    lookup_field = "date"

    def get_queryset(self) -> QuerySet[CalendarDay]:
        return selectors.company_days()

    def get_object(self) -> CalendarDay:
        day = parse_date_text(self.kwargs["date"])
        if day is None:
            raise serializers.ValidationError({"date": [date_message()]})
        return get_object_or_404(CalendarDay, date=day, is_active=True)

    @extend_schema(operation_id="calendar_days_list")
    def list(self, request: Request) -> Response:
        """The company's active own days, oldest first (R2)."""
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(CalendarDaySerializer(page, many=True).data)

    @extend_schema(operation_id="calendar_day_retrieve", parameters=[DATE_IN_PATH])
    def retrieve(self, request: Request, date: str) -> Response:
        """One company day by date."""
        return Response(CalendarDaySerializer(self.get_object()).data)

    @extend_schema(
        request=CalendarDayInputSerializer,
        responses={
            200: OpenApiResponse(CalendarDaySerializer, description="An existing date was updated or reactivated."),
            201: OpenApiResponse(CalendarDaySerializer, description="A new company day."),
            **error_responses(NOT_JSON),
        },
        operation_id="calendar_days_create",
    )
    def create(self, request: AuthedRequest) -> Response:
        """An admin makes a date a company day off or an extra working day, or changes it (R2)."""
        if not request.user.has_perm("organisation.manage_calendar"):
            raise PermissionDenied(_("Only an admin may change the company calendar."))
        data = CalendarDayInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        existed = CalendarDay.objects.filter(date=data.validated_data["date"]).exists()
        entry = services.calendar_day_set(by=request.user, **data.validated_data)
        code = status.HTTP_200_OK if existed else status.HTTP_201_CREATED
        return Response(CalendarDaySerializer(entry).data, status=code)

    @extend_schema(responses={204: None}, operation_id="calendar_day_destroy", parameters=[DATE_IN_PATH])
    def destroy(self, request: AuthedRequest, date: str) -> Response:
        """An admin removes a company day (soft: the national calendar applies again)."""
        if not request.user.has_perm("organisation.manage_calendar"):
            raise PermissionDenied(_("Only an admin may change the company calendar."))
        entry = self.get_object()
        services.calendar_day_remove(date=entry.date, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
