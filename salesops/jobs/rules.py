"""Who may list and run the scheduled jobs by hand: admins."""

from __future__ import annotations

import rules

from salesops.accounts.rules import is_admin

rules.add_perm("jobs.run_jobs", is_admin)
