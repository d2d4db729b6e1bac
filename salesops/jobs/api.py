"""API for scheduled jobs (admin only): ``GET /api/jobs/`` the schedule with recent runs, and
``POST /api/jobs/{name}/run/`` ``{date?, force?}`` to run one for a date now. Bodies are JSON with
strict types (a date is a "YYYY-MM-DD" string, ``force`` a boolean), so what the schema calls
invalid is refused with 400."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from salesops.core.api import RulePermission
from salesops.core.drf import JSONParser
from salesops.core.fields import StrictBooleanField, StrictDateField
from salesops.core.schema import error_responses
from salesops.jobs import registry
from salesops.jobs.models import JobRun
from salesops.jobs.selectors import jobs_by_time, recent_runs
from salesops.jobs.services import job_run, org_localtime

#: How many of each job's latest runs the schedule shows.
RECENT_RUNS = 5
ONLY_ADMINS = {403: "Only an admin may see or run jobs."}


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
    date = StrictDateField(required=False, help_text=_("The date to run it for; default today."))
    force = StrictBooleanField(
        required=False, default=False, help_text=_("Run it again even if it ran for that date.")
    )


class JobViewSet(viewsets.ViewSet):
    """The registered jobs with their schedule and latest runs; ``run`` runs one for a date now."""

    permission_classes = [IsAuthenticated, RulePermission]
    parser_classes = [JSONParser]
    action_rules = {"list": "jobs.run_jobs", "run": "jobs.run_jobs"}
    lookup_field = "name"

    @extend_schema(
        operation_id="jobs_list", responses={200: ScheduledJobSerializer(many=True), **error_responses(ONLY_ADMINS)}
    )
    def list(self, request: Request) -> Response:
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

    @extend_schema(
        operation_id="jobs_run",
        parameters=[OpenApiParameter("name", str, OpenApiParameter.PATH, description="The job's name.")],
        request=RunJobSerializer,
        responses={
            200: JobRunOutcomeSerializer,
            **error_responses({**ONLY_ADMINS, 404: "No job has that name.", 415: "The body is not JSON."}),
        },
    )
    @action(detail=True, methods=["post"])
    def run(self, request: Request, name: str) -> Response:
        """Run one job for a date now (once per date; ``force`` runs a done or failed one again)."""
        try:
            registry.get(name)
        except registry.UnknownJobError as exc:
            raise NotFound(str(exc)) from None
        data = RunJobSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        day = data.validated_data.get("date") or org_localtime(timezone.now()).date()
        outcome = job_run(name=name, day=day, force=data.validated_data["force"])
        return Response(JobRunOutcomeSerializer(outcome.run, context={"ran": outcome.ran}).data)
