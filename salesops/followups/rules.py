"""Who may log and see follow-ups beyond their own (R1, R10, R11)."""

from __future__ import annotations

import rules

from salesops.customers.rules import manages_owner, owns

#: R11: the owner logs a contact, and so do the people who manage the owner (a lead on a joint visit).
rules.add_perm("followups.log_followup", owns | manages_owner)
