"""Who sees the lag alerts' list (R19): the people who manage reps."""

from __future__ import annotations

import rules

from salesops.accounts.rules import is_manager

rules.add_perm("daily.view_lag_alerts", is_manager)
