"""``{{ customer.next_due_at|due_label }}``: a due date as people say it ("逾期 3 天", "今天", "明天"), the
same words on the due page and the home page."""

from __future__ import annotations

import datetime as dt

from django import template

from salesops.core.clock import local_today
from salesops.followups.cadence import due_label as due_words

register = template.Library()


@register.filter
def due_label(due: dt.date | None) -> str:
    return "" if due is None else due_words(due, local_today())
