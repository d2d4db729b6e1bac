"""People import: a whole team (R1 roles and teams) from one sheet, for the manual's 新组建团队的流程搭建.

One sheet, one person a row, headers 姓名 登录名 手机 角色 团队 初始密码 (or name username phone role team
password), read by ``core.sheets.read_table``: xlsx, xls, ods or csv in UTF-8 or GBK (GB18030, what Excel
on a Chinese Windows writes), recognised by content. ``people_import(file=..., dry_run=True, by=admin)``
checks every row and writes nothing; with ``dry_run=False`` it checks again and creates the teams and
people in ONE transaction through the accounts services (``team_create``, ``user_create``,
``team_update``): any error and nothing is created.

Between the check and the commit nothing is kept on the server: no session, cache or temporary file ever
holds the sheet and its initial passwords. The report carries the SHA-256 digest of the checked file; the
page keeps the chosen file in the browser and sends it again with that digest to commit, and the commit is
refused unless the digest matches. So exactly the file the admin reviewed is imported, checked once more
against the database as it is at that moment.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import IO

import openpyxl
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from openpyxl.styles import Font

from salesops.accounts.models import Role, Team, User
from salesops.accounts.services import USERNAME_RE, normalise_mobile, team_create, team_update, user_create
from salesops.core.sheets import SheetError, read_table

MAX_ROWS = 2000

# Column key → accepted headers; the first is the one the template uses.
COLUMNS: dict[str, tuple[str, ...]] = {
    "display_name": ("姓名", "name"),
    "username": ("登录名", "username"),
    "phone": ("手机", "phone", "手机号"),
    "role": ("角色", "role"),
    "team": ("团队", "team"),
    "password": ("初始密码", "password"),
}
REQUIRED_COLUMNS = ("display_name", "username", "role", "team", "password")
REQUIRED_CELLS = ("display_name", "username", "role", "password")
ROLE_WORDS = {
    "销售人员": Role.REP, "rep": Role.REP,
    "团队负责人": Role.LEAD, "lead": Role.LEAD,
    "销售总监": Role.DIRECTOR, "director": Role.DIRECTOR,
}
# A cell starting with one of these would run as a formula when the data is opened in a spreadsheet again.
FORMULA_PREFIXES = ("=", "+", "-", "@")
# "+86 138..." is a phone number, not a formula: it is stored as 11 digits, without the plus.
PHONE_WITH_PLUS = re.compile(r"^\+86[\d\s-]+$")
# A director's team cell may name several teams: 华东一组、华东二组.
TEAM_SEPARATORS = re.compile(r"\s*[,，、;；]\s*")


@dataclass(frozen=True)
class ImportIssue:
    """One problem: ``row`` as numbered in the sheet (None for the file as a whole), ``column`` as headed."""

    row: int | None
    column: str
    message: str


@dataclass
class PersonRow:
    """One checked row, ready to be created."""

    row: int
    display_name: str
    username: str
    phone: str
    role: str
    teams: list[str]
    password: str = field(repr=False)
    becomes_lead: bool = False

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label)


@dataclass
class ImportReport:
    """What the import found (dry run) or did (commit); ``committed`` is True only when everything was created."""

    kind: str = ""
    digest: str = ""
    people: list[PersonRow] = field(default_factory=list)
    new_teams: list[str] = field(default_factory=list)
    errors: list[ImportIssue] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    committed: bool = False
    columns: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, row: int | None, column: str, message: str) -> None:
        self.errors.append(ImportIssue(row, column, message))


Table = list[tuple[int, list[str]]]


@transaction.atomic
def people_import(
    *, file: IO[bytes] | UploadedFile, dry_run: bool, by: User, expected_digest: str | None = None
) -> ImportReport:
    """Check a people sheet and, unless ``dry_run``, create all of it or nothing.

    ``expected_digest`` (the digest of the checked file) makes the commit refuse any other file.
    """
    if not by.has_perm("accounts.manage_people"):
        raise PermissionDenied(_("Only an admin may import people."))
    report = ImportReport()
    try:
        report.kind, table, report.digest = read_table(file, max_rows=MAX_ROWS)
    except SheetError as exc:
        report.error(None, "", exc.message)
        return report
    if expected_digest is not None and expected_digest != report.digest:
        report.error(None, "", _("This is not the file that was checked. Check the file again, then commit it."))
        return report
    columns = _map_header(table[0], report)
    if columns is None:
        return report
    rows = [(number, cells) for number, cells in table[1:]]
    if not rows:
        report.error(None, "", _("The sheet has headers but no people."))
        return report
    _check_rows(columns, rows, report)
    if report.ok and not dry_run:
        _commit(report)
    return report


def _map_header(header: tuple[int, list[str]], report: ImportReport) -> dict[str, int] | None:
    """Column key → index; a missing or doubled column is reported once, on the header row."""
    number, cells = header
    aliases = {alias.lower(): key for key, names in COLUMNS.items() for alias in names}
    indexes: dict[str, int] = {}
    for index, cell in enumerate(cells):
        label = cell.strip().rstrip("*＊").strip()
        if not label:
            continue
        key = aliases.get(label.lower())
        if key is None:
            report.notes.append(_("The column %(column)s is not known and is ignored.") % {"column": label})
        elif key in indexes:
            report.error(number, label, _("The column %(column)s appears twice.") % {"column": label})
        else:
            indexes[key] = index
            report.columns[key] = label
    for key in REQUIRED_COLUMNS:
        if key not in indexes:
            names = COLUMNS[key]
            report.error(number, names[0], _("The required column %(column)s is missing (in English: %(english)s).") % {
                "column": names[0], "english": names[1],
            })
    return None if report.errors else indexes


def _check_rows(indexes: dict[str, int], rows: Table, report: ImportReport) -> None:
    """Every check the services would make, row by row, plus the sheet's own: duplicates, formulas, teams."""
    label = report.columns
    for key, aliases in COLUMNS.items():
        label.setdefault(key, aliases[0])
    values_of = [
        (number, {key: cells[index] if index < len(cells) else "" for key, index in indexes.items()})
        for number, cells in rows
    ]
    usernames = {values.get("username", "").lower() for _number, values in values_of}
    taken = set(
        User.objects.annotate(lname=Lower("username")).filter(lname__in=usernames).values_list("lname", flat=True)
    )
    team_names = {name.lower() for _number, values in values_of for name in _team_names(values.get("team", ""))}
    teams = {team.lname: team for team in Team.objects.annotate(lname=Lower("name")).filter(lname__in=team_names)}
    seen: dict[str, int] = {}
    new_teams: dict[str, tuple[str, int]] = {}
    led: set[str] = {key for key, team in teams.items() if team.lead_id}
    directed: dict[str, int] = {}
    for number, values in values_of:
        errors_before = len(report.errors)
        refused = set()
        for key, value in values.items():
            if value.startswith(FORMULA_PREFIXES) and not (key == "phone" and PHONE_WITH_PLUS.match(value)):
                refused.add(key)
                report.error(number, label[key], _(
                    "The cell starts with =, +, - or @ and is refused as a formula; remove that first character."
                ))
        for key in REQUIRED_CELLS:
            if key not in refused and not values.get(key):
                report.error(number, label[key], _("This cell must not be empty."))
        role = ROLE_WORDS.get(values.get("role", "").lower())
        if values.get("role") and "role" not in refused and role is None:
            report.error(number, label["role"], _(
                "Unknown role %(role)s: use 销售人员, 团队负责人 or 销售总监 (or rep, lead, director)."
            ) % {"role": values["role"]})
        username = values.get("username", "")
        if username and "username" not in refused:
            if not USERNAME_RE.match(username):
                report.error(number, label["username"], _("Use 2-150 letters, digits or . @ + - _ for the login name."))
            elif username.lower() in seen:
                report.error(number, label["username"], _("The login name %(name)s is also on row %(row)s.") % {
                    "name": username, "row": seen[username.lower()],
                })
            elif username.lower() in taken:
                report.error(number, label["username"], _("The login name %(name)s is taken.") % {"name": username})
            seen.setdefault(username.lower(), number)
        phone = values.get("phone", "")
        if "phone" not in refused:
            try:
                phone = normalise_mobile(phone)
            except ValidationError as exc:
                report.error(number, label["phone"], " ".join(exc.message_dict["phone"]))
        names = _team_names(values.get("team", "")) if role == Role.DIRECTOR else [values.get("team", "")]
        names = [name for name in names if name]
        if "team" in refused:
            names = []
        elif role in (Role.REP, Role.LEAD) and not names:
            report.error(number, label["team"], _("Reps and team leads belong to a team: enter the team's name."))
        for name in names:
            team = teams.get(name.lower())
            if len(name) > 100:
                report.error(number, label["team"], _("A team name has at most 100 characters."))
            elif team is not None and not team.is_active:
                report.error(number, label["team"], _("Team %(team)s is closed.") % {"team": team.name})
            elif role == Role.DIRECTOR and name.lower() in directed:
                report.error(number, label["team"], _("Team %(team)s already gets its director on row %(row)s.") % {
                    "team": name, "row": directed[name.lower()],
                })
            elif team is None:
                new_teams.setdefault(name.lower(), (name, number))
            if role == Role.DIRECTOR:
                directed.setdefault(name.lower(), number)
        password = values.get("password", "")
        if password and "password" not in refused:
            try:
                validate_password(password, User(username=username, display_name=values.get("display_name", "")))
            except ValidationError as exc:
                report.error(number, label["password"], " ".join(exc.messages))
        if len(report.errors) > errors_before or role is None:
            continue
        person = PersonRow(
            row=number, display_name=values["display_name"], username=username, phone=phone, role=role,
            teams=names, password=password,
        )
        if role == Role.LEAD and names[0].lower() not in led:
            led.add(names[0].lower())
            person.becomes_lead = True
            report.notes.append(_("%(name)s becomes the lead of team %(team)s.") % {
                "name": person.display_name, "team": names[0],
            })
        for name in names if role == Role.DIRECTOR else []:
            report.notes.append(_("%(name)s becomes the director of team %(team)s.") % {
                "name": person.display_name, "team": name,
            })
        report.people.append(person)
    for name, number in new_teams.values():
        report.new_teams.append(name)
        report.notes.append(_("Team %(team)s does not exist yet and is created by the import (row %(row)s).") % {
            "team": name, "row": number,
        })


def _team_names(cell: str) -> list[str]:
    return [name for name in TEAM_SEPARATORS.split(cell.strip()) if name]


def _commit(report: ImportReport) -> None:
    """Create everything in one transaction; a service refusing any row rolls all of it back."""
    with transaction.atomic():
        teams = {team.lname: team for team in Team.objects.annotate(lname=Lower("name")).filter(is_active=True)}
        first_row = {name.lower(): person.row for person in reversed(report.people) for name in person.teams}
        for name in report.new_teams:
            try:
                teams[name.lower()] = team_create(name=name)
            except ValidationError as exc:
                report.error(first_row.get(name.lower()), report.columns["team"], " ".join(exc.messages))
        for person in report.people:
            _create_person(person, teams, report)
        if report.errors:
            transaction.set_rollback(True)
            return
        report.committed = True


def _create_person(person: PersonRow, teams: dict[str, Team], report: ImportReport) -> None:
    member_of = teams.get(person.teams[0].lower()) if person.role != Role.DIRECTOR and person.teams else None
    try:
        user = user_create(
            username=person.username, password=person.password, display_name=person.display_name,
            role=person.role, team=member_of, phone=person.phone,
        )
        if person.becomes_lead and member_of is not None:
            team_update(team=member_of, lead=user)
        for name in person.teams if person.role == Role.DIRECTOR else []:
            team_update(team=teams[name.lower()], director=user)
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            report.error(person.row, report.columns.get(key, ""), " ".join(messages))
    except IntegrityError:
        report.error(person.row, report.columns["username"], _(
            "The login name %(name)s was taken while importing."
        ) % {"name": person.username})


def people_template_xlsx() -> bytes:
    """The sheet to fill in: the Chinese headers, one example row, text columns kept as text."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "人员"
    sheet.append([names[0] for names in COLUMNS.values()])
    sheet.append(["张伟", "zhangwei", "13812345678", "销售人员", "华东一组", "Xiaoshou-2026!"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDEF", (12, 16, 16, 14, 16, 18), strict=True):
        sheet.column_dimensions[letter].width = width
        for cell in sheet[letter]:
            cell.number_format = "@"
    notes = workbook.create_sheet("说明")
    for line in (
        _("One person a row. Required columns: 姓名, 登录名, 角色, 团队, 初始密码; 手机 is optional."),
        _("角色 is one of 销售人员, 团队负责人, 销售总监 (or rep, lead, director)."),
        _("团队: the team of a rep or lead; for a director, the teams they direct, separated by 、"),
        _("Teams that do not exist yet are created. The first lead of a team without a lead becomes its lead."),
        _("初始密码: at least 8 characters, not only digits, not a common password."),
        _("No cell may start with =, + , - or @ (except a mobile number written as +86...)."),
    ):
        notes.append([line])
    notes.column_dimensions["A"].width = 100
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
