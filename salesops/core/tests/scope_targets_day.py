"""Targets of the R1 scope matrix for the performance targets and the team's day (daily targets, lag
alerts): how a call reaches its object. The objects are made when a call first needs them, inside the
test's savepoint, so the shared world stays as it is."""

from __future__ import annotations

import datetime as dt
from typing import Any

from salesops.testing.scope_world import MISSING_ID, World

#: The month the matrix's targets are set for.
TARGET_MONTH = "2026-11"


def _person_target(w: World, t: str) -> Any:
    from salesops.performance.targets.models import SubjectKind, Target

    first = dt.date(2026, 11, 1)
    row, _created = Target.objects.get_or_create(
        subject=f"user:{w.people[t]}", period=TARGET_MONTH, metric="sales_amount",
        defaults={"subject_kind": SubjectKind.USER, "user_id": w.people[t], "period_kind": "month",
                  "starts_on": first, "ends_on": dt.date(2026, 11, 30), "value": "1000.00"},
    )
    return row


def target_pk(w: World, t: str) -> dict[str, Any]:
    """A month target of the target person (made on first use)."""
    return {"pk": MISSING_ID if t == "missing" else _person_target(w, t).pk}


def target_change(w: World, t: str) -> dict[str, Any]:
    version = 1 if t == "missing" else _person_target(w, t).version
    return {"value": "2000", "version": version}


def new_target(w: World, t: str) -> dict[str, Any]:
    return {"scope": f"user:{w.people[t]}", "period": TARGET_MONTH, "metric": "deals", "value": 3}


#: A rep of each team, whose share a day's split names (R4).
TEAM_REP = {"team_a": "rep_a1", "team_b": "rep_b1", "team_c": "rep_c1", "missing": "rep_a1"}


def team_query(w: World, t: str) -> dict[str, Any]:
    return {"team": w.teams[t], "date": "2026-11-26"}


def day_split(w: World, t: str) -> dict[str, Any]:
    """A day's targets of the team: 2 deals, all of them its rep's."""
    return {"team": {"deals": 2}, "members": {str(w.people[TEAM_REP[t]]): {"deals": 2}}}


def day_split_form(w: World, t: str) -> dict[str, Any]:
    return {"team__deals": "2", f"m__{w.people[TEAM_REP[t]]}__deals": "2"}


def _alert(w: World, t: str) -> Any:
    from salesops.accounts.models import User
    from salesops.daily.lag.models import LagAlert

    rep = User.objects.get(pk=w.people[t])
    row, _created = LagAlert.objects.get_or_create(
        subject_user=rep, started_on=dt.date(2026, 11, 23),
        defaults={"team_id": rep.team_id, "last_day": dt.date(2026, 11, 25), "days": 3},
    )
    return row


def lag_alert_pk(w: World, t: str) -> dict[str, Any]:
    """An open lag alert (R19) of the target person (made on first use)."""
    return {"pk": MISSING_ID if t == "missing" else _alert(w, t).pk}


def lag_talk_pk(w: World, t: str) -> dict[str, Any]:
    from salesops.daily.lag.models import LagTalk

    if t == "missing":
        return {"pk": MISSING_ID}
    alert = _alert(w, t)
    talk = alert.talks.first() or LagTalk.objects.create(alert=alert, cause="no_show", remedy="route",
                                                         by_id=w.people["admin"])
    return {"pk": talk.pk}


def lag_talk(w: World, t: str) -> dict[str, Any]:
    return {"alert": lag_alert_pk(w, t)["pk"], "cause": "no_show", "remedy": "route", "note": "约谈"}


def lag_talk_form(w: World, t: str) -> dict[str, Any]:
    return {"cause": "no_show", "remedy": "route", "note": "约谈", "status": "open"}


def target_sheet(w: World, t: str) -> dict[str, Any]:
    from salesops.core.tests.scope_targets import sheet

    return {"file": sheet(["对象", "周期", "指标", "目标值"], [f"user:{w.people[t]}", TARGET_MONTH, "deals", "3"])}


def sheet_refused(actor: str, target: str | None, code: int) -> int:
    """A sheet naming someone the importer does not manage is refused whole (400, the row's report)."""
    return 400 if code in (403, 404) else code
