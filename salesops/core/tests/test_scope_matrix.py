"""R1 scope matrix: every URL pattern of the project × every actor, generated from the URL conf.

``test_every_pattern_is_declared`` walks ``get_resolver()`` and fails for a pattern without an entry in
``ROUTES`` below (and for an entry no pattern has any more), so a new endpoint joins the matrix or fails.
``test_route`` then calls each declared method of each pattern as each actor of ``ACTORS`` (admin,
director, three leads, four reps of three teams, a person who left, nobody logged in) on the objects of
several owners, and checks the status and that the body shows nothing outside the actor's scope (no
other owner's customer name, follow-up or notification: lists, searches, exports, feeds, errors alike).

How to declare a pattern: its key is the public path with {placeholders}, its value one ``Call`` per
method (``get``, ``post``, ``patch``, ``delete`` from ``salesops.testing.scope_matrix``):

    "/api/deals/{pk}/": (
        get(args=customer_pk, targets=OBJECTS),                  # seen → 200, unseen → 404
        patch(args=customer_pk, targets=OBJECTS, data=lambda w, t: {"title": "新"}, may=MANAGERS),
    ),

- ``args(world, target)`` gives the placeholders for the object of ``target`` (an owner such as
  "rep_a1", "pool", or "missing" for an id nobody has); ``targets`` lists the owners to try. A new kind of
  object is added to ``build_world`` in ``salesops/testing/scope_matrix.py`` with a marker (a name no
  other row holds) in ``World.markers`` and its scope in ``MARKER_SCOPE``.
- ``may`` the roles that may act (others get ``denied``, 403); ``sees(actor, target)`` whether the actor
  sees the target (default R1 rows: ``ROWS_SEEN`` plus the pool; else 404); ``scope_first`` when the
  404 comes before the 403; ``ok`` the success code (201, 204, 302 for a page's POST);
  ``query``/``data`` the query string and body; ``public`` for what anyone may call.
- ``shows=(kind, scope)``: a list that must show every row of that kind the scope gives the actor.
- ``answer(actor, target, code)`` has the last word where a rule says more than scope and role.
Anonymous and inactive actors get 401 from the API and a redirect to the login page from pages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Generator
from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings

from salesops.core.tests.scope_routes_brief import BRIEF_ROUTES
from salesops.core.tests.scope_routes_summaries import SUMMARY_ROUTES
from salesops.core.tests.scope_targets import (
    NOTES,
    OBJECTS,
    PEOPLE,
    TEAMS,
    TOKENS,
    WITH_POOL,
    active_person,
    admin_paths,
    assignee_acts,
    assigns,
    author_only,
    claim,
    contact_pk,
    contract_pk,
    credentials_checked,
    customer_id,
    customer_pk,
    customer_sheet,
    deal_pk,
    deal_version,
    decides,
    draft_plan_pk,
    draft_version,
    edit_pool,
    first_loss_reason,
    followup_form,
    followup_of,
    followup_pk,
    followup_sheet,
    instalment_pk,
    later,
    ledger_person,
    ledger_team,
    listed_in_ledger,
    loggable,
    login_page,
    new_plan,
    new_task,
    notification_pk,
    owned,
    page_assignee_acts,
    page_assigns,
    page_decides,
    page_reopened_by_a_manager,
    payment_pk,
    person_pk,
    photo_pk,
    plan_keeping,
    plan_materials,
    plan_owner_acts,
    plan_pk,
    pool_only,
    proof_upload,
    reason,
    receipt_form,
    receipt_of,
    receiver_refused,
    reopened_by_a_manager,
    request_of,
    resource_request_pk,
    row_version,
    signed_scan,
    task_pk,
    task_version,
    team_pk,
    to_teammate,
    to_teammate_with_reason,
    token,
    transfer,
    version,
    with_contract,
    won_deal_pk,
)
from salesops.core.tests.scope_targets_day import (
    day_split,
    day_split_form,
    lag_alert_pk,
    lag_talk,
    lag_talk_form,
    lag_talk_pk,
    new_target,
    sheet_refused,
    target_change,
    target_pk,
    target_sheet,
    team_query,
)
from salesops.testing.factories import TEST_PASSWORD
from salesops.testing.scope_matrix import (
    ACTORS,
    ADMINS,
    MANAGERS,
    OWNER_ROLES,
    ROLE,
    TEAM_A,
    TEAM_B,
    TEAM_C,
    TEAMS_SEEN,
    Call,
    delete,
    get,
    manages,
    own,
    patch,
    post,
    run,
    sees_person,
    sees_rows,
    sees_team,
    url_keys,
)
from salesops.testing.scope_world import MISSING_ID, World, build_world

# --- the declaration ----------------------------------------------------------------------------------------------

ROUTES: dict[str, Call | tuple[Call, ...]] = {
    # core, accounts, organisation (pages)
    "/": get(),
    "/day/": (  # the lead's day board: their team, or a team of theirs picked
        get(may=MANAGERS),
        get(query=lambda w, t: {"team": w.teams[t]}, targets=TEAMS, sees=sees_team, may=MANAGERS),
    ),
    "/health/": get(public=True),
    "/favicon.ico": get(public=True, ok=302),  # to the static icon
    "/login/": get(public=True, answer=login_page),
    "/logout/": post(public=True, ok=302),
    "/account/": get(),
    "/account/language/": post(public=True, ok=302, data=lambda w, t: {"language": "en"}),
    "/account/password/": get(),
    "/account/tokens/{key}/revoke/": post(args=lambda w, t: {"key": w.api_token[t]}, targets=TOKENS, sees=own,
                                          ok=302),
    "/people/": get(),
    "/people/{pk}/deactivate/": (
        get(args=person_pk, targets=("lead_b", "missing"), sees=sees_person, may=ADMINS),
        post(args=person_pk, targets=("lead_b", "missing"), sees=sees_person, may=ADMINS, ok=302,
             data=lambda w, t: {"move_to": "pool"}),
    ),
    "/setup/": get(may=ADMINS, ok=302),  # finished set-up: the admin is sent home
    "/settings/rules/": (get(), post(may=ADMINS, ok=400)),  # the admin reaches the form (empty: refused)
    "/settings/calendar/": (get(), post(may=ADMINS, ok=400)),
    "/admin/": get(paths=admin_paths, may=ADMINS, denied=302, login="/admin/login/"),
    # customers (pages)
    "/customers/": get(shows=("customer", owned)),
    "/customers/new/": (get(), post(ok=302, data=lambda w, t: {"name": "矩阵新建客户有限公司", "status": "lead"})),
    "/customers/{pk}/": get(args=customer_pk, targets=WITH_POOL),
    "/customers/{pk}/edit/": (
        get(args=customer_pk, targets=WITH_POOL, answer=edit_pool),
        post(args=customer_pk, targets=OBJECTS, ok=302,
             data=lambda w, t: {"name": f"矩阵{t}有限公司", "status": "lead", "version": version(w, t)}),
    ),
    "/customers/{pk}/delete/": post(args=customer_pk, targets=OBJECTS, ok=302),
    "/customers/{pk}/contacts/": post(args=customer_pk, targets=OBJECTS, ok=302, data=lambda w, t: {"name": "新人"}),
    "/customers/{pk}/contacts/{contact_id}/delete/": post(args=contact_pk, targets=OBJECTS, ok=302),
    "/customers/{pk}/release/": (  # the confirm page; a pool customer's sends back to its page (R15)
        get(args=customer_pk, targets=WITH_POOL, answer=lambda a, t, c: 302 if t == "pool" and c == 200 else c),
        post(args=customer_pk, targets=OBJECTS, ok=302, data=reason),
    ),
    "/customers/transfer/": (
        get(may=MANAGERS, shows=("customer", owned)),
        post(may=MANAGERS, ok=302, targets=OBJECTS, data=transfer,
             answer=receiver_refused),
    ),
    "/customers/{pk}/transfer/": (
        get(args=customer_pk, targets=WITH_POOL, may=MANAGERS, scope_first=True),
        post(args=customer_pk, targets=WITH_POOL, may=MANAGERS, scope_first=True, ok=302,
             data=to_teammate_with_reason, answer=receiver_refused),
    ),
    "/customers/import/": (get(), post(ok=200, data=lambda w, t: {"kind": "customers", "action": "check",
                                                                    **customer_sheet(w, t)})),
    "/customers/import/template/{kind}.xlsx": get(args=lambda w, t: {"kind": "customers"}),
    "/customers/import/{pk}/skipped.xlsx": get(args=lambda w, t: {"pk": w.import_batch[t]}, targets=NOTES, sees=own),
    "/pool/": get(shows=("customer", pool_only)),
    "/pool/{pk}/claim/": post(args=customer_pk, targets=WITH_POOL, ok=302, denied=302, may=OWNER_ROLES,
                              scope_first=True),
    # follow-ups (pages)
    "/today/": get(shows=("customer", own)),
    "/customers/{customer_id}/followup/": (
        get(args=customer_id, targets=WITH_POOL, sees=loggable),
        post(args=customer_id, targets=OBJECTS, sees=loggable, ok=302, data=followup_form),
    ),
    "/team/overdue/": get(may=MANAGERS),
    "/help/metrics/": get(),
    "/collections/": (
        get(shows=("customer", listed_in_ledger)),
        get(query=lambda w, t: {"person": w.people[t]}, targets=PEOPLE, sees=ledger_person),
        get(query=lambda w, t: {"team": w.teams[t]}, targets=TEAMS, sees=ledger_team),
    ),
    "/collections/ledger.xlsx": (
        get(),
        get(query=lambda w, t: {"person": w.people[t]}, targets=PEOPLE, sees=ledger_person),
    ),
    "/contracts/{pk}/collections/": (
        get(args=contract_pk, targets=OBJECTS),
        post(args=contract_pk, targets=OBJECTS, ok=302, data=receipt_form),
    ),
    "/followups/photos/{pk}/": get(args=photo_pk, targets=OBJECTS),
    "/account/calendar/": (get(), post(ok=302)),
    "/calendar/{secret}.ics": get(body_scope=own,
        args=lambda w, t: {"secret": w.feed[t]}, targets=("rep_a1", "lead_a", "inactive", "missing"), public=True,
        sees=active_person, viewer_is_target=True, shows=("customer", own),
    ),
    # deals (pages)
    "/deals/": get(shows=("deal", sees_rows)),
    "/deals/board/": get(query=lambda w, t: {"status": "open"}),
    "/deals/new/": (
        get(query=lambda w, t: {"customer": w.customer[t]}, targets=OBJECTS),
        post(query=lambda w, t: {"customer": w.customer[t]}, targets=OBJECTS, ok=302,
             data=lambda w, t: {"title": "矩阵页面商机", "stage": "contact", "amount": "1.00"}),
    ),
    "/deals/{pk}/": get(args=deal_pk, targets=OBJECTS),
    "/deals/{pk}/edit/": (
        get(args=deal_pk, targets=OBJECTS),
        post(args=deal_pk, targets=OBJECTS, ok=302,
             data=lambda w, t: {"title": "页面改名", "amount": "2.00", "version": deal_version(w, t)}),
    ),
    "/deals/{pk}/stage/": post(args=deal_pk, targets=OBJECTS, ok=302, data=lambda w, t: {"stage": "needs"}),
    "/deals/{pk}/win/": post(args=deal_pk, targets=OBJECTS, ok=302,
                             data=lambda w, t: {"signed_at": dt.date.today().isoformat(), "amount": "5.00"}),
    "/deals/{pk}/lose/": post(args=deal_pk, targets=OBJECTS, ok=302, data=first_loss_reason),
    "/deals/{pk}/reopen/": post(args=won_deal_pk, targets=OBJECTS, ok=302, data=lambda w, t: {"reason": "重谈"},
                                answer=page_reopened_by_a_manager),
    "/contracts/": get(shows=("contract", sees_rows)),
    "/contracts/{pk}/": (
        get(args=contract_pk, targets=OBJECTS),
        post(args=contract_pk, targets=OBJECTS, ok=302, data=signed_scan),
    ),
    "/contracts/{pk}/scan/": get(args=contract_pk, targets=OBJECTS, answer=lambda a, t, c: 404 if c == 200 else c),
    # notifications (pages)
    "/inbox/": get(shows=("notification", own)),
    "/inbox/read-all/": post(ok=302),
    "/inbox/{pk}/read/": post(args=notification_pk, targets=NOTES, sees=own, ok=302),
    # accounts (API)
    "/api/auth/token/": post(
        public=True, targets=("rep_a1", "inactive", "missing"), answer=token,
        data=lambda w, t: {"username": t, "password": TEST_PASSWORD},
    ),
    "/api/me/": (get(), patch(data=lambda w, t: {"phone": "13800000000"})),
    "/api/teams/": (get(), post(may=ADMINS, ok=201, data=lambda w, t: {"name": "矩阵新组"})),
    "/api/teams/{pk}/": (
        get(args=team_pk, targets=TEAMS, sees=sees_team),
        patch(args=team_pk, targets=TEAMS, sees=sees_team, may=ADMINS,
              data=lambda w, t: {"name": f"改名{t}", "version": row_version("accounts.Team", w.teams[t])}),
    ),
    # the admin reaches the rule: a team with active members is not closed (400)
    "/api/teams/{pk}/close/": post(args=team_pk, targets=TEAMS, sees=sees_team, may=ADMINS, ok=400),
    "/api/users/": (
        get(),
        post(may=ADMINS, ok=201, data=lambda w, t: {
            "username": "matrix_new", "password": TEST_PASSWORD, "display_name": "新同事", "role": "rep",
            "team": w.teams["team_a"]}),
    ),
    "/api/users/{pk}/": (
        get(args=person_pk, targets=(*PEOPLE, "inactive"), sees=sees_person),
        patch(args=person_pk, targets=PEOPLE, sees=sees_person, may=ADMINS,
              data=lambda w, t: {"phone": "13900000000", "version": row_version("accounts.User", w.people[t])}),
    ),
    # R15: the leaver's customers go to the pool (without a choice, someone who owns customers is refused)
    "/api/users/{pk}/deactivate/": post(args=person_pk, targets=("lead_b", "missing"), sees=sees_person, may=ADMINS,
                                        data=lambda w, t: {"move_to": "pool"}),
    "/api/users/{pk}/reactivate/": post(args=person_pk, targets=("inactive", "missing"), sees=sees_person,
                                        may=ADMINS),
    "/api/users/{pk}/reassign/": post(args=person_pk, targets=OBJECTS, sees=sees_person, may=MANAGERS,
                                      data=to_teammate, answer=lambda a, t, c: 403 if c == 200 and not manages(a, t)
                                      else receiver_refused(a, t, c)),
    # organisation (API)
    "/api/settings/rules/": (get(), patch(may=ADMINS,
                                          data=lambda w, t: {"version": row_version("organisation.RuleSettings", 1)})),
    "/api/calendar/": get(query=lambda w, t: {"year": 2026}),
    "/api/calendar/days/": (
        get(),
        post(may=ADMINS, ok=201, data=lambda w, t: {"date": "2026-12-31", "kind": "day_off", "note": "年终"}),
    ),
    "/api/calendar/days/{date}/": (
        get(args=lambda w, t: {"date": w.calendar_day}),
        delete(args=lambda w, t: {"date": w.calendar_day}, may=ADMINS, ok=204),
    ),
    "/api/calendar/workdays/": get(query=lambda w, t: {"start": "2026-10-01", "end": "2026-10-31"}),
    "/api/calendar/next-workday/": get(query=lambda w, t: {"date": "2026-09-30"}),
    "/api/jobs/": get(may=ADMINS),
    "/api/jobs/{name}/run/": post(args=lambda w, t: {"name": w.job}, may=ADMINS),
    "/api/schema/": get(public=True, answer=credentials_checked),
    "/api/docs/": get(public=True, answer=credentials_checked),
    # customers (API)
    "/api/customers/": (
        get(shows=("customer", owned)),
        get(query=lambda w, t: {"pool": "true"}, shows=("customer", pool_only)),
        post(ok=201, data=lambda w, t: {"name": "矩阵接口客户有限公司"}),
    ),
    "/api/customers/{pk}/": (
        get(args=customer_pk, targets=WITH_POOL),
        patch(args=customer_pk, targets=OBJECTS, data=lambda w, t: {"address": "上海市", "version": version(w, t)}),
    ),
    "/api/customers/{pk}/history/": get(args=customer_pk, targets=OBJECTS),
    "/api/customers/{pk}/contacts/": (
        get(args=customer_pk, targets=OBJECTS),
        post(args=customer_pk, targets=OBJECTS, ok=201, data=lambda w, t: {"name": "新联系人"}),
    ),
    "/api/customers/{pk}/contacts/{contact_id}/": patch(args=contact_pk, targets=OBJECTS,
                                                        data=lambda w, t: {"title": "总经理", "version": 1}),
    "/api/customers/{pk}/contacts/{contact_id}/deactivate/": post(args=contact_pk, targets=OBJECTS),
    "/api/customers/{pk}/deactivate/": post(args=customer_pk, targets=OBJECTS),
    "/api/customers/{pk}/merge/": post(args=customer_pk, targets=OBJECTS, may=MANAGERS,
                                       data=lambda w, t: {"other": w.spare[t]}),
    "/api/customers/{pk}/claim/": post(args=customer_pk, targets=WITH_POOL, may=OWNER_ROLES, scope_first=True,
                                       answer=claim),
    "/api/customers/{pk}/release/": post(args=customer_pk, targets=OBJECTS, data=reason),
    "/api/customers/transfer/": post(targets=OBJECTS, may=MANAGERS, data=transfer, answer=receiver_refused),
    "/api/customers/import/": post(query=lambda w, t: {"dry_run": "1"}, data=customer_sheet, multipart=True),
    "/api/customers/export/": get(shows=("customer", owned)),
    # follow-ups (API)
    "/api/followups/": (
        get(shows=("followup", sees_rows)),
        post(targets=WITH_POOL, sees=loggable, ok=201, data=followup_of),
    ),
    "/api/followups/{pk}/": (
        get(args=followup_pk, targets=OBJECTS),
        patch(args=followup_pk, targets=OBJECTS, data=lambda w, t: {"feedback": "满意", "version": 1},
              answer=author_only),
        delete(args=followup_pk, targets=OBJECTS, ok=204, answer=author_only),
    ),
    "/api/followups/compliance/": (
        get(targets=("rep_a1", "rep_a2", "rep_b1", "rep_c1", "missing"), query=lambda w, t: {
            "scope": f"user:{w.people[t]}"}),
        get(targets=TEAMS, sees=lambda a, t: t in TEAMS_SEEN.get(a, ()) and ROLE[a] != "rep",
            query=lambda w, t: {"scope": f"team:{w.teams[t]}"}),
        get(may=ADMINS, query=lambda w, t: {"scope": "org"}),
    ),
    "/api/kpis/": (
        get(targets=("rep_a1", "rep_a2", "rep_b1", "rep_c1", "missing"), query=lambda w, t: {
            "scope": f"user:{w.people[t]}"}),
        get(targets=TEAMS, sees=lambda a, t: t in TEAMS_SEEN.get(a, ()) and ROLE[a] != "rep",
            query=lambda w, t: {"scope": f"team:{w.teams[t]}"}),
        get(may=ADMINS, query=lambda w, t: {"scope": "org"}),
    ),
    "/api/followups/import/": post(targets=OBJECTS, sees=loggable, ok=201, data=followup_sheet, multipart=True,
                                   answer=lambda a, t, c: 400 if c == 404 else c),
    "/api/followups/export/": get(shows=("followup", sees_rows)),
    "/api/me/tokens/": get(shows=("api_token", own)),
    "/api/me/tokens/{key}/": delete(args=lambda w, t: {"key": w.api_token[t]}, targets=TOKENS, sees=own, ok=204),
    # collections (API)
    "/api/contracts/{pk}/instalments/": (
        get(args=contract_pk, targets=OBJECTS),
        Call(method="put", args=contract_pk, targets=OBJECTS, data=plan_keeping),
    ),
    "/api/instalments/": get(shows=("customer", with_contract)),
    "/api/instalments/{pk}/": get(args=instalment_pk, targets=OBJECTS),
    "/api/payments/": (
        get(shows=("customer", with_contract)),
        post(targets=OBJECTS, ok=201, data=receipt_of),
    ),
    "/api/payments/{pk}/": (
        get(args=payment_pk, targets=OBJECTS),
        delete(args=payment_pk, targets=OBJECTS, ok=204),
    ),
    # tasks (pages, API)
    "/tasks/": get(shows=("task", own)),
    "/tasks/approvals/": get(may=MANAGERS),
    "/tasks/new/": (
        get(),
        post(targets=PEOPLE, sees=lambda a, t: a == t or manages(a, t), ok=302, answer=page_assigns, data=new_task),
    ),
    "/tasks/{pk}/": get(args=task_pk, targets=OBJECTS),
    "/tasks/{pk}/proofs/": post(args=task_pk, targets=OBJECTS, data=proof_upload, multipart=True, ok=302,
                                answer=page_assignee_acts),
    "/tasks/{pk}/submit/": post(args=task_pk, targets=OBJECTS, ok=302, answer=page_assignee_acts),
    "/tasks/{pk}/reschedule/": post(args=task_pk, targets=OBJECTS, ok=302, answer=page_assignee_acts,
                                    data=lambda w, t: {"checkpoint": later(5), "reason": "客户出差"}),
    "/tasks/{pk}/approve/": post(args=task_pk, targets=OBJECTS, ok=302, answer=page_decides),
    "/tasks/{pk}/reject/": post(args=task_pk, targets=OBJECTS, ok=302, answer=page_decides,
                                data=lambda w, t: {"comment": "照片不清楚"}),
    "/tasks/proofs/{pk}/": get(args=lambda w, t: {"pk": w.proof[t]}, targets=OBJECTS),
    "/api/tasks/": (
        get(shows=("task", sees_rows)),
        post(targets=PEOPLE, sees=sees_person, ok=201, data=new_task, answer=assigns),
    ),
    "/api/tasks/{pk}/": (
        get(args=task_pk, targets=OBJECTS),
        patch(args=task_pk, targets=OBJECTS, data=lambda w, t: {"title": "改过的任务", "version": task_version(w, t)}),
    ),
    "/api/tasks/{pk}/proofs/": post(args=task_pk, targets=OBJECTS, data=proof_upload, multipart=True,
                                    answer=assignee_acts),
    "/api/tasks/{pk}/submit/": post(args=task_pk, targets=OBJECTS, answer=assignee_acts),
    "/api/tasks/{pk}/reschedule/": post(args=task_pk, targets=OBJECTS, answer=assignee_acts, data=lambda w, t: {
        "checkpoint": (dt.date.today() + dt.timedelta(days=5)).isoformat(), "reason": "客户出差"}),
    "/api/tasks/{pk}/approve/": post(args=task_pk, targets=OBJECTS, answer=decides),
    "/api/tasks/{pk}/reject/": post(args=task_pk, targets=OBJECTS, answer=decides,
                                    data=lambda w, t: {"comment": "照片不清楚"}),
    # deals (API)
    "/api/deals/": (
        get(shows=("deal", sees_rows)),
        post(targets=OBJECTS, ok=201, data=lambda w, t: {"customer": w.customer[t], "title": "矩阵商机",
                                                         "amount": "1.00"}),
    ),
    "/api/deals/{pk}/": (
        get(args=deal_pk, targets=OBJECTS),
        patch(args=deal_pk, targets=OBJECTS, data=lambda w, t: {"title": "改名", "version": deal_version(w, t)}),
    ),
    "/api/deals/{pk}/history/": get(args=deal_pk, targets=OBJECTS),
    "/api/deals/{pk}/stage/": post(args=deal_pk, targets=OBJECTS, data=lambda w, t: {"stage": "needs"}),
    "/api/deals/{pk}/win/": post(args=deal_pk, targets=OBJECTS,
                                 data=lambda w, t: {"signed_at": dt.date.today().isoformat(), "amount": "5.00"}),
    "/api/deals/{pk}/lose/": post(args=deal_pk, targets=OBJECTS, data=first_loss_reason),
    "/api/deals/{pk}/reopen/": post(args=won_deal_pk, targets=OBJECTS, data=lambda w, t: {"reason": "重谈"},
                                    answer=reopened_by_a_manager),
    "/api/contracts/": get(shows=("contract", sees_rows)),
    "/api/contracts/{pk}/": get(args=contract_pk, targets=OBJECTS),
    "/api/contracts/{pk}/file/": post(args=contract_pk, targets=OBJECTS, data=signed_scan, multipart=True),
    "/api/stage-probabilities/": get(),
    "/api/stage-probabilities/{stage}/": (
        get(args=lambda w, t: {"stage": "needs"}),
        patch(args=lambda w, t: {"stage": "needs"}, may=ADMINS, data=lambda w, t: {"probability": 35}),
    ),
    "/api/loss-reasons/": get(),
    # targets (API)
    "/api/targets/": (
        get(),
        post(targets=OBJECTS, data=new_target, sees=sees_person, may=MANAGERS, scope_first=True, ok=201),
    ),
    "/api/targets/export/": get(),
    "/api/targets/import/": post(targets=OBJECTS, sees=sees_person, may=MANAGERS, scope_first=True, ok=201,
                                 data=target_sheet, multipart=True, answer=sheet_refused),
    "/api/targets/{pk}/": (
        get(args=target_pk, targets=OBJECTS),
        patch(args=target_pk, targets=OBJECTS, data=target_change, may=MANAGERS, scope_first=True),
        delete(args=target_pk, targets=OBJECTS, may=MANAGERS, scope_first=True, ok=204),
    ),
    # daily plans (R7: pages, API)
    "/plans/": get(),
    "/plans/new/": (get(), post(ok=302)),  # made, or (one per day) the one made already
    "/plans/team/": (
        get(may=MANAGERS),
        get(query=lambda w, t: {"team": w.teams[t]}, targets=TEAMS, sees=sees_team, may=MANAGERS),
    ),
    "/plans/{pk}/": get(args=plan_pk, targets=OBJECTS),
    "/plans/{pk}/edit/": post(args=draft_plan_pk, targets=OBJECTS, ok=302, data=plan_materials,
                              answer=plan_owner_acts),
    "/plans/{pk}/requests/": post(args=plan_pk, targets=OBJECTS, ok=302, answer=plan_owner_acts,
                                  data=lambda w, t: {"kind": "samples", "detail": "样品"}),
    "/plans/{pk}/submit/": post(args=draft_plan_pk, targets=OBJECTS, ok=302, answer=plan_owner_acts,
                                data=lambda w, t: {"version": draft_version(w, t)}),
    "/plans/{pk}/approve/": post(args=plan_pk, targets=OBJECTS, ok=302, answer=page_decides),
    "/plans/{pk}/return/": post(args=plan_pk, targets=OBJECTS, ok=302, answer=page_decides,
                                data=lambda w, t: {"comment": "路线太远"}),
    "/plans/{pk}/print/": get(args=plan_pk, targets=OBJECTS),
    "/plans/{pk}/plan.xlsx": get(args=plan_pk, targets=OBJECTS),
    "/plans/requests/{pk}/fulfil/": post(args=resource_request_pk, targets=OBJECTS, ok=302, answer=page_decides),
    "/plans/requests/{pk}/decline/": post(args=resource_request_pk, targets=OBJECTS, ok=302, answer=page_decides,
                                          data=lambda w, t: {"comment": "样品已用完"}),
    "/api/daily-plans/": (get(shows=("plan", sees_rows)), post(ok=201, data=new_plan)),
    "/api/daily-plans/{pk}/": (
        get(args=plan_pk, targets=OBJECTS),
        patch(args=draft_plan_pk, targets=OBJECTS, answer=plan_owner_acts,
              data=lambda w, t: {"materials": "资料", "version": draft_version(w, t)}),
    ),
    "/api/daily-plans/{pk}/submit/": post(args=draft_plan_pk, targets=OBJECTS, answer=plan_owner_acts),
    "/api/daily-plans/{pk}/optimise-route/": post(args=draft_plan_pk, targets=OBJECTS, answer=plan_owner_acts),
    "/api/daily-plans/{pk}/approve/": post(args=plan_pk, targets=OBJECTS, answer=decides),
    "/api/daily-plans/{pk}/return/": post(args=plan_pk, targets=OBJECTS, answer=decides,
                                          data=lambda w, t: {"comment": "路线太远"}),
    "/api/resource-requests/": (
        get(shows=("plan", sees_rows)),
        post(targets=OBJECTS, ok=201, data=request_of, answer=plan_owner_acts),
    ),
    "/api/resource-requests/{pk}/": get(args=resource_request_pk, targets=OBJECTS),
    "/api/resource-requests/{pk}/fulfil/": post(args=resource_request_pk, targets=OBJECTS, answer=decides),
    "/api/resource-requests/{pk}/decline/": post(args=resource_request_pk, targets=OBJECTS, answer=decides,
                                                 data=lambda w, t: {"comment": "样品已用完"}),
    "/targets/": (
        get(query=team_query, targets=TEAMS, sees=sees_team),
        post(query=team_query, targets=TEAMS, sees=sees_team, may=MANAGERS, scope_first=True, ok=302,
             data=lambda w, t: {"t__team__deals": "5"}),
    ),
    # the team's day: daily targets (R4), lag alerts (R19)
    "/api/daily-targets/": (
        get(query=team_query, targets=TEAMS, sees=sees_team),
        Call(method="put", query=team_query, targets=TEAMS, sees=sees_team, may=MANAGERS, scope_first=True,
             data=day_split),
    ),
    "/api/daily-targets/suggestion/": get(query=team_query, targets=TEAMS, sees=sees_team),
    "/daily/targets/": (
        get(query=team_query, targets=TEAMS, sees=sees_team),
        post(query=team_query, targets=TEAMS, sees=sees_team, may=MANAGERS, scope_first=True, ok=302,
             data=day_split_form),
    ),
    "/api/lag-alerts/": get(),
    "/api/lag-alerts/{pk}/": get(args=lag_alert_pk, targets=OBJECTS),
    "/api/lag-talks/": (
        get(),
        post(targets=OBJECTS, data=lag_talk, may=MANAGERS, scope_first=True, ok=201),
    ),
    "/api/lag-talks/{pk}/": get(args=lag_talk_pk, targets=OBJECTS),
    "/daily/lag/": get(may=MANAGERS),
    "/daily/lag/{pk}/talk/": post(args=lag_alert_pk, targets=OBJECTS, may=MANAGERS, scope_first=True, ok=302,
                                  data=lag_talk_form),
    # notifications (API)
    "/api/notifications/": get(shows=("notification", own)),
    "/api/notifications/read-all/": post(),
    "/api/notifications/{pk}/read/": post(args=notification_pk, targets=NOTES, sees=own),
    # the team's day: summaries (R17), problems and success cases (R5, R6)
    **SUMMARY_ROUTES,
    # the morning brief and the weekly review (pages, API)
    **BRIEF_ROUTES,
}

CALLS = [
    (key, index, call)
    for key, calls in ROUTES.items()
    for index, call in enumerate(calls if isinstance(calls, tuple) else (calls,))
]


def test_every_pattern_is_declared() -> None:
    """A URL pattern without an entry fails here, with the line to add; so does an entry of a pattern gone."""
    patterns = {pattern.key: pattern for pattern in url_keys()}
    undeclared = [
        f"{key}  (view {pattern.view}): add to ROUTES in {__name__.replace('.', '/')}.py, e.g.\n"
        f'    "{key}": get(args=lambda w, t: {{...}}, targets=OBJECTS),'
        for key, pattern in patterns.items() if key not in ROUTES
    ]
    assert not undeclared, "URL patterns missing from the scope matrix:\n" + "\n".join(undeclared)
    stale = sorted(set(ROUTES) - set(patterns))
    assert not stale, f"ROUTES entries no URL pattern has (remove or rename them): {stale}"


@pytest.mark.django_db
def test_the_tables_name_the_actors_as_they_are(world: World) -> None:
    """The R1 tables above are written out by hand: they must describe the actors the world holds."""
    from salesops.accounts.models import User

    people = {user.username: user for user in User.objects.select_related("team")}
    assert {name: people[name].role for name in ROLE} == ROLE
    teams = {name: {p for p, user in people.items() if user.team and user.team.pk == pk}
             for name, pk in world.teams.items() if name != "missing"}
    assert teams == {"team_a": TEAM_A | {"inactive"}, "team_b": TEAM_B, "team_c": TEAM_C}
    assert not people["inactive"].is_active
    assert set(ACTORS) == set(ROLE) | {"inactive", "anonymous"}
    assert not User.objects.filter(pk=MISSING_ID).exists()


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory) -> Generator[World]:
    """The world is built once per module (and worker) in a transaction that is rolled back at the end;
    each test runs in a savepoint inside it, so what one test changes the next never sees."""
    media = tmp_path_factory.mktemp("media")
    with override_settings(MEDIA_ROOT=media), django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize(("key", "index", "call"), CALLS, ids=[f"{c.method} {k} #{i}" for k, i, c in CALLS])
def test_route(world: World, key: str, index: int, call: Call, actor: str) -> None:
    problems = run(key, call, actor, world)
    assert not problems, "\n".join(problems)
