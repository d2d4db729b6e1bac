"""Makes the real-world fixtures of this folder once (they are committed; run again only to change them).

A workbook written by openpyxl (``source.xlsx``, kept too) is converted by LibreOffice into the files
that WPS, Excel and LibreOffice users send: ``libreoffice.xlsx`` (shared strings, cached formula values),
``libreoffice.xls`` (BIFF8) and ``libreoffice.ods``; and one sheet for each import in the formats that
only the new reader reads: ``customers.xls``, ``followups.ods`` (a contact in 2020: older than any
import accepts, which proves its date was read) and ``people.ods``. ``zip-bomb.xlsx`` is crafted: 600 KB
that unpack to 250 MB of shared strings (too slow to build in every test run).

Needs Debian's ``libreoffice-calc-nogui``::

    python salesops/core/tests/sheets/make_fixtures.py
"""

from __future__ import annotations

import datetime as dt
import subprocess
import tempfile
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

HERE = Path(__file__).parent


def source() -> openpyxl.Workbook:
    """Header and three customers: Chinese text, a rich text cell, dates with date styles, a formula."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "客户"
    sheet.append(["客户名称", "电话/手机", "跟进时间", "下次跟进日期", "预算", "关注点"])
    sheet.append(["上海星河科技有限公司", 13812345678, dt.datetime(2026, 11, 26, 10, 30), dt.date(2026, 12, 3),
                  500000, "价格"])
    sheet.append(["北京长城物流有限公司", "010-61234567", dt.datetime(2026, 11, 27, 9, 0), dt.date(2027, 1, 15),
                  "=1000*50", None])
    sheet.append(["深圳华南电子有限公司", "020-83758474转801", dt.datetime(2026, 11, 28, 14, 5, 9),
                  dt.date(2026, 12, 31), 3.5, None])
    sheet["F3"] = CellRichText([TextBlock(InlineFont(b=True), "交期"), "与", TextBlock(InlineFont(i=True), "售后")])
    sheet["D4"].number_format = "yyyy年m月d日"
    sheet["G6"] = "备注在最后一列之外"
    return workbook


IMPORTS: dict[str, tuple[str, list[list[object]]]] = {
    "customers.xls": ("客户", [
        ["客户名称", "联系人", "职务", "电话/手机", "微信", "邮箱", "行业", "企业规模", "决策人", "预算", "关注点",
         "标签", "客户等级", "评级原因", "地址", "统一社会信用代码", "负责人"],
        ["上海星辰精密制造有限公司", "刘强", "采购经理", 13812345678, "", "", "制造业", "中小型", "", "50万", "",
         "展会线索", "B", "预算已批", "", "", ""],
        ["杭州云帆软件有限公司", "", "", "0571-88881234", "", "", "软件", "", "", 1200000, "", "", "", "", "", "", ""],
    ]),
    "followups.ods": ("客户跟进记录表", [
        ["客户名称", "跟进时间", "方式", "沟通要点", "客户反馈", "下一步计划", "下次跟进日期"],
        ["上海星辰精密制造有限公司", dt.datetime(2020, 5, 6, 10, 30), "电话", "确认报价", "", "", None],
    ]),
    "people.ods": ("人员", [
        ["姓名", "登录名", "手机", "角色", "团队", "初始密码"],
        ["张伟", "zhangwei", 13800000002, "销售人员", "华东一组", "Xiaoshou-2026!"],
    ]),
}


def convert(source: Path, target: str, profile: str) -> bytes:
    subprocess.run(
        ["libreoffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", target,
         "--outdir", profile, str(source)], check=True, capture_output=True,
    )
    return (Path(profile) / f"{source.stem}.{target}").read_bytes()


def zip_bomb() -> None:
    """LibreOffice's workbook with its xl/sharedStrings.xml replaced by 250 MB of one string, deflated."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    with zipfile.ZipFile(HERE / "libreoffice.xlsx") as parts, \
            zipfile.ZipFile(HERE / "zip-bomb.xlsx", "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name in parts.namelist():
            if name != "xl/sharedStrings.xml":
                archive.writestr(name, parts.read(name))
        with archive.open("xl/sharedStrings.xml", "w") as part:
            part.write(f'<sst xmlns="{main}">'.encode())
            block = b"<si><t>a</t></si>" * 60_000
            for _ in range(250_000_000 // len(block)):
                part.write(block)
            part.write(b"</sst>")


def main() -> None:
    source().save(HERE / "source.xlsx")
    with tempfile.TemporaryDirectory() as profile:
        for target in ("xlsx", "xls", "ods"):
            (HERE / f"libreoffice.{target}").write_bytes(convert(HERE / "source.xlsx", target, profile))
        for name, (title, rows) in IMPORTS.items():
            workbook = openpyxl.Workbook()
            sheet = workbook.active
            sheet.title = title
            for row in rows:
                sheet.append(row)
            made = Path(profile) / f"{Path(name).stem}.xlsx"
            workbook.save(made)
            (HERE / name).write_bytes(convert(made, Path(name).suffix[1:], profile))
    zip_bomb()


if __name__ == "__main__":
    main()
