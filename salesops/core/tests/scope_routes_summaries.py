"""The R1 scope matrix's declaration for R17 daily summaries, R5 problems and R6 success cases (joined into
``ROUTES`` of ``test_scope_matrix.py``)."""

from __future__ import annotations

from typing import Any

from salesops.core.tests.scope_targets import OBJECTS, TEAMS, row_version
from salesops.testing.scope_daily import yesterday
from salesops.testing.scope_matrix import (
    LOGGED_OUT,
    MANAGERS,
    Call,
    get,
    manages_team_of,
    own,
    patch,
    post,
    sees_rows,
    sees_team,
    sees_team_rows,
)
from salesops.testing.scope_world import World

#: Who writes for no team of their own (a director, an admin): a row for "their team" is a 400 asking which.
NO_TEAM = frozenset({"director", "admin"})


def summary_pk(w: World, t: str) -> dict[str, Any]:
    return {"pk": w.summary[t]}


def problem_pk(w: World, t: str) -> dict[str, Any]:
    return {"pk": w.problem[t]}


def case_pk(w: World, t: str) -> dict[str, Any]:
    return {"pk": w.success_case[t]}


def writer_only(actor: str, target: str | None, code: int) -> int:
    """R17: only its writer changes a summary; whoever else sees it is refused (403)."""
    return 403 if code < 400 and actor not in LOGGED_OUT and actor != target else code


def needs_a_team(actor: str, target: str | None, code: int) -> int:
    """A problem or case written for one's own team: someone without one is asked to name a team (400)."""
    return 400 if code < 300 and actor in NO_TEAM else code


def managers_act(actor: str, target: str | None, code: int) -> int:
    """R5: only whoever manages the team assigns, starts (no owner yet) and resolves (403 for the others)."""
    return 403 if code < 400 and actor not in LOGGED_OUT and not manages_team_of(actor, target or "") else code


def raiser_or_manager(actor: str, target: str | None, code: int) -> int:
    if actor in LOGGED_OUT or actor == target or manages_team_of(actor, target or ""):
        return code
    return 403 if code < 400 else code


def page_needs_a_team(actor: str, target: str | None, code: int) -> int:
    return 400 if code == 302 and actor in NO_TEAM else code


def version_of(model: str, ids: dict[str, int], t: str) -> int:
    return row_version(model, ids.get(t, 0))


def summary_body(w: World, t: str) -> dict[str, Any]:
    return {"date": yesterday(), "done": "矩阵小结", "not_done": [{"item": "回访", "reason": "出差"}]}


def case_body(w: World, t: str) -> dict[str, Any]:
    return {"title": "矩阵案例", "story": "试用后签约", "customer": w.customer[t]}


def team_query(w: World, t: str) -> dict[str, Any]:
    return {"team": w.teams[t], "date": yesterday()}


SUMMARY_ROUTES: dict[str, Call | tuple[Call, ...]] = {
    # R17 daily summaries (API, pages)
    "/api/daily-summaries/": (
        get(shows=("summary", sees_rows)),
        post(ok=201, data=summary_body),
    ),
    "/api/daily-summaries/prefill/": get(query=lambda w, t: {"date": yesterday()}),
    "/api/daily-summaries/{pk}/": (
        get(args=summary_pk, targets=OBJECTS),
        patch(args=summary_pk, targets=OBJECTS, answer=writer_only, data=lambda w, t: {
            "tomorrow": "改计划", "version": version_of("daily.DailySummary", w.summary, t)}),
    ),
    "/summaries/today/": (
        get(query=lambda w, t: {"date": yesterday()}),
        post(ok=302, query=lambda w, t: {"date": yesterday()}, data=lambda w, t: {
            "done": "页面小结", "not_done_item": "回访", "not_done_reason": "出差"}),
    ),
    "/summaries/team/": get(targets=TEAMS, sees=sees_team, may=MANAGERS, query=team_query),
    "/summaries/team/sheet/": get(targets=TEAMS, sees=sees_team, may=MANAGERS, query=team_query),
    "/summaries/{pk}/": get(args=summary_pk, targets=OBJECTS),
    "/summaries/{pk}/sheet/": get(args=summary_pk, targets=OBJECTS),
    "/summaries/{pk}/edit/": (
        get(args=summary_pk, targets=OBJECTS, sees=own),
        post(args=summary_pk, targets=OBJECTS, sees=own, ok=302, data=lambda w, t: {
            "done": "改过", "version": version_of("daily.DailySummary", w.summary, t)}),
    ),
    # R5 problems, R6 success cases (API)
    "/api/problems/": (
        get(shows=("problem", sees_team_rows)),
        post(ok=201, answer=needs_a_team, data=lambda w, t: {"title": "矩阵问题", "category": "pricing"}),
    ),
    "/api/problems/{pk}/": (
        get(args=problem_pk, targets=OBJECTS, sees=sees_team_rows),
        patch(args=problem_pk, targets=OBJECTS, sees=sees_team_rows, answer=raiser_or_manager, data=lambda w, t: {
            "detail": "补充", "version": version_of("daily.Problem", w.problem, t)}),
    ),
    "/api/problems/{pk}/history/": get(args=problem_pk, targets=OBJECTS, sees=sees_team_rows),
    "/api/problems/{pk}/assign/": post(args=problem_pk, targets=OBJECTS, sees=sees_team_rows, answer=managers_act,
                                       data=lambda w, t: {"owner_resource": "samples"}),
    "/api/problems/{pk}/start/": post(args=problem_pk, targets=OBJECTS, sees=sees_team_rows, answer=managers_act),
    "/api/problems/{pk}/resolve/": post(args=problem_pk, targets=OBJECTS, sees=sees_team_rows, answer=managers_act,
                                        data=lambda w, t: {"resolution": "已协调"}),
    "/api/success-cases/": (
        get(shows=("success_case", sees_team_rows)),
        post(targets=OBJECTS, ok=201, answer=needs_a_team, data=case_body),
    ),
    "/api/success-cases/{pk}/": (
        get(args=case_pk, targets=OBJECTS, sees=sees_team_rows),
        patch(args=case_pk, targets=OBJECTS, sees=sees_team_rows, answer=writer_only, data=lambda w, t: {
            "title": "改", "version": version_of("daily.SuccessCase", w.success_case, t)}),
    ),
    # R5, R6 (pages)
    "/problems/": get(shows=("problem", sees_team_rows)),
    "/problems/new/": (
        get(targets=OBJECTS, query=lambda w, t: {"customer": w.customer[t], "source": "customer"}),
        post(ok=302, answer=page_needs_a_team, data=lambda w, t: {"title": "页面问题", "category": "other"}),
    ),
    "/problems/{pk}/": get(args=problem_pk, targets=OBJECTS, sees=sees_team_rows),
    "/problems/{pk}/assign/": post(args=problem_pk, targets=OBJECTS, sees=sees_team_rows, ok=302,
                                   answer=managers_act, data=lambda w, t: {"owner_resource": "samples"}),
    "/problems/{pk}/start/": post(args=problem_pk, targets=OBJECTS, sees=sees_team_rows, ok=302, answer=managers_act),
    "/problems/{pk}/resolve/": post(args=problem_pk, targets=OBJECTS, sees=sees_team_rows, ok=302,
                                    answer=managers_act, data=lambda w, t: {"resolution": "已协调"}),
    "/success-cases/": get(shows=("success_case", sees_team_rows)),
    "/success-cases/new/": (
        get(targets=OBJECTS, query=lambda w, t: {"customer": w.customer[t]}),
        post(targets=OBJECTS, ok=302, answer=page_needs_a_team, data=lambda w, t: {
            "customer": w.customer[t], "title": "页面案例", "story": "试用后签约"}),
    ),
}
