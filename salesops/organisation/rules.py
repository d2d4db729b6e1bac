"""Who may change the organisation's settings, calendar and first-run set-up: admins (R1)."""

from __future__ import annotations

import rules

from salesops.accounts.rules import is_admin

rules.add_perm("organisation.manage_settings", is_admin)
rules.add_perm("organisation.manage_calendar", is_admin)
rules.add_perm("organisation.run_setup", is_admin)
