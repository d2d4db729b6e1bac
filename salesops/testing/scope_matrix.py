"""The machinery of the R1 scope matrix (``core/tests/test_scope_matrix.py`` holds the declaration).

- ``url_keys()`` walks the URL conf and names every pattern by its public path template
  (``/api/customers/{pk}/claim/``), whatever style declared it (``path()``, a router's regex).
- ``Call`` says how one method of one pattern is called and what each actor must get.
- ``build_world()`` makes the named actors plus one object of each kind per owner, each carrying a
  marker (a name no other row contains), so that a body can be searched for what it must not show.
- ``run()`` makes a call as an actor for every target and returns what went wrong, in words.

R1 is written out here as tables (``ROWS_SEEN``, ``PEOPLE_SEEN``, ``TEAMS_SEEN``), never computed with
``visible_to``: the matrix checks the code against the rule, not the code against itself.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import openpyxl
from django.conf import settings
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from salesops.accounts.models import Role, User
from salesops.testing.scope_daily import TEAM_OF
from salesops.testing.scope_world import MARKER_KINDS, MISSING_NAME, World

# --- R1 written out --------------------------------------------------------------------------------------------

TEAM_A = frozenset({"lead_a", "rep_a1", "rep_a2"})
TEAM_B = frozenset({"lead_b", "rep_b1"})
TEAM_C = frozenset({"lead_c", "rep_c1"})
STAFF = TEAM_A | TEAM_B | TEAM_C | {"admin", "director"}

#: Every actor of the matrix: the named actors, a person who left (``inactive``, once a rep of team_a) and
#: nobody logged in. Each test case is one pattern's method as one of them.
ACTORS = ("admin", "director", "lead_a", "rep_a1", "rep_a2", "lead_b", "rep_b1", "lead_c", "rep_c1",
          "inactive", "anonymous")
LOGGED_OUT = frozenset({"inactive", "anonymous"})
ROLE = {
    "admin": Role.ADMIN, "director": Role.DIRECTOR, "lead_a": Role.LEAD, "lead_b": Role.LEAD, "lead_c": Role.LEAD,
    "rep_a1": Role.REP, "rep_a2": Role.REP, "rep_b1": Role.REP, "rep_c1": Role.REP,
}
EVERYONE = frozenset(Role.values)
MANAGERS = frozenset({Role.ADMIN, Role.DIRECTOR, Role.LEAD})
ADMINS = frozenset({Role.ADMIN})
OWNER_ROLES = frozenset({Role.REP, Role.LEAD})  # who may own customers and claim from the pool (R15)

#: Whose rows (customers, follow-ups) each actor sees, besides the public pool: a rep their own, a lead
#: the team's, the director the teams they direct (team_a, team_b; not team_c) and their own, an admin all.
ROWS_SEEN: dict[str, frozenset[str]] = {
    "admin": STAFF, "director": TEAM_A | TEAM_B | {"director"},
    "lead_a": TEAM_A, "lead_b": TEAM_B, "lead_c": TEAM_C,
    "rep_a1": frozenset({"rep_a1"}), "rep_a2": frozenset({"rep_a2"}),
    "rep_b1": frozenset({"rep_b1"}), "rep_c1": frozenset({"rep_c1"}),
}
#: Which people each actor sees: a rep and a lead their team, the director their teams and themselves.
#: A person who left stays a member of their team (``inactive``, of team_a).
PEOPLE_SEEN: dict[str, frozenset[str]] = {
    **{name: team for team in (TEAM_A | {"inactive"}, TEAM_B, TEAM_C) for name in team if name != "inactive"},
    "director": TEAM_A | TEAM_B | {"director", "inactive"}, "admin": STAFF | {"inactive"},
}
TEAMS_SEEN: dict[str, frozenset[str]] = {
    **{name: frozenset({"team_a"}) for name in TEAM_A}, **{name: frozenset({"team_b"}) for name in TEAM_B},
    **{name: frozenset({"team_c"}) for name in TEAM_C},
    "director": frozenset({"team_a", "team_b"}), "admin": frozenset({"team_a", "team_b", "team_c"}),
}
#: Whom each actor manages (R1 "manages"): a lead the team's members, a director their teams' people.
MANAGED: dict[str, frozenset[str]] = {
    "lead_a": TEAM_A - {"lead_a"}, "lead_b": TEAM_B - {"lead_b"}, "lead_c": TEAM_C - {"lead_c"},
    "director": TEAM_A | TEAM_B, "admin": STAFF | {"inactive"},
}


def sees_rows(actor: str, owner: str) -> bool:
    """R1 for customers and follow-ups: the owner's rows are in scope, and so is the public pool."""
    return owner == "pool" or owner in ROWS_SEEN.get(actor, ())


def sees_person(actor: str, person: str) -> bool:
    return person in PEOPLE_SEEN.get(actor, ())


def sees_team(actor: str, team: str) -> bool:
    return team in TEAMS_SEEN.get(actor, ())


def own(actor: str, target: str) -> bool:
    """Only one's own (notifications)."""
    return actor == target


def manages(actor: str, person: str) -> bool:
    return person in MANAGED.get(actor, ())


def sees_team_rows(actor: str, owner: str) -> bool:
    """R1 for a team's rows (problems, success cases): the team's people, its lead and director, an admin;
    and whoever wrote the row."""
    return actor == owner or sees_team(actor, TEAM_OF.get(owner, ""))


def manages_team_of(actor: str, owner: str) -> bool:
    """Whoever manages the team of the owner's row: its lead, its director, an admin."""
    team = TEAM_OF.get(owner, "")
    return ROLE.get(actor) in (Role.ADMIN, Role.DIRECTOR, Role.LEAD) and sees_team(actor, team)


#: Which viewer may see a marker of each kind and owner. A body shown to a viewer holds no other marker.
MARKER_SCOPE: dict[str, Callable[[str, str], bool]] = {
    "customer": sees_rows,
    "followup": sees_rows,
    "task": sees_rows,
    "notification": own,
    "api_token": own,
    "deal": sees_rows,
    "contract": sees_rows,
    "plan": sees_rows,
    "summary": sees_rows,
    "problem": sees_team_rows,
    "success_case": sees_team_rows,
}


assert set(MARKER_SCOPE) == set(MARKER_KINDS), "every kind of marker has its scope"


# --- the URL conf --------------------------------------------------------------------------------------------------

_TOKEN = re.compile(r"[A-Za-z0-9_-]{40,}")
_GROUP = re.compile(r"\(\?P<(\w+)>")
_CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")


def _template(pattern: str) -> str:
    """A pattern as a public path template: ``customers/<int:pk>/`` and ``^customers/(?P<pk>\\d+)/$`` both
    become ``customers/{pk}/``."""
    out: list[str] = []
    index = 0
    while index < len(pattern):
        group = _GROUP.match(pattern, index)
        if group is None:
            out.append(pattern[index])
            index += 1
            continue
        depth, index, in_class = 1, group.end(), False
        while depth:  # to the group's closing parenthesis, past escapes and character classes
            char = pattern[index]
            if char == "\\":
                index += 2
                continue
            if in_class:
                in_class = char != "]"
            elif char == "[":
                in_class = True
            elif char in "()":
                depth += 1 if char == "(" else -1
            index += 1
        out.append("{" + group.group(1) + "}")
    text = _CONVERTER.sub(r"{\1}", "".join(out))
    return text.replace("^", "").replace("$", "").replace("\\", "")


@dataclass(frozen=True)
class Pattern:
    key: str  # the public path template, e.g. /api/customers/{pk}/claim/
    view: str  # the view's dotted name, for messages
    name: str | None


def url_keys() -> Iterator[Pattern]:
    """Every URL pattern of the project. The Django admin site (one gate, ``admin_view``) is one key,
    ``/admin/``; a router's format-suffix twin (``/api/users.json``) is the same view as its pattern."""

    def walk(patterns: list[Any], prefix: str, namespace: str | None) -> Iterator[Pattern]:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, prefix + _template(str(entry.pattern)),
                                entry.namespace or namespace)
                continue
            assert isinstance(entry, URLPattern)
            if namespace == "admin":
                yield Pattern("/admin/", "django.contrib.admin", entry.name)
                continue
            if "format" in entry.pattern.regex.groupindex:
                continue
            callback = entry.callback
            view = getattr(callback, "cls", None) or getattr(callback, "view_class", None) or callback
            yield Pattern("/" + prefix + _template(str(entry.pattern)), f"{view.__module__}.{view.__qualname__}",
                          entry.name)

    yield from walk(get_resolver().url_patterns, "", None)


# --- a call and what each actor must get ----------------------------------------------------------------------------

Builder = Callable[[World, str], dict[str, Any]]
Sees = Callable[[str, str], bool]
Answer = Callable[[str, str | None, int], int]


@dataclass(frozen=True)
class Call:
    """One method of one URL pattern. The answer an actor must get, in this order:

    anonymous or inactive → 401 (API) or a redirect to the login page (302), unless ``public``;
    a role outside ``may`` → ``denied`` (403); a target the actor does not see (``sees``) → 404
    (before the 403 when ``scope_first``); otherwise ``ok``. ``answer(actor, target, code)`` has the last
    word where a rule needs it (a claim of a customer someone owns is a 409, say).
    """

    method: str = "get"
    args: Builder | None = None  # the path's {placeholders} for the target's object
    targets: tuple[str, ...] = ()  # whose objects to try; "missing" is an id nobody has
    query: Builder | None = None
    data: Builder | None = None
    multipart: bool = False
    may: frozenset[str] = EVERYONE
    ok: int = 200
    denied: int = 403
    sees: Sees = sees_rows
    scope_first: bool = False
    public: bool = False
    answer: Answer | None = None
    #: (marker kind, scope): a list that must show every row of that kind the scope gives the viewer
    shows: tuple[str, Sees] | None = None
    #: for pages that are not part of the pattern itself (the admin site): explicit paths to call
    paths: Callable[[World], list[str]] | None = None
    #: whose scope the body is checked against: the actor, or the target (a calendar feed is its owner's)
    viewer_is_target: bool = False
    #: the scope the body is checked against for every kind of marker (default: each kind's R1 scope)
    body_scope: Sees | None = None
    #: where a page sends someone not logged in
    login: str = ""

    def expected(self, key: str, actor: str, target: str | None) -> int:
        code = self.ok
        if actor in LOGGED_OUT and not self.public:
            code = 401 if key.startswith("/api/") else 302
        else:
            forbidden = not self.public and ROLE[actor] not in self.may
            unseen = target is not None and not self.sees(actor, target)
            if unseen and (self.scope_first or not forbidden):
                code = 404
            elif forbidden:
                code = self.denied
        return self.answer(actor, target, code) if self.answer else code


def get(**fields: Any) -> Call:
    return Call(method="get", **fields)


def post(**fields: Any) -> Call:
    return Call(method="post", **fields)


def patch(**fields: Any) -> Call:
    return Call(method="patch", **fields)


def delete(**fields: Any) -> Call:
    return Call(method="delete", **fields)


# --- making the calls ------------------------------------------------------------------------------------------------


def client_for(key: str, actor: str, world: World) -> Client | APIClient:
    """An API client (token or forced authentication) or a browser client (session) logged in as the actor."""
    if key.startswith("/api/"):
        api = APIClient()
        if actor == "inactive":
            api.credentials(HTTP_AUTHORIZATION=f"Token {world.token['inactive']}")
        elif actor != "anonymous":
            api.force_authenticate(user=User.objects.get(username=actor))
        return api
    browser = Client()
    if actor != "anonymous":
        browser.force_login(User.objects.get(username=actor))
    return browser


def body_text(response: HttpResponse | StreamingHttpResponse) -> str:
    """The body as text a marker can be found in: a workbook's cells, an unfolded iCalendar, JSON, HTML."""
    raw = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[arg-type,union-attr]
    kind = response.get("Content-Type", "")
    if kind.startswith("application/vnd.openxmlformats"):
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True)
        rows = (row for sheet in book.worksheets for row in sheet.iter_rows(values_only=True))
        return "\n".join("\t".join(str(cell) for cell in row) for row in rows)
    text = raw.decode("utf-8", errors="replace")
    if kind.startswith("text/calendar"):
        text = text.replace("\r\n ", "").replace("\\,", ",")
    if kind.startswith("application/json"):
        with contextlib.suppress(ValueError):  # JSON that DRF wrote with escapes, written as plain text
            text = json.dumps(json.loads(text), ensure_ascii=False)
    return text


def leaks(world: World, text: str, viewer: str | None, sent: str, scope: Sees | None) -> list[str]:
    """Markers in the body that the viewer may not see (those the request itself sent excepted)."""
    found = []
    for kind, per_owner in world.markers.items():
        allowed = scope or MARKER_SCOPE[kind]
        for owner, markers in per_owner.items():
            if viewer is not None and allowed(viewer, owner):
                continue
            found += [f"{kind} of {owner} ({marker})" for marker in markers if marker in text and marker not in sent]
    return found


def missing_rows(world: World, text: str, kind: str, scope: Sees, viewer: str) -> list[str]:
    """Rows of the kind the scope gives the viewer that the body does not show (each owner's first row)."""
    return [
        f"{kind} of {owner} ({markers[0]})"
        for owner, markers in world.markers[kind].items() if scope(viewer, owner) and markers[0] not in text
    ]


def _neutral(world: World, text: str, target: str | None) -> str:
    """The body with the target's own words put as they would be for an object nobody has, and the
    per-request tokens (CSRF, a file's digest) blanked."""
    for per_owner in world.markers.values():
        for marker in per_owner.get(target or "", []):
            text = text.replace(marker, MISSING_NAME)
    return _TOKEN.sub("…", text)


def _sent(query: dict[str, Any], data: dict[str, Any] | None) -> str:
    """What the request carried, files included: a body may echo it back without leaking anything."""
    parts = [json.dumps(query, ensure_ascii=False, default=str)]
    for value in (data or {}).values():
        if hasattr(value, "read"):
            value.seek(0)
            parts.append(value.read().decode("utf-8", errors="replace"))
        else:
            parts.append(json.dumps(value, ensure_ascii=False, default=str))
    return "\n".join(parts)


def _request(client: Client | APIClient, call: Call, path: str, query: dict[str, Any], data: dict[str, Any] | None
             ) -> HttpResponse:
    if query:
        path += "?" + "&".join(f"{name}={value}" for name, value in query.items())
    send = getattr(client, call.method)
    if data is None:
        return send(path)  # type: ignore[no-any-return]
    if isinstance(client, APIClient):
        return send(path, data, format="multipart" if call.multipart else "json")  # type: ignore[no-any-return]
    return send(path, data)  # type: ignore[no-any-return]


def run(key: str, call: Call, actor: str, world: World) -> list[str]:
    """Make the call as the actor for every target; what differs from the declaration, one line each."""
    client = client_for(key, actor, world)
    problems: list[str] = []
    cases: list[tuple[str | None, str]]
    if call.paths is not None:
        cases = [(None, path) for path in call.paths(world)]
    else:
        # Objects out of sight first: a page after a successful action would carry its flash message.
        targets = sorted(call.targets or (None,), key=lambda t: t is not None and call.sees(actor, t))
        cases = [(target, key.format(**call.args(world, target or "")) if call.args else key) for target in targets]
    answers: dict[str | None, tuple[int, str]] = {}
    for target, path in cases:
        query = call.query(world, target or "") if call.query else {}
        data = call.data(world, target or "") if call.data else ({} if call.method != "get" else None)
        response = _request(client, call, path, query, data)
        want = call.expected(key, actor, target)
        where = f"{call.method.upper()} {path}{' ' + str(query) if query else ''} as {actor}" + (
            f" on the object of {target}" if target else "")
        if response.status_code != want:
            problems.append(f"{where}: expected {want}, got {response.status_code}")
            continue
        if want == 302 and actor in LOGGED_OUT and not call.public:
            location = response.get("Location", "")
            if not location.startswith(call.login or resolve_url(settings.LOGIN_URL)):
                problems.append(f"{where}: expected a redirect to the login page, got one to {location!r}")
        text = body_text(response)
        viewer = target if call.viewer_is_target and target else (None if actor in LOGGED_OUT else actor)
        sent = _sent(query, data)
        found = leaks(world, text, viewer, sent, call.body_scope)
        problems += [f"{where}: the body shows the {leak}" for leak in found]
        if call.shows and viewer is not None and response.status_code == call.ok:
            kind, scope = call.shows
            problems += [f"{where}: the body lacks the {row}" for row in missing_rows(world, text, kind, scope, viewer)]
        answers[target] = (response.status_code, _neutral(world, text, target))
    unseen = [t for t in answers if t not in (None, "missing") and answers[t][0] == answers.get("missing", (0,))[0]]
    for target in unseen:
        if answers[target] != answers["missing"]:
            problems.append(
                f"{call.method.upper()} {key} as {actor}: the answer on the object of {target} differs from the "
                f"one on an id nobody has (it tells the object exists):\n  {answers[target][1][:300]}\n  "
                f"{answers['missing'][1][:300]}"
            )
    return problems
