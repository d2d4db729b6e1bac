"""Who reads the team's plans page: the people who decide others' plans (R7), leads, directors, admins."""

from __future__ import annotations

import rules

from salesops.accounts.rules import is_manager

rules.add_perm("daily.view_team_plans", is_manager)
