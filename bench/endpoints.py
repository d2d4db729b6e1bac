"""The endpoints the harness times, in one list: a feature adds its pages and API here.

``path`` may name values the harness fills in for the actor who asks (``str.format``):
``{team}`` the actor's team (the director's and admin's: the rep's team), ``{rep}``, ``{lead}``,
``{director}``, ``{admin}`` the ids of the four actors, ``{today}`` (YYYY-MM-DD), ``{month}`` (YYYY-MM, the
month of today: a period word of API.md) and ``{year}``;
``{open_deal}`` a different open deal of the actor's for every request (a deal is won once).
An endpoint that answers 404 is skipped with a note (the feature is not built yet).

``method`` and ``data`` describe a write: the harness sends ``data`` as a JSON body (its strings
formatted like ``path``); every timed request creates a row, which is fine on benchmark data.

Customer ids: the harness times a fresh database, where the generator's first customer (id 1) is the
first generated rep's own first customer (``salesops/customers/demo_data.py``), so ``CUSTOMER`` is in
the rep's list, the lead's team and the director's and admin's scope.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

ACTORS = ("rep", "lead", "director", "admin")
MANAGERS = ("lead", "director")
CUSTOMER = 1


@dataclass(frozen=True)
class Endpoint:
    name: str
    path: str
    actors: tuple[str, ...] = ACTORS
    method: str = "GET"
    data: dict[str, Any] = field(default_factory=dict)


ENDPOINTS = [
    Endpoint("me", "/api/me/"),
    Endpoint("users", "/api/users/"),
    Endpoint("teams", "/api/teams/"),
    Endpoint("people page", "/people/"),
    Endpoint("home page", "/"),
    Endpoint("day board page", "/day/?team={team}", actors=(*MANAGERS, "admin")),  # ≤ 25 ms median
    Endpoint("calendar", "/api/calendar/?year={year}"),
    # Customers and follow-ups (R8-R12, R15): the pages reps live in, and the speed targets of the issue.
    Endpoint("customer list", "/api/customers/"),
    Endpoint("customer list: A, overdue", "/api/customers/?grade=A&overdue=true", actors=("rep", "lead")),
    Endpoint("customer list: team", "/api/customers/?team={team}&grade=B", actors=MANAGERS),
    Endpoint("customer list page", "/customers/"),
    Endpoint("customer detail", f"/api/customers/{CUSTOMER}/"),
    Endpoint("customer detail page", f"/customers/{CUSTOMER}/"),
    Endpoint("customer history", f"/api/customers/{CUSTOMER}/history/", actors=("rep", "lead")),
    # Searches by any part (R15): the common kind, two characters of a firm's name (字号, here a generated
    # brand) and the last four digits of a phone; then broad parts, the costly kind: each matches about a
    # tenth of all customers, hundreds of the rep's own (generated names start with a city, landlines with
    # its area code), thousands to tens of thousands for a director or the admin, whose lists count only up to
    # core.paging.COUNT_CAP. The pool search types three characters of a name, as a rep looking for one
    # company does.
    Endpoint("search: name part", f"/api/customers/?q={quote('聚凯')}"),
    Endpoint("search: last 4 digits", "/api/customers/?q=1234"),
    Endpoint("search: name prefix", f"/api/customers/?q={quote('上海')}"),
    Endpoint("search: phone prefix", "/api/customers/?q=021"),
    Endpoint("search: pinyin initials", "/api/customers/?q=sh"),
    Endpoint("search: list page", f"/customers/?q={quote('上海')}"),
    Endpoint("search: pool", f"/api/customers/?pool=true&q={quote('深圳嘉')}", actors=("rep",)),
    Endpoint("pool page", "/pool/", actors=("rep",)),
    Endpoint("due today page", "/today/", actors=("rep", "lead")),
    Endpoint("due today list", "/api/customers/?due_today=true", actors=("rep", "lead")),
    Endpoint("team overdue page", "/team/overdue/", actors=MANAGERS),
    # Collections (R13, R21): the ledger per rep, team and organisation, its sheet, overdue instalments.
    Endpoint("collection ledger page", "/collections/"),
    Endpoint("collection ledger: a team", "/collections/?team={team}", actors=("director", "admin")),
    Endpoint("collection ledger (xlsx)", "/collections/ledger.xlsx", actors=("lead",)),
    Endpoint("instalments: overdue", "/api/instalments/?overdue=true", actors=("rep", "lead")),
    Endpoint("payments", "/api/payments/", actors=("rep", "lead")),
    Endpoint("follow-ups of a customer", f"/api/followups/?customer={CUSTOMER}", actors=("rep", "lead")),
    Endpoint(
        "follow-up create",
        "/api/followups/",
        actors=("rep",),
        method="POST",
        data={
            "customer": CUSTOMER,
            "contacted_at": "{today}T00:05:00+08:00",
            "channel": "phone",
            "key_points": "电话沟通，确认交付周期和安装安排",
            "feedback": "希望四周内到货",
            "next_step": "下周二前发送修改后的报价单",
        },
    ),
    Endpoint("customer export (xlsx)", "/api/customers/export/?format=xlsx", actors=("rep",)),
    # Tasks (R16, R20): the targets are 25 ms median, 60 ms p95 and at most 15 queries for my tasks
    # and the approval queue (1,000 tasks per rep at every scale, 1,000,000 at L).
    Endpoint("my tasks page", "/tasks/", actors=("rep", "lead")),
    Endpoint("approval queue page", "/tasks/approvals/", actors=(*MANAGERS, "admin")),
    Endpoint("task list: mine, open", "/api/tasks/?assignee={rep}&status=open", actors=("rep", "lead")),
    Endpoint("task list: overdue", "/api/tasks/?overdue=true", actors=("rep", "lead", "director")),
    Endpoint("task list: awaiting approval", "/api/tasks/?status=submitted", actors=MANAGERS),
    # Deals (R13): the list (≤ 25 ms median, ≤ 60 ms p95) and a team's pipeline board (≤ 40 ms median).
    Endpoint("deal list", "/api/deals/"),
    Endpoint("deal list: open, team", "/api/deals/?status=open&team={team}", actors=MANAGERS),
    Endpoint("deal list page", "/deals/"),
    Endpoint("pipeline board: rep", "/deals/board/", actors=("rep",)),
    Endpoint("pipeline board: team", "/deals/board/?team={team}", actors=MANAGERS),
    Endpoint("contract list", "/api/contracts/"),
    # KPIs (R21-R24): this month's figures against targets and the previous month, with each member's figures
    # and the anomalies; a team's ≤ 50 ms median, the organisation's (every rep and lead listed) ≤ 300 ms at L.
    Endpoint("KPIs: team month", "/api/kpis/?scope=team:{team}&period={month}", actors=(*MANAGERS, "admin")),
    Endpoint("KPIs: organisation month", "/api/kpis/?scope=org&period={month}", actors=("admin",)),
    Endpoint("KPIs: person month", "/api/kpis/?scope=user:{rep}&period={month}", actors=("rep", "lead")),
    # The team's day (R17, R5, R6): the rep's summary page and its pre-fill (≤ 25 ms median), the lead's
    # summaries of the team, the summary list and the team's problems and success cases.
    Endpoint("summary page", "/summaries/today/", actors=("rep",)),
    Endpoint("summary pre-fill", "/api/daily-summaries/prefill/", actors=("rep",)),
    Endpoint("team summaries page", "/summaries/team/?team={team}", actors=MANAGERS),
    Endpoint("summary list: team, today", "/api/daily-summaries/?team={team}&date={today}", actors=MANAGERS),
    Endpoint("problems page", "/problems/", actors=("rep", "lead")),
    Endpoint("problem list: team, open", "/api/problems/?team={team}&status=open", actors=("rep", "lead")),
    Endpoint("success cases", "/api/success-cases/?team={team}", actors=("rep", "lead")),
    # R13 win: the contract, the post-win tasks and their history in one request (≤ 50 ms median)
    Endpoint(
        "deal win", "/api/deals/{open_deal}/win/", actors=("rep",), method="POST",
        data={"signed_at": "{today}", "amount": "120000.00"},
    ),
    # Daily plans (R7): the pre-filled new plan, today's plan page and the team's plans of the day (≤ 25 ms
    # median); two years of plans per rep (500,000 at L).
    Endpoint("plan pre-fill page", "/plans/new/", actors=("rep",)),
    Endpoint("plan page", "/plans/", actors=("rep",)),
    Endpoint("team plans page", "/plans/team/?team={team}&date={today}", actors=(*MANAGERS, "admin")),
    Endpoint("plan list: team, day", "/api/daily-plans/?team={team}&date={today}", actors=MANAGERS),
    Endpoint("resource requests: open", "/api/resource-requests/?status=open", actors=MANAGERS),
    # Targets (R22) and the team's day: daily targets (R4), lag alerts (R19)
    Endpoint("target list: month", "/api/targets/?period_kind=month"),
    Endpoint("target list: a team", "/api/targets/?scope=team:{team}", actors=MANAGERS),
    Endpoint("targets grid page", "/targets/?team={team}", actors=MANAGERS),
    Endpoint("daily targets of a team", "/api/daily-targets/?team={team}&date={today}"),
    Endpoint("daily targets suggestion", "/api/daily-targets/suggestion/?team={team}&date={today}", actors=MANAGERS),
    Endpoint("daily targets page", "/daily/targets/?team={team}&date={today}", actors=("rep", *MANAGERS)),
    Endpoint("lag alerts page", "/daily/lag/", actors=MANAGERS),
    # The team's day (R3, R18): a team's morning brief ≤ 60 ms median, the weekly review ≤ 100 ms; the brief
    # is worked out when no stored one exists (the bench database has not run morning_brief).
    Endpoint("morning brief", "/api/briefs/?team={team}"),
    Endpoint("morning brief page", "/briefs/?team={team}", actors=("lead",)),
    Endpoint("morning brief: meeting view", "/briefs/meeting/?team={team}", actors=("lead",)),
    Endpoint("weekly review", "/api/weekly-reviews/?team={team}"),
    Endpoint("weekly review page", "/reviews/weekly/?team={team}", actors=("lead",)),
]
