"""``salesops demo``: load the demo organisation (星辰智能科技有限公司) into an empty database.

Demo logins share one password (``DEMO_PASSWORD``), for trying the system only: never load the demo
into a real installation.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from salesops.accounts.models import Team, User
from salesops.demo.people import DEMO_ORG_NAME, demo_loaded, demo_logins, load_demo
from salesops.demo.text import format_table


class Command(BaseCommand):
    help = (
        "Load the demo organisation (an admin, a director, two teams with a lead and five reps each) and print "
        "its logins. Does nothing on a database that already has people."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--logins", action="store_true", help="Only print the demo logins.")

    def handle(self, *args: Any, logins: bool = False, verbosity: int = 1, **options: Any) -> None:
        if not logins:
            if load_demo(progress=verbosity >= 1):
                self.stdout.write(
                    self.style.SUCCESS(
                        _("Loaded the demo organisation %(org)s: %(people)d people in %(teams)d teams.")
                        % {"org": DEMO_ORG_NAME, "people": User.objects.count(), "teams": Team.objects.count()}
                    )
                )
            else:
                self.stdout.write(self.style.WARNING(_("The database already has people: nothing was created.")))
        self.stdout.write(self.logins_table())

    def logins_table(self) -> str:
        headers = [_("Role"), _("Name"), _("Login name"), _("Password")]
        lines = ["", _("Demo logins:"), format_table(headers, demo_logins()), ""]
        lines.append(_("The shared password is for the demo only; never use the demo on a real installation."))
        if not demo_loaded():
            lines.append(_("These logins exist only in a database where the demo was loaded."))
        return "\n".join(lines)
