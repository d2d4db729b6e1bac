"""Who sees a team's summaries of a day: whoever manages a team (R1, R17): leads, directors, admins."""

from __future__ import annotations

import rules

from salesops.accounts.rules import is_manager

rules.add_perm("daily.view_team_summaries", is_manager)
