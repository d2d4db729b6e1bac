"""``salesops generate --scale S|M|L``: deterministic benchmark data (see salesops.demo.generator)."""

from __future__ import annotations

import datetime as dt
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from salesops.demo.generator import (
    EMAIL_DOMAIN,
    GENERATED_PASSWORD,
    SCALES,
    USERNAME_PREFIX,
    GeneratorRefusedError,
    generate,
)
from salesops.demo.text import format_table


class Command(BaseCommand):
    help = (
        "Generate benchmark data: S = 2 teams/20 reps, M = 10 teams/100 reps, L = 100 teams/1,000 reps, with their "
        "leads, a director per ten teams, an admin, and every registered feature's data. Same seed, same data."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--scale", required=True, choices=sorted(SCALES), help="Size of the data.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--wipe",
            action="store_true",
            help=f"First delete generated data (people named {USERNAME_PREFIX}* at @{EMAIL_DOMAIN}, their teams "
            "and rows); other data stays.",
        )
        parser.add_argument(
            "--today", type=dt.date.fromisoformat, default=None, help="Date the data is built around (YYYY-MM-DD)."
        )
        parser.add_argument("--batch-size", type=int, default=2000, help="Rows per insert batch (default 2000).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch_size"] < 1:
            raise CommandError(_("The batch size must be at least 1."))
        scale = SCALES[options["scale"]]
        try:
            report = generate(
                scale=scale,
                seed=options["seed"],
                wipe=options["wipe"],
                today=options["today"],
                progress=options["verbosity"] >= 1,
                batch_size=options["batch_size"],
            )
        except GeneratorRefusedError as exc:
            raise CommandError(str(exc)) from None
        if report.wiped_people:
            self.stdout.write(
                _("Deleted %(people)d generated people and their data in %(seconds).1f s.")
                % {"people": report.wiped_people, "seconds": report.wipe_seconds}
            )
        rows = [(name, count, f"{seconds:.2f}") for name, count, seconds in report.steps]
        self.stdout.write(format_table([_("Step"), _("Rows"), _("Seconds")], rows, right=(1, 2)))
        self.stdout.write(
            self.style.SUCCESS(
                _("Scale %(scale)s, seed %(seed)d: %(rows)d rows in %(seconds).2f s (%(speed).0f rows/s).")
                % {
                    "scale": scale.name,
                    "seed": report.seed,
                    "rows": report.total_rows,
                    "seconds": report.seconds,
                    "speed": report.rows_per_second,
                }
            )
        )
        self.stdout.write(
            _("Every generated person logs in with the password %(password)s (benchmark data only).")
            % {"password": GENERATED_PASSWORD}
        )
