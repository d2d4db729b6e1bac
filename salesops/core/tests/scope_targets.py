"""The targets of the R1 scope matrix (``test_scope_matrix.py``): how each call reaches the object of a
target (its placeholders, its body) and the answers where a rule says more than scope and role."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from salesops.core.clock import local_today
from salesops.testing.scope_matrix import (
    LOGGED_OUT,
    MANAGERS,
    ROLE,
    ROWS_SEEN,
    manages,
    sees_rows,
)
from salesops.testing.scope_world import MISSING_NAME, World

# --- how to reach the object of a target --------------------------------------------------------------------------

OBJECTS = ("rep_a1", "rep_b1", "rep_c1", "missing")  # a rep of team_a, of team_b (both directed), of team_c
WITH_POOL = ("pool", *OBJECTS)
PEOPLE = ("rep_a1", "rep_b1", "rep_c1", "director", "missing")
TEAMS = ("team_a", "team_b", "team_c", "missing")
NOTES = ("rep_a1", "lead_a", "rep_b1", "missing")
TOKENS = NOTES
#: someone of the target's team to give its customers to (R15 transfer and reassign)
TEAMMATE = {"rep_a1": "rep_a2", "rep_b1": "lead_b", "rep_c1": "lead_c", "missing": "missing", "pool": "rep_a2"}


def customer_pk(w: World, t: str) -> dict[str, Any]:
    return {"pk": w.customer[t]}


def customer_id(w: World, t: str) -> dict[str, Any]:
    return {"customer_id": w.customer[t]}


def contact_pk(w: World, t: str) -> dict[str, Any]:
    return {"pk": w.customer[t], "contact_id": w.contact[t]}


def followup_pk(w: World, t: str) -> dict[str, Any]:
    return {"pk": w.followup[t]}


def photo_pk(w: World, t: str) -> dict[str, Any]:
    return {"pk": w.photo[t]}


def deal_pk(w: World, t: str) -> dict[str, Any]:
    return {"pk": w.deal[t]}


def won_deal_pk(w: World, t: str) -> dict[str, Any]:
    return {"pk": w.won_deal[t]}


def deal_version(w: World, t: str) -> int:
    from salesops.deals.models import Deal

    return Deal.objects.filter(pk=w.deal[t]).values_list("version", flat=True).first() or 1


def first_loss_reason(w: World, t: str) -> dict[str, Any]:
    from salesops.deals.models import LossReason

    return {"reason": LossReason.objects.values_list("pk", flat=True).first(), "note": "矩阵"}


def signed_scan(w: World, t: str) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"file": SimpleUploadedFile("合同.pdf", b"%PDF-1.7\n" + b"\x00" * 64, content_type="application/pdf")}


def reopened_by_a_manager(actor: str, target: str | None, code: int) -> int:
    """R13: only someone who manages the deal's owner reopens it; the owner gets 403."""
    return 403 if code == 200 and not manages(actor, target or "") else code


def page_reopened_by_a_manager(actor: str, target: str | None, code: int) -> int:
    """The page's reopen: done (302) for a manager of the owner, else the 403 page."""
    logged_in = actor in ROLE
    return 403 if logged_in and code == 302 and not manages(actor, target or "") else code


def person_pk(w: World, t: str) -> dict[str, Any]:
    return {"pk": w.people[t]}


def team_pk(w: World, t: str) -> dict[str, Any]:
    return {"pk": w.teams[t]}


def version(w: World, t: str) -> int:
    """The version of the target's customer, as an editor read it (an edit must send it back)."""
    from salesops.customers.models import Customer

    return Customer.objects.filter(pk=w.customer[t]).values_list("version", flat=True).first() or 1


def contract_pk(w: World, t: str) -> dict[str, Any]:
    return {"pk": w.contract[t]}


def instalment_pk(w: World, t: str) -> dict[str, Any]:
    return {"pk": w.instalment[t]}


def payment_pk(w: World, t: str) -> dict[str, Any]:
    return {"pk": w.payment[t]}


def plan_keeping(w: World, t: str) -> dict[str, Any]:
    """The plan of the target's contract moved a day on, keeping its instalment (it has a receipt)."""
    day = (local_today() - dt.timedelta(days=9)).isoformat()
    return {"instalments": [{"id": w.instalment[t], "due_date": day, "amount": "100000.00"}]}


def receipt_of(w: World, t: str) -> dict[str, Any]:
    return {"instalment": w.instalment[t], "received_at": local_today().isoformat(), "amount": "100.00"}


def with_contract(actor: str, owner: str) -> bool:
    """R1 for contracts and their money: every owner but the pool has one."""
    return owner != "pool" and sees_rows(actor, owner)


def receipt_form(w: World, t: str) -> dict[str, Any]:
    return {"action": "receipt", **receipt_of(w, t)}


#: The teams whose ledger each actor reads: a lead their team, the director theirs, an admin all.
LEDGER_TEAMS: dict[str, frozenset[str]] = {
    "lead_a": frozenset({"team_a"}), "lead_b": frozenset({"team_b"}), "lead_c": frozenset({"team_c"}),
    "director": frozenset({"team_a", "team_b"}), "admin": frozenset({"team_a", "team_b", "team_c"}),
}


def ledger_person(actor: str, person: str) -> bool:
    """A person's collection ledger: one's own, and that of the people one manages."""
    return actor == person or manages(actor, person)


def ledger_team(actor: str, team: str) -> bool:
    return team in LEDGER_TEAMS.get(actor, ())


def listed_in_ledger(actor: str, owner: str) -> bool:
    """The ledger lists the instalments of one person or one team; several teams' ledger lists none."""
    return actor not in ("admin", "director") and with_contract(actor, owner)


def row_version(model: str, pk: int) -> int:
    """The version of a person, a team or the rule settings as an editor read it (an edit sends it back)."""
    from django.apps import apps

    return apps.get_model(model).objects.filter(pk=pk).values_list("version", flat=True).first() or 1


def notification_pk(w: World, t: str) -> dict[str, Any]:
    return {"pk": w.notification[t]}


def reason(w: World, t: str) -> dict[str, Any]:
    return {"reason": "客户转交"}


def transfer(w: World, t: str) -> dict[str, Any]:
    return {"customers": [w.customer[t]], "to_user": w.people[TEAMMATE[t]], "reason": "客户转交"}


def to_teammate(w: World, t: str) -> dict[str, Any]:
    return {"to_user": w.people[TEAMMATE[t]]}


def to_teammate_with_reason(w: World, t: str) -> dict[str, Any]:
    return {"to_user": w.people[TEAMMATE[t]], "reason": "客户转交"}


def receiver_refused(actor: str, target: str | None, code: int) -> int:
    """R15: customers go only to someone the actor manages (R1), never to the actor themselves: else 400."""
    receiver = TEAMMATE.get(target or "", "")
    acting = ROLE.get(actor) in MANAGERS and code in (200, 302)
    return 400 if acting and not manages(actor, receiver) else code


def followup_of(w: World, t: str) -> dict[str, Any]:
    moment = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=30)
    return {"customer": w.customer[t], "contacted_at": moment.isoformat(), "channel": "phone", "key_points": "回访"}


def followup_form(w: World, t: str) -> dict[str, Any]:
    moment = dt.datetime.now(dt.UTC).astimezone() - dt.timedelta(minutes=30)
    return {"contacted_at": moment.strftime("%Y-%m-%dT%H:%M"), "channel": "phone", "key_points": "回访"}


def sheet(header: list[str], row: list[str]) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    text = ",".join(header) + "\n" + ",".join(row) + "\n"
    return SimpleUploadedFile("导入.csv", text.encode("utf-8"), content_type="text/csv")


def customer_sheet(w: World, t: str) -> dict[str, Any]:
    return {"file": sheet(["客户名称"], ["矩阵导入客户有限公司"])}


def followup_sheet(w: World, t: str) -> dict[str, Any]:
    from salesops.customers.models import Customer

    name = Customer.objects.filter(pk=w.customer[t]).values_list("name", flat=True).first() or MISSING_NAME
    when = (dt.datetime.now(dt.UTC).astimezone() - dt.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M")
    return {"file": sheet(["客户名称", "跟进时间", "方式", "沟通要点"], [name, when, "电话", "导入要点"])}


def owned(actor: str, owner: str) -> bool:
    """The owned part of the scope (customer lists show the pool only when asked, R15)."""
    return owner in ROWS_SEEN.get(actor, ())


def pool_only(actor: str, owner: str) -> bool:
    return owner == "pool"


def loggable(actor: str, owner: str) -> bool:
    """R11: a follow-up is logged on an owned customer in scope, never on one in the pool."""
    return owner != "pool" and sees_rows(actor, owner)


def active_person(actor: str, person: str) -> bool:
    return person not in ("inactive", "missing")


def claim(actor: str, target: str | None, code: int) -> int:
    """R15: a customer someone owns cannot be claimed (409), one's own neither."""
    return 409 if code == 200 and target != "pool" else code


def edit_pool(actor: str, target: str | None, code: int) -> int:
    """A rep edits their own customers; a pool customer only a manager may change."""
    return 403 if target == "pool" and ROLE.get(actor) not in MANAGERS and code == 200 else code


def author_only(actor: str, target: str | None, code: int) -> int:
    """R11: only the author changes or withdraws a follow-up record (in the world each is the owner's)."""
    return 403 if code < 400 and actor != target else code


def credentials_checked(actor: str, target: str | None, code: int) -> int:
    """Open to anyone, but a token that no longer works is refused (401), not ignored."""
    return 401 if actor == "inactive" else code


def login_page(actor: str, target: str | None, code: int) -> int:
    return 200 if actor in ("anonymous", "inactive") else 302


def token(actor: str, target: str | None, code: int) -> int:
    return 200 if target not in ("inactive", "missing") else 401


def task_pk(w: World, t: str) -> dict[str, Any]:
    return {"pk": w.task[t]}


def task_version(w: World, t: str) -> int:
    from salesops.tasks.models import Task

    return Task.objects.filter(pk=w.task[t]).values_list("version", flat=True).first() or 1


def new_task(w: World, t: str) -> dict[str, Any]:
    deadline = (dt.date.today() + dt.timedelta(days=5)).isoformat()
    return {"title": "矩阵新任务", "standard": "拜访照片", "deadline": deadline, "assignee": w.people[t]}


def proof_upload(w: World, t: str) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from salesops.testing.scope_world import PNG

    return {"file": SimpleUploadedFile("proof.png", PNG, content_type="image/png"), "kind": "visit_photo"}


def assigns(actor: str, target: str | None, code: int) -> int:
    """R16: a task goes to oneself or to someone one manages; a person seen but not managed is a 403."""
    return 403 if code == 201 and actor != target and not manages(actor, target or "") else code


def assignee_acts(actor: str, target: str | None, code: int) -> int:
    """R20: only the assignee adds proof, submits or reschedules; the world's tasks await approval (409)."""
    if code >= 400:
        return code
    return 409 if actor == target else 403


def decides(actor: str, target: str | None, code: int) -> int:
    """R20: nobody decides their own task; the world's tasks are self-assigned, so their managers decide."""
    return 403 if code < 400 and actor == target else code


def later(days: int) -> str:
    return (dt.date.today() + dt.timedelta(days=days)).isoformat()


def page_assignee_acts(actor: str, target: str | None, code: int) -> int:
    """The page form of ``assignee_acts``: the refusal of a state is a message on the task's page (302)."""
    return 403 if code == 302 and actor not in LOGGED_OUT and actor != target else code


def page_decides(actor: str, target: str | None, code: int) -> int:
    return 403 if code == 302 and actor == target else code


def page_assigns(actor: str, target: str | None, code: int) -> int:
    """R16 on the form: the assignee list holds oneself and the people one manages; another is refused."""
    if actor in LOGGED_OUT or actor == target or manages(actor, target or ""):
        return code
    return 400


def admin_paths(w: World) -> list[str]:
    from django.contrib import admin

    return ["/admin/"] + [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist") for model in admin.site._registry
    ]


# --- daily plans (R7) ---------------------------------------------------------------------------------------------

def plan_pk(w: World, t: str) -> dict[str, Any]:
    return {"pk": w.plan[t]}


def draft_plan_pk(w: World, t: str) -> dict[str, Any]:
    return {"pk": w.draft_plan[t]}


def resource_request_pk(w: World, t: str) -> dict[str, Any]:
    return {"pk": w.resource_request[t]}


def draft_version(w: World, t: str) -> int:
    from salesops.daily.plans.models import DailyPlan

    return DailyPlan.objects.filter(pk=w.draft_plan[t]).values_list("version", flat=True).first() or 1


def plan_materials(w: World, t: str) -> dict[str, Any]:
    return {"op": "materials", "materials": "产品手册", "version": draft_version(w, t)}


def new_plan(w: World, t: str) -> dict[str, Any]:
    return {"date": later(2), "materials": "样品"}


def request_of(w: World, t: str) -> dict[str, Any]:
    return {"plan": w.plan[t], "kind": "tech_support", "detail": "需要技术支持"}


def plan_owner_acts(actor: str, target: str | None, code: int) -> int:
    """R7: only the plan's person changes it, submits it and asks for resources; whoever else sees it: 403."""
    return 403 if code < 400 and actor not in LOGGED_OUT and actor != target else code

