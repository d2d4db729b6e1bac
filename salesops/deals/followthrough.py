"""What a win sets in motion (R13, R14): the owner's post-win tasks.

- Three tasks due ``deal_followthrough_days`` working days after the signing date on the working calendar
  (R2: holidays and 调休 working Saturdays counted as the calendar says): archive the contract (closes only
  with the signed scan as proof), hand over to after-sales (names the after-sales contact), the
  satisfaction call (a 1-5 score and comments, logged as a follow-up).
- A repurchase survey ``repurchase_survey_days`` calendar days after the signing date (R14).

The system assigns them (``by=None``) in the name of the owner's team lead, or of the owner when the team
has no lead or the owner leads it; the lead approves them (R20). Texts are written in the owner's language.
A deal won again after a reopen keeps the tasks it had: only missing kinds are created.
"""

from __future__ import annotations

import datetime as dt

from django.utils import translation
from django.utils.translation import gettext as _

from salesops.accounts.models import User
from salesops.deals.models import Contract, Deal
from salesops.organisation.selectors import rule_settings, work_calendar
from salesops.tasks.models import Task, TaskKind
from salesops.tasks.services import task_create


def followthrough_deadline(signed_at: dt.date) -> dt.date:
    """R13: the archive, handover and call are due this many working days after signing."""
    return work_calendar().add_workdays(signed_at, rule_settings().deal_followthrough_days)


def survey_deadline(signed_at: dt.date) -> dt.date:
    """R14: the repurchase survey comes this many calendar days after signing."""
    return signed_at + dt.timedelta(days=rule_settings().repurchase_survey_days)


def task_assigner(owner: User) -> User:
    """Who assigns (and so approves) a post-win task: the owner's team lead, else the owner."""
    lead = owner.team.lead if owner.team is not None else None
    return lead if lead is not None and lead.is_active else owner


def _texts(customer: str, number: str) -> dict[str, tuple[str, str]]:
    return {
        TaskKind.CONTRACT_ARCHIVE: (
            _("Archive contract %(number)s") % {"number": number},
            _("Upload the signed scan of contract %(number)s as the proof; the contract is archived when "
              "the task is approved.") % {"number": number},
        ),
        TaskKind.HANDOVER: (
            _("Hand %(customer)s over to after-sales") % {"customer": customer},
            _("Introduce the after-sales contact to the customer and name them when submitting."),
        ),
        TaskKind.SATISFACTION_CALL: (
            _("Satisfaction call to %(customer)s") % {"customer": customer},
            _("Call the customer, ask for a score from 1 to 5 and note their comments."),
        ),
        TaskKind.REPURCHASE_SURVEY: (
            _("Repurchase survey with %(customer)s") % {"customer": customer},
            _("Ask about new needs a month after the deal and log what you learn."),
        ),
    }


def followthrough_tasks(*, deal: Deal, owner: User, contract: Contract) -> list[Task]:
    """The post-win tasks of a won deal that it does not have yet."""
    signed = deal.signed_at
    assert signed is not None
    existing = set(Task.objects.filter(deal=deal).exclude(kind=TaskKind.GENERAL).values_list("kind", flat=True))
    due = followthrough_deadline(signed)
    deadlines = {
        TaskKind.CONTRACT_ARCHIVE: due, TaskKind.HANDOVER: due, TaskKind.SATISFACTION_CALL: due,
        TaskKind.REPURCHASE_SURVEY: survey_deadline(signed),
    }
    assigner = task_assigner(owner)
    customer = deal.customer
    created: list[Task] = []
    with translation.override(owner.language or None):
        texts = _texts(customer.name, contract.number)
        for kind, deadline in deadlines.items():
            if kind in existing:
                continue
            title, standard = texts[kind]
            title = title[:120]
            created.append(task_create(
                by=None, assignee=owner, assigner=assigner, title=title, standard=standard, deadline=deadline,
                kind=kind, customer=customer, deal=deal,
            ))
    return created
