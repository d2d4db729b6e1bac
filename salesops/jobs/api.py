"""API for scheduled jobs (admin only): ``GET /api/jobs/`` the schedule with recent runs, and
``POST /api/jobs/{name}/run/`` ``{date?, force?}`` to run one for a date now. Bodies are JSON with
strict types (a date is a "YYYY-MM-DD" string, ``force`` a boolean), so what the schema calls
invalid is refused with 400."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.conf import settings
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from salesops.core.api import RulePermission
from salesops.core.schema import ERROR_SCHEMA
from salesops.jobs import registry
from salesops.jobs.models import JobRun
from salesops.jobs.selectors import jobs_by_time, recent_runs
from salesops.jobs.services import job_run, org_localtime

#: How many of each job's latest runs the schedule shows.
RECENT_RUNS = 5
DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")

ERROR_DESCRIPTIONS = {
    400: "Bad input; field messages in error.fields.",
    401: "Not logged in.",
    403: "Only an admin may see or run jobs.",
    404: "No job has that name.",
    415: "The body is not JSON.",
}


def _errors(*codes: int) -> dict[int, OpenApiResponse]:
    return {code: OpenApiResponse(ERROR_SCHEMA, description=ERROR_DESCRIPTIONS[code]) for code in codes}


@extend_schema_field({"type": "string", "format": "date", "example": "2026-02-14"})
class DayField(serializers.DateField):
    """A date as a "YYYY-MM-DD" string, nothing else (no numbers, no other layouts)."""

    def to_internal_value(self, value: Any) -> dt.date:
        if isinstance(value, str) and DATE_RE.match(value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        raise serializers.ValidationError(gettext("Enter a date as YYYY-MM-DD, e.g. 2026-02-14."), code="invalid")


class StrictBooleanField(serializers.BooleanField):
    """A JSON true or false, not "yes", 1 or "true"."""

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            raise serializers.ValidationError(gettext("Enter true or false."), code="invalid")
        return data


class JobRunSerializer(serializers.ModelSerializer[JobRun]):
    class Meta:
        model = JobRun
        fields = [
            "id", "name", "date", "status", "queued_at", "started_at", "finished_at", "attempts", "result", "error",
        ]
        read_only_fields = fields


class JobRunOutcomeSerializer(JobRunSerializer):
    """The JobRun after a run request; ``ran`` is false when it had run for that date already."""

    ran = serializers.SerializerMethodField(help_text=_("Whether this request ran the job."))

    class Meta(JobRunSerializer.Meta):
        fields = [*JobRunSerializer.Meta.fields, "ran"]
        read_only_fields = fields

    def get_ran(self, run: JobRun) -> bool:
        return bool(self.context["ran"])


class ScheduledJobSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    description = serializers.CharField()
    at = serializers.RegexField(
        r"^([01][0-9]|2[0-3]):[0-5][0-9]$", help_text=_("Time of day it runs, HH:MM, in time_zone.")
    )
    time_zone = serializers.CharField(help_text=_("The organisation's time zone, e.g. Asia/Shanghai."))
    workdays_only = serializers.BooleanField(help_text=_("Whether it runs on working days only."))
    last_runs = JobRunSerializer(many=True, help_text=_("Its latest runs, newest date first."))


class RunJobSerializer(serializers.Serializer[Any]):
    date = DayField(required=False, help_text=_("The date to run it for; default today."))
    force = StrictBooleanField(
        required=False, default=False, help_text=_("Run it again even if it ran for that date.")
    )


class JobListView(APIView):
    """The registered jobs with their schedule and latest runs."""

    permission_classes = [IsAuthenticated, RulePermission]
    action_rules = {"get": "jobs.run_jobs"}

    @extend_schema(operation_id="jobs_list", responses={200: ScheduledJobSerializer(many=True), **_errors(401, 403)})
    def get(self, request: Request) -> Response:
        jobs = jobs_by_time()
        runs = recent_runs(names=[job.name for job in jobs], limit=RECENT_RUNS)
        rows = [
            {
                "name": job.name,
                "description": str(job.description),
                "at": job.time().strftime("%H:%M"),
                "time_zone": settings.TIME_ZONE,
                "workdays_only": job.workdays_only,
                "last_runs": runs.get(job.name, []),
            }
            for job in jobs
        ]
        return Response(ScheduledJobSerializer(rows, many=True).data)


class JobRunView(APIView):
    """Run one job for a date now (once per date; ``force`` runs a done or failed one again)."""

    permission_classes = [IsAuthenticated, RulePermission]
    parser_classes = [JSONParser]
    action_rules = {"post": "jobs.run_jobs"}

    @extend_schema(
        operation_id="jobs_run",
        request=RunJobSerializer,
        responses={200: JobRunOutcomeSerializer, **_errors(400, 401, 403, 404, 415)},
    )
    def post(self, request: Request, name: str) -> Response:
        try:
            registry.get(name)
        except registry.UnknownJobError as exc:
            raise NotFound(str(exc)) from None
        data = RunJobSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        day = data.validated_data.get("date") or org_localtime(timezone.now()).date()
        outcome = job_run(name=name, day=day, force=data.validated_data["force"])
        return Response(JobRunOutcomeSerializer(outcome.run, context={"ran": outcome.ran}).data)


api_urlpatterns = [
    path("jobs/", JobListView.as_view(), name="api-jobs"),
    path("jobs/<str:name>/run/", JobRunView.as_view(), name="api-job-run"),
]
