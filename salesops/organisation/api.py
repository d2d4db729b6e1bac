"""API for the organisation: rule settings (every number of DOMAIN.md) and the working calendar (R2).

Paths (under /api/): ``settings/rules/``, ``calendar/``, ``calendar/days/``, ``calendar/days/{date}/``,
``calendar/workdays/``, ``calendar/next-workday/``. Everyone logged in reads; only an admin writes.
Bodies are JSON, typed strictly (a number is not a string and the reverse), so what the OpenAPI schema
calls invalid is refused with 400.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from salesops.organisation import selectors, services
from salesops.organisation.models import CalendarDay, RuleSettings
from salesops.organisation.workcal import Reason, makeup_days_published, month_bounds

TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"
DATE_PATTERN = r"^(19[0-9]{2}|20[0-9]{2}|2100)-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
MAX_RANGE_DAYS = 366 * 5
DATE_SCHEMA = {"type": "string", "format": "date", "pattern": DATE_PATTERN, "example": "2026-02-14"}


# --- strict fields --------------------------------------------------------------------------------------


@extend_schema_field({"type": "string", "pattern": TIME_PATTERN, "example": "08:30"})
class HourMinuteField(serializers.TimeField):
    """A time of day as "HH:MM" (24 hours), nothing else."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", input_formats=["%H:%M"], **kwargs)

    def to_internal_value(self, value: Any) -> dt.time:
        # re.search with the schema's own pattern accepts exactly what a schema validator accepts
        match = re.search(TIME_PATTERN, value) if isinstance(value, str) else None
        if match is None:
            raise serializers.ValidationError(_("Enter a time as HH:MM, e.g. 08:30."), code="invalid")
        return dt.time(int(match.group(0)[:2]), int(match.group(0)[3:]))


@extend_schema_field(DATE_SCHEMA)
class StrictDateField(serializers.DateField):
    """A date as "YYYY-MM-DD" between 1900 and 2100."""

    def to_internal_value(self, value: Any) -> dt.date:
        day = parse_date_text(value)
        if day is None:
            raise serializers.ValidationError(date_message(), code="invalid")
        return day


class StrictIntegerField(serializers.IntegerField):
    """An integer that must be a JSON number, not a string or a boolean."""

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool) or not isinstance(data, int | float):
            self.fail("invalid")
        return super().to_internal_value(data)  # type: ignore[no-any-return]


class StrictChoiceField(serializers.ChoiceField):
    """A choice whose JSON type must match the choices' (the weekday 4 is a number, not "4")."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(next(iter(self.choices)), int):
            if isinstance(data, float) and data.is_integer():
                data = int(data)
            valid = isinstance(data, int) and not isinstance(data, bool)
        else:
            valid = isinstance(data, str)
        if not valid:
            self.fail("invalid_choice", input=data)
        return super().to_internal_value(data)


class StrictCharField(serializers.CharField):
    """Text that must be a JSON string (a number is not a note)."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)  # type: ignore[no-any-return]


def parse_date_text(value: Any) -> dt.date | None:
    """The date of a "YYYY-MM-DD" text between 1900-01-01 and 2100-12-31, else None."""
    match = re.search(DATE_PATTERN, value) if isinstance(value, str) else None
    if match is None:
        return None
    try:
        return dt.date.fromisoformat(match.group(0))
    except ValueError:
        return None


def date_message() -> str:
    return _("Enter a date between 1900-01-01 and 2100-12-31 as YYYY-MM-DD.")


# --- serializers ----------------------------------------------------------------------------------------


class ErrorDetailSerializer(serializers.Serializer[Any]):
    """A machine-readable code, a message for people, and the messages per field."""

    # declared here, not as class attributes: ``fields`` is the name of a Serializer property
    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        return {
            "code": serializers.CharField(),
            "message": serializers.CharField(),
            "fields": serializers.DictField(child=serializers.JSONField()),
        }


class ErrorSerializer(serializers.Serializer[Any]):
    """The error shape of API.md: ``{"error": {code, message, fields}}``."""

    error = ErrorDetailSerializer()


def _errors(*codes: int) -> dict[int, OpenApiResponse]:
    descriptions = {
        400: "Bad input; field messages in error.fields.",
        415: "The body is not JSON.",
        401: "Not logged in.",
        403: "The caller's role may not do this.",
        404: "No such object (or no such page).",
    }
    return {code: OpenApiResponse(ErrorSerializer, description=descriptions[code]) for code in codes}


class RuleSettingsSerializer(serializers.ModelSerializer[RuleSettings]):
    """Every rule setting (R2-R23); times as "HH:MM"; ``summary_due_at`` is derived (R17)."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.PositiveSmallIntegerField: StrictIntegerField,
        models.TimeField: HourMinuteField,
    }
    serializer_choice_field = StrictChoiceField
    summary_due_at = HourMinuteField(read_only=True, help_text="R17: when the daily summary is due.")

    class Meta:
        model = RuleSettings
        fields = [*services.RULE_SETTING_FIELDS, "summary_due_at", "updated_at"]
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


class RuleSettingsView(APIView):
    """The rule settings: everyone logged in reads them (they are the team's rules), an admin changes them."""

    parser_classes = [JSONParser]

    @extend_schema(responses={200: RuleSettingsSerializer, **_errors(401)}, operation_id="rule_settings_retrieve")
    def get(self, request: Request) -> Response:
        return Response(RuleSettingsSerializer(selectors.rule_settings()).data)

    @extend_schema(
        request=RuleSettingsSerializer,
        responses={200: RuleSettingsSerializer, **_errors(400, 401, 403, 415)},
        operation_id="rule_settings_partial_update",
    )
    def patch(self, request: Request) -> Response:
        if not request.user.has_perm("organisation.manage_settings"):
            raise PermissionDenied(_("Only an admin may change the rule settings."))
        serializer = RuleSettingsSerializer(selectors.rule_settings(), data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        settings = services.rule_settings_update(by=request.user, **serializer.validated_data)  # type: ignore[arg-type]
        return Response(RuleSettingsSerializer(settings).data)


class CalendarView(APIView):
    """A year or month of the working calendar, day by day with the reason (R2)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("year", {"type": "integer", "minimum": 1900, "maximum": 2100}, required=True),
            OpenApiParameter(
                "month", {"type": "integer", "minimum": 1, "maximum": 12}, required=False,
                description="1-12; the whole year without it.",
            ),
        ],
        responses={200: WorkCalendarSerializer, **_errors(400, 401)},
        operation_id="calendar_retrieve",
    )
    def get(self, request: Request) -> Response:
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
    parameters=[OpenApiParameter("date", DATE_SCHEMA, OpenApiParameter.PATH, description="The day, YYYY-MM-DD.")]
)
class CalendarDayDetailView(APIView):
    """One company day by date; an admin removes it (soft: the national calendar applies again)."""

    def _active(self, day_text: str) -> CalendarDay:
        day = parse_date_text(day_text)
        if day is None:
            raise serializers.ValidationError({"date": [date_message()]})
        return get_object_or_404(CalendarDay, date=day, is_active=True)

    @extend_schema(
        responses={200: CalendarDaySerializer, **_errors(400, 401, 404)}, operation_id="calendar_day_retrieve"
    )
    def get(self, request: Request, date: str) -> Response:
        return Response(CalendarDaySerializer(self._active(date)).data)

    @extend_schema(responses={204: None, **_errors(400, 401, 403, 404)}, operation_id="calendar_day_destroy")
    def delete(self, request: Request, date: str) -> Response:
        if not request.user.has_perm("organisation.manage_calendar"):
            raise PermissionDenied(_("Only an admin may change the company calendar."))
        entry = self._active(date)
        services.calendar_day_remove(date=entry.date, by=request.user)  # type: ignore[arg-type]
        return Response(status=status.HTTP_204_NO_CONTENT)


class CalendarDayListView(generics.ListAPIView):  # type: ignore[type-arg]
    """The company's active own days, oldest first; an admin adds or changes one by date (R2)."""

    serializer_class = CalendarDaySerializer
    parser_classes = [JSONParser]

    def get_queryset(self) -> QuerySet[CalendarDay]:
        return selectors.company_days()

    @extend_schema(
        responses={200: CalendarDaySerializer(many=True), **_errors(401, 404)}, operation_id="calendar_days_list"
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=CalendarDayInputSerializer,
        responses={
            200: OpenApiResponse(CalendarDaySerializer, description="An existing date was updated or reactivated."),
            201: OpenApiResponse(CalendarDaySerializer, description="A new company day."),
            **_errors(400, 401, 403, 415),
        },
        operation_id="calendar_days_create",
    )
    def post(self, request: Request) -> Response:
        if not request.user.has_perm("organisation.manage_calendar"):
            raise PermissionDenied(_("Only an admin may change the company calendar."))
        data = CalendarDayInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        existed = CalendarDay.objects.filter(date=data.validated_data["date"]).exists()
        entry = services.calendar_day_set(by=request.user, **data.validated_data)  # type: ignore[arg-type]
        code = status.HTTP_200_OK if existed else status.HTTP_201_CREATED
        return Response(CalendarDaySerializer(entry).data, status=code)


class WorkdaysView(APIView):
    """How many working days lie between two dates, both included (at most five years apart)."""

    @extend_schema(
        parameters=[_date_param("start", "First day, included."), _date_param("end", "Last day, included.")],
        responses={200: WorkdaysSerializer, **_errors(400, 401)},
        operation_id="calendar_workdays",
    )
    def get(self, request: Request) -> Response:
        start, end = _query_date(request, "start"), _query_date(request, "end")
        if end < start:
            raise serializers.ValidationError({"end": [_("The end must not be before the start.")]})
        if (end - start).days >= MAX_RANGE_DAYS:
            raise serializers.ValidationError(
                {"end": [_("Ask for at most %(days)s days at once.") % {"days": MAX_RANGE_DAYS}]}
            )
        count = selectors.work_calendar().workdays_between(start, end)
        return Response({"start": start, "end": end, "workdays": count})


class NextWorkdayView(APIView):
    """The n-th working day after a date (before it when n is negative; n=0: the date or the next working day)."""

    @extend_schema(
        parameters=[
            _date_param("date", "The day to count from (not counted itself)."),
            OpenApiParameter(
                "n", {"type": "integer", "minimum": -MAX_RANGE_DAYS, "maximum": MAX_RANGE_DAYS, "default": 1},
                required=False, description="How many working days to move; 1 by default.",
            ),
        ],
        responses={200: NextWorkdaySerializer, **_errors(400, 401)},
        operation_id="calendar_next_workday",
    )
    def get(self, request: Request) -> Response:
        day = _query_date(request, "date")
        n = _query_int(request, "n", 1, -MAX_RANGE_DAYS, MAX_RANGE_DAYS)
        cal = selectors.work_calendar()
        workday = cal.workday_on_or_after(day) if n == 0 else cal.add_workdays(day, n)
        return Response({"date": day, "n": n, "workday": workday})


api_urlpatterns = [
    path("settings/rules/", RuleSettingsView.as_view(), name="api-rule-settings"),
    path("calendar/", CalendarView.as_view(), name="api-calendar"),
    path("calendar/days/", CalendarDayListView.as_view(), name="api-calendar-days"),
    path("calendar/days/<str:date>/", CalendarDayDetailView.as_view(), name="api-calendar-day"),
    path("calendar/workdays/", WorkdaysView.as_view(), name="api-calendar-workdays"),
    path("calendar/next-workday/", NextWorkdayView.as_view(), name="api-calendar-next-workday"),
]
