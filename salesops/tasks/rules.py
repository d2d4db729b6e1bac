"""Who sees the approval queue: the people who may decide others' tasks (R20), leads, directors, admins."""

from __future__ import annotations

import rules

from salesops.accounts.rules import is_manager

rules.add_perm("tasks.view_approvals", is_manager)
