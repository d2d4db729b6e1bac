"""Who may read whose figures beyond their own (R1, R21)."""

from __future__ import annotations

import rules

from salesops.accounts.rules import is_manager

#: The team figures page (cadence compliance, late logs, overdue customers) is for leads, directors, admins.
rules.add_perm("performance.view_team_figures", is_manager)
