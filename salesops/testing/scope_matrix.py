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
import datetime as dt
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import openpyxl
from django.conf import settings
from django.core.files.base import ContentFile
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from salesops.accounts.models import Role, User
from salesops.core.clock import local_today
from salesops.customers import services as customer_services
from salesops.customers.models import Customer, ImportBatch
from salesops.deals import services as deal_services
from salesops.deals import winning
from salesops.followups import feed
from salesops.followups.models import FollowUp, VisitPhoto
from salesops.jobs import registry
from salesops.notifications.models import Notification
from salesops.organisation.models import CalendarDay, Organisation
from salesops.tasks import services as task_services
from salesops.testing.actors import make_actors
from salesops.testing.factories import make_user
from salesops.testing.money_factories import make_contract, make_payment, make_plan

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


# --- the world: actors and one object of each kind per owner -----------------------------------------------------

#: An id no row has (inside the id range, so the answer is a plain 404).
MISSING_ID = 987_654_321
#: A customer name nobody has (what a sheet names for the "missing" target).
MISSING_NAME = "无此客户有限公司"
#: Owners of customers in the world; "pool" is the public pool (no owner).
OWNERS = ("rep_a1", "rep_a2", "lead_a", "rep_b1", "rep_c1", "pool")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
LABEL = {"rep_a1": "甲壹", "rep_a2": "甲贰", "lead_a": "甲长", "rep_b1": "乙壹", "rep_c1": "丙壹", "pool": "公海"}


@dataclass
class World:
    """Primary keys by target name; ``"missing"`` is a key of every map (an id or a secret nobody has)."""

    people: dict[str, int] = field(default_factory=dict)
    teams: dict[str, int] = field(default_factory=dict)
    customer: dict[str, int] = field(default_factory=dict)
    spare: dict[str, int] = field(default_factory=dict)  # a second customer of the same owner (merge)
    contact: dict[str, int] = field(default_factory=dict)
    followup: dict[str, int] = field(default_factory=dict)
    photo: dict[str, int] = field(default_factory=dict)  # a visit photo of the follow-up
    task: dict[str, int] = field(default_factory=dict)  # a task the owner gave themselves, submitted with proof
    proof: dict[str, int] = field(default_factory=dict)  # the proof of that task
    notification: dict[str, int] = field(default_factory=dict)
    import_batch: dict[str, int] = field(default_factory=dict)  # a customer import of each person
    contract: dict[str, int] = field(default_factory=dict)  # a contract of the owner's customer
    instalment: dict[str, int] = field(default_factory=dict)  # its one instalment, overdue, partly received
    payment: dict[str, int] = field(default_factory=dict)  # the receipt against it
    deal: dict[str, int] = field(default_factory=dict)  # an open deal of the owner's customer
    won_deal: dict[str, int] = field(default_factory=dict)  # a won deal of the same customer
    feed: dict[str, str] = field(default_factory=dict)
    token: dict[str, str] = field(default_factory=dict)  # a working API token of "inactive" (refused)
    api_token: dict[str, str] = field(default_factory=dict)  # the key (first characters) of a person's token
    #: kind → owner → strings only that owner's rows contain (customer names, follow-up key points ...).
    markers: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    calendar_day: str = ""
    job: str = ""


#: Which viewer may see a marker of each kind and owner. A body shown to a viewer holds no other marker.
MARKER_SCOPE: dict[str, Callable[[str, str], bool]] = {
    "customer": sees_rows,
    "followup": sees_rows,
    "task": sees_rows,
    "notification": own,
    "api_token": own,
    "deal": sees_rows,
    "contract": sees_rows,
}


def _task_of(world: World, markers: dict[str, dict[str, list[str]]], owner: str, user: User) -> None:
    """A task ``user`` gave themselves (R16), submitted with a visit photo (R20): their managers decide it."""
    task = task_services.task_create(by=user, assignee=user, title=f"{LABEL[owner]}任务", standard="拜访照片",
                                     deadline=local_today() + dt.timedelta(days=3))
    proof = task_services.proof_add(by=user, task=task, file=ContentFile(PNG, name="proof.png"))
    task_services.task_submit(by=user, task=task)
    world.task[owner], world.proof[owner] = task.pk, proof.pk
    markers["task"][owner] = [task.title]


def build_world() -> World:
    """The organisation, the actors, and per owner a customer (due today, with a contact and a follow-up
    with a visit photo), a spare customer, a notification and a calendar feed for each person. Files go
    to ``MEDIA_ROOT``: the caller points it at a temporary directory."""
    organisation = Organisation.load()
    organisation.name = "星辰科技有限公司"
    organisation.setup_completed_at = timezone.now()
    organisation.save()
    actors = make_actors()
    gone = make_user(username="inactive", display_name="离职员工", team=actors.team_a)
    gone.is_active = False
    gone.save()
    people = {**actors.all_people(), "inactive": gone}
    world = World(
        people={name: user.pk for name, user in people.items()} | {"missing": MISSING_ID},
        teams={name: getattr(actors, name).pk for name in ("team_a", "team_b", "team_c")} | {"missing": MISSING_ID},
    )
    today = local_today()
    markers: dict[str, dict[str, list[str]]] = {kind: {} for kind in MARKER_SCOPE}
    for owner in OWNERS:
        label = LABEL[owner]
        user = people.get(owner)
        main = customer_services.customer_create(
            by=user or actors.admin, owner=user, name=f"{label}精密机械有限公司", contacts=[{"name": f"{label}经理"}],
        )
        spare = customer_services.customer_create(by=user or actors.admin, owner=user, name=f"{label}物流有限公司")
        Customer.objects.filter(pk=main.pk).update(next_due_at=today)
        world.customer[owner], world.spare[owner] = main.pk, spare.pk
        world.contact[owner] = main.contacts.get().pk
        markers["customer"][owner] = [main.name, spare.name]
        if user is not None:
            record = FollowUp.objects.create(
                customer=main, author=user, contacted_at=timezone.now() - dt.timedelta(hours=1), channel="phone",
                key_points=f"{label}跟进要点", next_followup_at=today + dt.timedelta(days=1),
            )
            world.followup[owner] = record.pk
            world.photo[owner] = VisitPhoto.objects.create(followup=record, image=ContentFile(PNG, name="visit.png")).pk
            markers["followup"][owner] = [record.key_points]
            _contract_of(world, main, user, today)
            _task_of(world, markers, owner, user)
            deal = deal_services.deal_create(by=user, customer=main, title=f"{label}商机", amount="1000.00")
            won = deal_services.deal_create(by=user, customer=main, title=f"{label}成交商机", amount="2000.00")
            winning.deal_win(deal=won, by=user, signed_at=today, amount="2000.00", contract_number=f"HT-{label}")
            world.deal[owner], world.won_deal[owner] = deal.pk, won.pk
            markers["deal"][owner] = [deal.title, won.title]
            markers["contract"][owner] = [f"HT-{label}"]
    for name, user in people.items():
        note = Notification.objects.create(user=user, kind="matrix", title=f"{user.display_name}的提醒")
        world.notification[name] = note.pk
        markers["notification"][name] = [note.title]
        world.feed[name] = feed.feed_regenerate(user=user).secret
        world.import_batch[name] = ImportBatch.objects.create(
            user=user, at=timezone.now(), skipped=[{"row": 2, "name": f"{user.display_name}的重复行", "reason": "重复"}]
        ).pk
        if name != "inactive":
            world.api_token[name] = AuthToken.objects.create(user=user)[0].token_key
            markers["api_token"][name] = [world.api_token[name]]
    world.token["inactive"] = AuthToken.objects.create(user=gone)[1]
    world.api_token["missing"] = "f" * 15
    for mapping in (world.customer, world.spare, world.contact, world.followup, world.photo, world.notification,
                    world.import_batch, world.contract, world.instalment, world.payment, world.task, world.proof,
                    world.deal, world.won_deal):
        mapping["missing"] = MISSING_ID
    world.feed["missing"] = "x" * 43
    world.markers = markers
    day = CalendarDay.objects.create(date=dt.date(today.year, 12, 20), kind=CalendarDay.Kind.WORKDAY, note="调休")
    world.calendar_day = day.date.isoformat()
    world.job = registry.all_jobs()[0].name
    return world


def _contract_of(world: World, customer: Customer, owner: User, today: dt.date) -> None:
    """A contract of ¥100,000 on the owner's customer, one instalment overdue and partly received."""
    contract = make_contract(owner, customer=customer, amount="100000.00", signed_at=today - dt.timedelta(days=30))
    instalment = make_plan(contract, [(today - dt.timedelta(days=10), "100000.00")])[0]
    world.contract[owner.username] = contract.pk
    world.instalment[owner.username] = instalment.pk
    world.payment[owner.username] = make_payment(instalment, "1000.00", today - dt.timedelta(days=5)).pk


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
