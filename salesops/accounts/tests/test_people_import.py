"""People import (first-run set-up, R1 roles and teams): all or nothing, every problem on its sheet row."""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import translation

from salesops.accounts import importing
from salesops.accounts.importing import ImportIssue, people_import, people_template_xlsx
from salesops.accounts.models import Role, Team, User
from salesops.testing.factories import make_team, make_user

HEADERS = ["姓名", "登录名", "手机", "角色", "团队", "初始密码"]
PASSWORD = "Xiaoshou-2026!"
# A tiny but real PNG file (1×1 pixel).
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def admin(db: None) -> User:
    return make_user(username="boss", display_name="王管理", role=Role.ADMIN, team=None)


def xlsx(rows: list[list[object]], headers: list[str] = HEADERS) -> SimpleUploadedFile:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("people.xlsx", buffer.getvalue())


def csv_file(lines: list[str], encoding: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("people.csv", "\r\n".join(lines).encode(encoding))


def counts() -> tuple[int, int]:
    return User.objects.count(), Team.objects.count()


ZHANG: list[object] = ["张伟", "zhangwei", "", "rep", "华东一组", PASSWORD]
NOT_A_SHEET = ("The file is not a spreadsheet: save it as an Excel workbook (.xlsx, .xls), an OpenDocument "
               "spreadsheet (.ods) or a CSV file in UTF-8 or GBK.")
DAMAGED = "The spreadsheet is damaged and cannot be read. Open it in Excel or WPS and save it again."
GOOD_ROWS: list[list[object]] = [
    ["陈组长", "chen", "13800000001", "团队负责人", "华东一组", PASSWORD],
    ["张伟", "zhangwei", 13800000002, "销售人员", "华东一组", PASSWORD],
    ["李娜", "lina", "+86 138-0000-0003", "rep", "华南一组", PASSWORD],
    ["赵总监", "zhao", "", "销售总监", "华东一组、华南一组", PASSWORD],
]


def test_good_xlsx_creates_exactly_the_people_and_the_missing_teams(admin: User) -> None:
    south = make_team(name="华南一组")
    report = people_import(file=xlsx(GOOD_ROWS), dry_run=False, by=admin)

    assert report.errors == []
    assert report.committed is True
    assert report.kind == "xlsx"
    assert report.new_teams == ["华东一组"]
    assert "Team 华东一组 does not exist yet and is created by the import (row 2)." in report.notes
    assert set(Team.objects.values_list("name", flat=True)) == {"华东一组", "华南一组"}
    east = Team.objects.get(name="华东一组")
    people = {u.username: u for u in User.objects.exclude(pk=admin.pk)}
    assert set(people) == {"chen", "zhangwei", "lina", "zhao"}
    assert [(p.display_name, p.role, p.team_id, p.phone) for p in (people[k] for k in sorted(people))] == [
        ("陈组长", Role.LEAD, east.pk, "13800000001"),
        ("李娜", Role.REP, south.pk, "13800000003"),
        ("张伟", Role.REP, east.pk, "13800000002"),
        ("赵总监", Role.DIRECTOR, None, ""),
    ]
    assert all(p.check_password(PASSWORD) for p in people.values())
    east.refresh_from_db()
    south.refresh_from_db()
    assert (east.lead, east.director) == (people["chen"], people["zhao"])
    assert (south.lead, south.director) == (None, people["zhao"])


def test_dry_run_checks_everything_and_creates_nothing(admin: User) -> None:
    before = counts()
    report = people_import(file=xlsx(GOOD_ROWS), dry_run=True, by=admin)
    assert report.ok is True
    assert report.committed is False
    assert [p.username for p in report.people] == ["chen", "zhangwei", "lina", "zhao"]
    assert [p.row for p in report.people] == [2, 3, 4, 5]
    assert report.new_teams == ["华东一组", "华南一组"]
    assert counts() == before


def test_gbk_csv_with_chinese_headers_is_imported(admin: User) -> None:
    make_team(name="华东一组")
    lines = [",".join(HEADERS), f"张伟,zhangwei,13800000002,销售人员,华东一组,{PASSWORD}"]
    data = csv_file(lines, "gbk")
    with pytest.raises(UnicodeDecodeError):
        data.read().decode("utf-8")
    report = people_import(file=data, dry_run=False, by=admin)
    assert (report.kind, report.errors, report.committed) == ("csv", [], True)
    person = User.objects.get(username="zhangwei")
    assert (person.display_name, person.team.name, person.role) == ("张伟", "华东一组", Role.REP)


def test_utf8_csv_with_bom_and_english_headers_is_imported(admin: User) -> None:
    lines = ["name,username,phone,role,team,password", f"Li Na,lina,,lead,East,{PASSWORD}"]
    report = people_import(file=SimpleUploadedFile("x.csv", "\n".join(lines).encode("utf-8-sig")),
                           dry_run=False, by=admin)
    assert (report.errors, report.committed) == ([], True)
    team = Team.objects.get(name="East")
    assert team.lead == User.objects.get(username="lina")


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param(
            [["张伟", "zhangwei", "", "经理", "华东一组", PASSWORD]],
            [ImportIssue(2, "角色", "Unknown role 经理: use 销售人员, 团队负责人 or 销售总监 "
                                   "(or rep, lead, director).")],
            id="unknown-role",
        ),
        pytest.param(
            [ZHANG, ["张伟二", "ZhangWei", "", "rep", "华东一组", PASSWORD]],
            [ImportIssue(3, "登录名", "The login name ZhangWei is also on row 2.")],
            id="duplicate-in-sheet",
        ),
        pytest.param(
            [ZHANG, ["老员工", "taken", "", "rep", "华东一组", PASSWORD]],
            [ImportIssue(3, "登录名", "The login name taken is taken.")],
            id="login-in-database",
        ),
        pytest.param(
            [ZHANG, ["李娜", "lina", "1380000", "rep", "华东一组", PASSWORD]],
            [ImportIssue(3, "手机", "Enter a mainland mobile number of 11 digits, e.g. 13812345678.")],
            id="invalid-mobile",
        ),
        pytest.param(
            [["张伟", "zhangwei", "", "rep", "华东一组", "12345678"]],
            [ImportIssue(2, "初始密码", "This password is too common. This password is entirely numeric.")],
            id="weak-password",
        ),
        pytest.param(
            [ZHANG, ['@HYPERLINK("http://x","y")', "lina", "", "rep", "华东一组", PASSWORD]],
            [ImportIssue(3, "姓名", "The cell starts with =, +, - or @ and is refused as a formula; "
                                   "remove that first character.")],
            id="formula",
        ),
        pytest.param(
            [["张伟", "zhangwei", "", "rep", "", PASSWORD]],
            [ImportIssue(2, "团队", "Reps and team leads belong to a team: enter the team's name.")],
            id="rep-without-team",
        ),
        pytest.param(
            [["张伟", "", "", "rep", "华东一组", PASSWORD]],
            [ImportIssue(2, "登录名", "This cell must not be empty.")],
            id="empty-login",
        ),
        pytest.param(
            [["老组", "oldrep", "", "rep", "旧组", PASSWORD]],
            [ImportIssue(2, "团队", "Team 旧组 is closed.")],
            id="closed-team",
        ),
    ],
)
def test_a_bad_row_is_reported_on_its_sheet_row_and_nothing_is_created(
    admin: User, rows: list[list[object]], expected: list[ImportIssue]
) -> None:
    make_user(username="taken", team=make_team(name="华南一组"))
    Team.objects.create(name="旧组", is_active=False)
    before = counts()
    report = people_import(file=xlsx(rows), dry_run=False, by=admin)
    assert report.errors == expected
    assert report.committed is False
    assert counts() == before


def test_a_blank_row_keeps_the_numbering_of_the_sheet(admin: User) -> None:
    rows: list[list[object]] = [["张伟", "zhangwei", "", "rep", "A", PASSWORD], [], ["李娜", "lina", "", "boss", "A",
                                                                                 PASSWORD]]
    report = people_import(file=xlsx(rows), dry_run=True, by=admin)
    assert [(e.row, e.column) for e in report.errors] == [(4, "角色")]


def test_a_missing_required_column_is_reported_once(admin: User) -> None:
    headers = ["姓名", "手机", "角色", "团队", "初始密码"]
    rows: list[list[object]] = [["张伟", "", "rep", "A", PASSWORD], ["李娜", "", "rep", "A", PASSWORD]]
    before = counts()
    report = people_import(file=xlsx(rows, headers), dry_run=False, by=admin)
    assert report.errors == [ImportIssue(1, "登录名", "The required column 登录名 is missing (in English: username).")]
    assert counts() == before


def test_more_than_2000_people_are_refused(admin: User) -> None:
    rows: list[list[object]] = [[f"员工{i}", f"user{i}", "", "rep", "A", PASSWORD] for i in range(2001)]
    before = counts()
    report = people_import(file=xlsx(rows), dry_run=False, by=admin)
    assert report.errors == [ImportIssue(None, "", "The sheet has more than 2000 rows; split it into several files.")]
    assert counts() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(PNG, NOT_A_SHEET, id="renamed-png"),
        pytest.param(os.urandom(4096) + b"\x00\xff", NOT_A_SHEET, id="random-bytes"),
        pytest.param(b"", "The file is empty.", id="empty"),
        pytest.param(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512),
                     "The file is named .xlsx but holds an old Excel workbook (.xls). Save it again from Excel or WPS "
                     "in the format its name says.", id="xls-named-xlsx"),
    ],
)
def test_a_file_that_is_not_a_sheet_is_refused(admin: User, content: bytes, message: str) -> None:
    before = counts()
    report = people_import(file=SimpleUploadedFile("people.xlsx", content), dry_run=False, by=admin)
    assert report.errors == [ImportIssue(None, "", message)]
    assert counts() == before


def test_a_broken_xlsx_is_a_clear_error(admin: User) -> None:
    good = xlsx(GOOD_ROWS).read()
    truncated = SimpleUploadedFile("people.xlsx", good[: len(good) // 2])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<not-xml")
        archive.writestr("xl/workbook.xml", "garbage")
    garbled = SimpleUploadedFile("people.xlsx", buffer.getvalue())
    for file in (truncated, garbled):
        report = people_import(file=file, dry_run=True, by=admin)
        assert report.errors == [ImportIssue(None, "", DAMAGED)]


def test_a_zip_that_is_not_a_workbook_is_refused(admin: User) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    report = people_import(file=SimpleUploadedFile("people.xlsx", buffer.getvalue()), dry_run=True, by=admin)
    assert report.errors == [ImportIssue(None, "", NOT_A_SHEET)]


@override_settings(UPLOAD_MAX_BYTES=1024 * 1024)
def test_a_file_over_the_size_limit_is_refused(admin: User) -> None:
    big = SimpleUploadedFile("people.csv", b"a," * (1024 * 1024))
    report = people_import(file=big, dry_run=True, by=admin)
    assert report.errors == [ImportIssue(None, "", "The file is larger than 1 MB.")]


def test_a_phone_written_with_plus_86_is_not_a_formula(admin: User) -> None:
    rows: list[list[object]] = [["张伟", "zhangwei", "+8613800000002", "rep", "A", PASSWORD]]
    report = people_import(file=xlsx(rows), dry_run=False, by=admin)
    assert report.errors == []
    assert User.objects.get(username="zhangwei").phone == "13800000002"


def test_a_service_refusing_a_late_row_rolls_back_the_rows_and_teams_before_it(
    admin: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The commit is all-or-nothing even when a row passes the check but the service refuses it."""
    real = importing.user_create

    def refusing(**kwargs: object) -> User:
        if kwargs["username"] == "zhao":
            raise ValidationError({"phone": "refused by the service"})
        return real(**kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(importing, "user_create", refusing)
    before = counts()
    report = people_import(file=xlsx(GOOD_ROWS), dry_run=False, by=admin)
    assert report.errors == [ImportIssue(5, "手机", "refused by the service")]
    assert report.committed is False
    assert counts() == before


def test_the_commit_refuses_a_file_other_than_the_checked_one(admin: User) -> None:
    checked = people_import(file=xlsx(GOOD_ROWS), dry_run=True, by=admin)
    other = xlsx(GOOD_ROWS[:1])
    before = counts()
    report = people_import(file=other, dry_run=False, by=admin, expected_digest=checked.digest)
    assert report.errors == [
        ImportIssue(None, "", "This is not the file that was checked. Check the file again, then commit it.")
    ]
    assert counts() == before


def test_only_an_admin_may_import(admin: User) -> None:
    lead = make_user(username="lead", role=Role.LEAD)
    before = counts()
    with pytest.raises(PermissionDenied):
        people_import(file=xlsx(GOOD_ROWS), dry_run=False, by=lead)
    assert counts() == before


def test_the_template_has_the_headers_and_an_example_row_that_imports(admin: User) -> None:
    data = people_template_xlsx()
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    assert [c.value for c in sheet[1]] == HEADERS
    assert [c.value for c in sheet[2]] == ["张伟", "zhangwei", "13812345678", "销售人员", "华东一组", PASSWORD]
    assert sheet.max_row == 2
    report = people_import(file=SimpleUploadedFile("t.xlsx", data), dry_run=False, by=admin)
    assert (report.errors, report.committed) == ([], True)
    assert User.objects.get(username="zhangwei").team == Team.objects.get(name="华东一组")


def test_people_import_from_an_ods_file(admin: User) -> None:
    """OpenDocument from LibreOffice (core/tests/sheets/make_fixtures.py), the mobile number a number cell."""
    content = (Path(__file__).resolve().parents[2] / "core" / "tests" / "sheets" / "people.ods").read_bytes()
    report = people_import(file=SimpleUploadedFile("人员.ods", content), dry_run=False, by=admin)
    assert (report.kind, report.errors) == ("ods", [])
    zhang = User.objects.get(username="zhangwei")
    assert (zhang.display_name, zhang.phone, zhang.role) == ("张伟", "13800000002", Role.REP)
    assert zhang.team is not None and zhang.team.name == "华东一组"
