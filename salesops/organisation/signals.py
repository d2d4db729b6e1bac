"""What the organisation announces to the apps above it (LAYOUT: it imports none of them). Sent once the
change is committed, so a receiver that starts background work sees the new rows.

- ``rule_settings_changed``: ``changed`` (frozenset of the RuleSettings fields whose value changed).
- ``calendar_changed``: ``date`` (the company day set or removed, R2).
"""

from __future__ import annotations

from django.dispatch import Signal

rule_settings_changed = Signal()
calendar_changed = Signal()
