# ruff: noqa: N999  (the file name is the command name, ``run-job``, as API.md spells it)
"""``salesops run-job NAME [--date YYYY-MM-DD] [--force]`` and ``salesops run-job --list``."""

from __future__ import annotations

import datetime as dt
import json
import re
from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils import timezone
from django.utils.translation import gettext as _

from salesops.jobs import registry
from salesops.jobs.models import JobRun
from salesops.jobs.registry import UnknownJobError
from salesops.jobs.selectors import schedule
from salesops.jobs.services import job_run, org_localtime

DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(value: str) -> dt.date:
    try:
        if not DATE_RE.match(value):
            raise ValueError(value)
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            _("%(value)s is not a date: give it as YYYY-MM-DD, e.g. 2026-02-14.") % {"value": value}
        ) from None


class Command(BaseCommand):
    help = "Run one scheduled job for a date (once per date; --force runs it again), or list the jobs."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("name", nargs="?", help="the job's name (see --list)")
        parser.add_argument("--date", help="the date to run it for, YYYY-MM-DD (default: today)")
        parser.add_argument("--force", action="store_true", help="run it again even if it ran for that date")
        parser.add_argument("--list", action="store_true", help="list the jobs with their times")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            self.list_jobs()
            return
        name = options["name"]
        if not name:
            raise CommandError(_("Name the job to run, or use --list to see the jobs."))
        day = parse_date(options["date"]) if options["date"] else org_localtime(timezone.now()).date()
        try:
            outcome = job_run(name=name, day=day, force=options["force"])
        except UnknownJobError as exc:
            raise CommandError(str(exc)) from None
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        run = outcome.run
        values = {"name": name, "date": day.isoformat(), "status": run.get_status_display()}
        if not outcome.ran:
            if run.status == JobRun.Status.RUNNING:
                self.stdout.write(_("%(name)s is running for %(date)s already; nothing done.") % values)
            else:
                self.stdout.write(
                    _("%(name)s already ran for %(date)s (%(status)s); nothing done. Use --force to run it again.")
                    % values
                )
            return
        if run.status == JobRun.Status.FAILED:
            raise CommandError(_("%(name)s failed for %(date)s: %(error)s") % {**values, "error": run.error})
        self.stdout.write(_("%(name)s ran for %(date)s: %(status)s.") % values)
        self.stdout.write(json.dumps(run.result, ensure_ascii=False, sort_keys=True))

    def list_jobs(self) -> None:
        try:
            jobs = [(job, f"{at:%H:%M}") for job, at in schedule()]
        except DatabaseError:
            # A time read from the rule settings needs the database; before it is set up the jobs still list.
            jobs = [(job, f"{job.at:%H:%M}" if isinstance(job.at, dt.time) else "--:--")
                    for job in registry.all_jobs()]
        for job, at in jobs:
            days = _("working days") if job.workdays_only else _("every day")
            self.stdout.write(f"{job.name}\t{at}\t{days}\t{job.description}")
