"""The tool's own template, filled the way offices do in Excel or WPS, read back by the ingest.

Each case writes a real template (`write_templates`), edits it with openpyxl as a unit
would (strike a row through, rename a header, copy the sheet for another round) and
checks the ledger against expectations worked out by hand.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.styles import Font

from analysis import ingest
from analysis.roster import load_roster
from analysis.templates.batch import write_templates
from analysis.templates.fill import fill_template

UNIT = "长阳镇总工会"
SCHOOL, CLINIC = "长阳镇第一小学工会", "长阳镇卫生院工会"


@pytest.fixture
def template(raw, campaign, tmp_path) -> callable:
    """A function: round code -> a copy of 长阳镇's template of that round, in submissions/."""
    roster = load_roster(raw / "roster")

    def make(round_code: str, name: str = "长阳镇报送表.xlsx") -> Path:
        out = tmp_path / f"templates_{round_code}"
        paths = write_templates(roster, campaign, round_code, out)
        (path,) = [p for p in paths if p.name.startswith(UNIT)]
        return Path(shutil.copy(path, raw / "submissions" / name))

    return make


def activity(unit: str, day: dt.date, participants: object) -> dict:
    """A template row as a unit types it: union, date, work item, form and participants."""
    return {"grassroots_unit": unit, "date": day, "work_item": "切实抓好学习", "form": "讨论会",
            "participants": participants}  # fmt: skip


def ledger(raw: Path, out: Path) -> dict[tuple[str, int], dict]:
    ingest.run(raw, out, progress=False)
    with open(out / "rows.csv", encoding="utf-8-sig", newline="") as fh:
        return {(r["sheet"], int(r["row"])): r for r in csv.DictReader(fh)}


def test_a_row_struck_through_in_a_template_is_the_units_deletion(template, raw, tmp_path):
    """Row 7 of the template struck through (every filled cell): the unit deleted it, as in
    any other workbook — rejected, row_deleted; rows 6 and 8 are counted."""
    path = template("r2")
    fill_template(
        path,
        [
            activity(SCHOOL, dt.date(2019, 7, 9), 20),
            activity(CLINIC, dt.date(2019, 7, 10), 30),
            activity("本级", dt.date(2019, 7, 11), 40),
        ],
        {"填报日期": dt.date(2019, 10, 2)},
    )
    book = load_workbook(path)
    for cell in book["活动情况"][7]:
        if cell.value is not None:
            cell.font = Font(strike=True)
    book.save(path)
    rows = ledger(raw, tmp_path / "out")
    got = {n: (rows["活动情况", n]["state"], rows["活动情况", n]["reason"]) for n in (6, 7, 8)}
    assert got == {6: ("accepted", "ok"), 7: ("rejected", "row_deleted"), 8: ("accepted", "ok")}
    issues = (tmp_path / "out" / "issues.csv").read_text(encoding="utf-8-sig")
    assert ",活动情况,7,,error,row_deleted," in issues


@pytest.mark.parametrize(
    ("renamed", "inserted"),
    [
        ({"C5": "日期", "F5": "参与人数（人）"}, None),
        ({"F5": "参加人数（人次）"}, "联系人"),
        ({"B5": "基层工会（全称）", "F5": "人数(人)"}, None),
    ],
)
def test_a_template_header_renamed_slightly_keeps_its_columns(
    template, raw, tmp_path, renamed, inserted
):
    """A unit renames 活动日期 → 日期, 参加人数 → 参与人数（人）, … (and may insert a 联系人
    column before 参加人数): the columns are found by their new names as the general
    reader finds them, so participants 20 and 30 are read, never missing."""
    path = template("r2")
    fill_template(
        path,
        [activity(SCHOOL, dt.date(2019, 7, 9), 20), activity(CLINIC, dt.date(2019, 7, 10), "30人")],
        {"填报日期": dt.date(2019, 10, 2)},
    )
    book = load_workbook(path)
    sheet = book["活动情况"]
    for ref, text in renamed.items():
        sheet[ref] = text
    if inserted:
        sheet.insert_cols(6)  # before 参加人数: rows 5.. move right (the header block too)
        sheet["F5"] = inserted
        sheet["F6"], sheet["F7"] = "王芳", "李娜"
    book.save(path)
    rows = ledger(raw, tmp_path / "out")
    got = [(rows["活动情况", n]["grassroots_unit"], rows["活动情况", n]["date"],
            rows["活动情况", n]["participants"]) for n in (6, 7)]  # fmt: skip
    assert got == [(SCHOOL, "2019-07-09", "20"), (CLINIC, "2019-07-10", "30")]


@pytest.mark.parametrize("copy_title", ["活动情况 (2)", "Sheet2"])
def test_a_template_sheet_copied_for_the_next_round_counts_in_that_round(
    template, raw, tmp_path, copy_title
):
    """长阳镇 copies its second-round sheet (Excel's 移动或复制 → 建立副本), sets the copy's
    报送期次 to 第三阶段（总结） and types its October rows there. Each sheet states its
    own round in its own header block: the copy's rows count in r3, the original's in r2,
    and the file is a report of both (r2;r3)."""
    path = template("r2")
    fill_template(
        path, [activity(SCHOOL, dt.date(2019, 7, 9), 20)], {"填报日期": dt.date(2019, 12, 30)}
    )
    book = load_workbook(path)
    copy = book.copy_worksheet(book["活动情况"])
    copy.title = copy_title
    copy["F2"] = "第三阶段（总结）"
    for ref, value in {"B6": CLINIC, "C6": dt.datetime(2019, 10, 15), "F6": 30}.items():
        copy[ref] = value
    book.save(path)
    rows = ledger(raw, tmp_path / "out")
    assert (rows["活动情况", 6]["round"], rows["活动情况", 6]["state"]) == ("r2", "accepted")
    assert (rows[copy_title, 6]["round"], rows[copy_title, 6]["state"]) == ("r3", "accepted")
    with open(tmp_path / "out" / "submissions.csv", encoding="utf-8-sig", newline="") as fh:
        (sub,) = csv.DictReader(fh)
    assert (sub["round"], sub["state"], sub["rows_accepted"]) == ("r2;r3", "current", "2")


def test_a_sheet_named_with_a_full_width_sign_is_never_a_formula(template, raw, tmp_path, campaign):
    """The activity sheet renamed ＝1+2 (a full-width ＝, as a Chinese input method types
    it; sheet names are kept as written, not normalised): rows.csv's sheet column holds it
    after an apostrophe, 数据明细.xlsx as quoted text; 参加人次 and 活动日期 stay a number
    and a date there."""
    import pandas as pd

    from analysis.exports.details import write_details

    name = "＝1+2"
    path = template("r2")
    fill_template(
        path, [activity(SCHOOL, dt.date(2019, 7, 9), 20)], {"填报日期": dt.date(2019, 10, 2)}
    )
    book = load_workbook(path)
    book["活动情况"].title = name
    book.save(path)
    out = tmp_path / "out"
    ingest.run(raw, out, progress=False)
    with open(out / "rows.csv", encoding="utf-8-sig", newline="") as fh:
        (row,) = csv.DictReader(fh)
    assert (row["sheet"], row["state"], row["participants"]) == ("'" + name, "accepted", "20")
    assert pd.read_parquet(out / "rows.parquet")["sheet"].tolist() == [name]  # as written
    written = write_details(
        tmp_path / "数据明细.xlsx",
        pd.read_parquet(out / "rows.parquet"),
        pd.read_parquet(out / "submissions.parquet"),
        pd.read_parquet(out / "issues.parquet"),
        pd.read_parquet(out / "coverage.parquet"),
        campaign,
    )
    sheet = load_workbook(written)["活动明细"]
    head = [c.value for c in sheet[1]]
    cells = {label: sheet.cell(row=2, column=head.index(label) + 1) for label in head}
    assert (cells["工作表"].value, cells["工作表"].quotePrefix) == (name, True)
    assert (cells["参加人次"].value, cells["参加人次"].data_type) == (20, "n")
    assert cells["活动日期"].value == dt.datetime(2019, 7, 9)


def _insert_as_excel_does(sheet, row: int | None = None, column: int | None = None) -> None:
    """Insert one row or column as Excel does: merged ranges move with the cells
    (openpyxl's insert_rows/insert_cols leave them where they were)."""
    from openpyxl.utils import get_column_letter, range_boundaries

    ranges = [str(r) for r in sheet.merged_cells.ranges]
    for r in ranges:
        sheet.unmerge_cells(r)
    if row is not None:
        sheet.insert_rows(row)
    else:
        sheet.insert_cols(column)
    for r in ranges:
        c1, r1, c2, r2 = range_boundaries(r)
        if row is not None:
            r1, r2 = r1 + (r1 >= row), r2 + (r2 >= row)
        else:
            c1, c2 = c1 + (c1 >= column), c2 + (c2 >= column)
        sheet.merge_cells(f"{get_column_letter(c1)}{r1}:{get_column_letter(c2)}{r2}")


def test_a_header_block_moved_down_and_right_keeps_its_values(template, raw, tmp_path):
    """A line inserted above the title and a column inserted at B: 填报日期's label moves
    from A3 to A4 and its value from B4 to C4, past the new empty B4. The date is still
    read (2019-10-02), so this correction still replaces the earlier file by its date."""
    earlier = template("r2", "长阳镇报送表.xlsx")
    fill_template(
        earlier, [activity(SCHOOL, dt.date(2019, 7, 9), 20)], {"填报日期": dt.date(2019, 9, 28)}
    )
    path = template("r2", "长阳镇报送表（更正）.xlsx")
    fill_template(
        path, [activity(CLINIC, dt.date(2019, 7, 9), 30)], {"填报日期": dt.date(2019, 10, 2)}
    )
    book = load_workbook(path)
    sheet = book["活动情况"]
    _insert_as_excel_does(sheet, row=1)
    _insert_as_excel_does(sheet, column=2)
    assert (sheet["A4"].value, sheet["B4"].value) == ("填报日期", None)
    book.save(path)
    ledger(raw, tmp_path / "out")
    with open(tmp_path / "out" / "submissions.csv", encoding="utf-8-sig", newline="") as fh:
        subs = {Path(r["file"]).name: r for r in csv.DictReader(fh)}
    got = {name: (r["report_date"], r["state"]) for name, r in subs.items()}
    assert got == {
        "长阳镇报送表.xlsx": ("2019-09-28", "superseded"),
        "长阳镇报送表（更正）.xlsx": ("2019-10-02", "current"),
    }


def _delete_column_as_excel_does(sheet, column: int) -> None:
    """Delete one column as Excel does: merged ranges move left with the cells (and one
    wholly inside the deleted column goes)."""
    from openpyxl.utils import get_column_letter, range_boundaries

    ranges = [str(r) for r in sheet.merged_cells.ranges]
    for r in ranges:
        sheet.unmerge_cells(r)
    sheet.delete_cols(column)
    for r in ranges:
        c1, r1, c2, r2 = range_boundaries(r)
        c1, c2 = c1 - (c1 > column), c2 - (c2 >= column)
        if (c1, r1) != (c2, r2) and c2 >= c1:
            sheet.merge_cells(f"{get_column_letter(c1)}{r1}:{get_column_letter(c2)}{r2}")


def _two_corrections(template, cells: dict[str, object] | None = None, delete: int | None = None):
    """长阳镇's r2 report dated 9月28日 and its correction dated 10月2日, the correction
    edited: `cells` typed over, then column `delete` deleted."""
    earlier = template("r2", "长阳镇报送表.xlsx")
    fill_template(
        earlier, [activity(SCHOOL, dt.date(2019, 7, 9), 20)], {"填报日期": dt.date(2019, 9, 28)}
    )
    path = template("r2", "长阳镇报送表（更正）.xlsx")
    fill_template(
        path, [activity(CLINIC, dt.date(2019, 7, 9), 30)], {"填报日期": dt.date(2019, 10, 2)}
    )
    book = load_workbook(path)
    sheet = book["活动情况"]
    for ref, value in (cells or {}).items():
        sheet[ref] = value
    if delete is not None:
        _delete_column_as_excel_does(sheet, delete)
    book.save(path)


def _submissions(raw: Path, out: Path) -> dict[str, tuple[str, str, str]]:
    ledger(raw, out)
    with open(out / "submissions.csv", encoding="utf-8-sig", newline="") as fh:
        return {
            Path(r["file"]).name: (r["reporting_unit"], r["report_date"], r["state"])
            for r in csv.DictReader(fh)
        }


CORRECTED = {
    "长阳镇报送表.xlsx": (UNIT, "2019-09-28", "superseded"),
    "长阳镇报送表（更正）.xlsx": (UNIT, "2019-10-02", "current"),
}


def test_a_header_block_whose_label_column_was_deleted_keeps_its_values(template, raw, tmp_path):
    """The unit deletes column A (序号) of its correction: the labels 填报单位 (A2) and
    填报日期 (A3) go with it and every other cell moves one column left (联系人 C3 → B3,
    报送期次 E2 → D2). The labels that are left tell how far the block moved, so the date
    typed in B3, now in A3, is still read: 2019-10-02, later than 9月28日, and the
    correction replaces the earlier report (not "本表没有填写填报日期")."""
    _two_corrections(template, delete=1)
    assert _submissions(raw, tmp_path / "out") == CORRECTED
    issues = (tmp_path / "out" / "issues.csv").read_text(encoding="utf-8-sig")
    assert "本表没有填写填报日期" not in issues
    assert (
        "表头“填报日期”（A3单元格）被删除或修改，已按其他表头移动的位置读取其内容（A3单元格）"
        in issues
    )


def test_a_header_label_and_value_typed_in_one_cell_is_read(template, raw, tmp_path):
    """The unit types 填报日期：2019年10月2日 over the label cell A3 and clears B3: the
    label's own cell holds the value after the colon, so the correction is dated 10月2日."""
    _two_corrections(template, {"A3": "填报日期：2019年10月2日", "B3": None})
    assert _submissions(raw, tmp_path / "out") == CORRECTED


def test_a_header_block_whose_value_column_was_deleted_has_no_value(template, raw, tmp_path):
    """Column B deleted (the values 长阳镇总工会 and the date go): 填报日期 stays in A3 with
    nothing right of it but the next label, so the correction has no date (the earlier
    dated report stands) and the unit comes from the template's marker."""
    _two_corrections(template, delete=2)
    subs = _submissions(raw, tmp_path / "out")
    assert subs == {
        "长阳镇报送表.xlsx": (UNIT, "2019-09-28", "current"),
        "长阳镇报送表（更正）.xlsx": (UNIT, "", "superseded"),
    }


def test_a_template_and_its_copy_in_the_same_workbook_count_alike(template, raw, tmp_path):
    """长阳镇 copies its sheet for a second batch of rows (the copy has no `_meta` link and
    is read as any workbook's sheet) and writes both batches alike: a row whose union
    says 同上 is the row above's union (长阳镇第一小学工会, warned `value_ditto`), a remark
    under the rows is a note, a 合计 row is a total. The original (read by the template's
    positions) and the copy count the same: 2 activities each, 20 + 21 participants."""
    rows = [
        activity(SCHOOL, dt.date(2019, 7, 9), 20),
        activity("同上", dt.date(2019, 7, 12), 21),
        {"note": "以上活动均已上报"},
        {"grassroots_unit": "合计", "participants": 41},
    ]
    path = template("r2")
    fill_template(path, rows, {"填报日期": dt.date(2019, 9, 28)})
    book = load_workbook(path)
    copy = book.copy_worksheet(book["活动情况"])
    copy.title = "活动情况 (2)"
    for n in (6, 7):  # the second batch: a week later
        copy[f"C{n}"] = copy[f"C{n}"].value + dt.timedelta(days=7)
    book.save(path)
    got = ledger(raw, tmp_path / "out")
    expected = {
        6: ("accepted", SCHOOL, "20"),
        7: ("accepted", SCHOOL, "21"),
        8: ("rejected", "", ""),
        9: ("rejected", "", ""),
    }
    for sheet in ("活动情况", "活动情况 (2)"):
        found = {n: (got[sheet, n]["state"], got[sheet, n]["grassroots_unit"],
                     got[sheet, n]["participants"]) for n in expected}  # fmt: skip
        assert found == expected, sheet
        assert (got[sheet, 8]["reason"], got[sheet, 9]["reason"]) == ("note_row", "total_row")
    issues = (tmp_path / "out" / "issues.csv").read_text(encoding="utf-8-sig")
    assert ",活动情况,7,B,warning,value_ditto," in issues
    assert ",活动情况 (2),7,B,warning,value_ditto," in issues


def test_names_with_typed_escapes_come_back_from_a_filled_template(tmp_path, campaign):
    """A roster name holding `_x0041_` (text, as Excel stores it: `_x005F_x0041_`) is written
    into its template as that text, and the filled template is read back to the same unit
    and union: stored as typed, Excel would show `A区教委工会` and the rows fall out."""
    from conftest import ROSTER_HEADER, write_xlsx
    from python_calamine import CalamineWorkbook

    from analysis.safety import ooxml_escape

    unit, union = "_x0041_区教委工会", "区_x005F_x0041_中学工会"
    raw = tmp_path / "raw"
    stored = [ROSTER_HEADER, [1, ooxml_escape(union), ooxml_escape(unit), "系统", 40, 45, "C1"]]
    write_xlsx(raw / "roster" / "名册.xlsx", stored)
    (raw / "submissions").mkdir()
    roster = load_roster(raw / "roster")
    assert roster.units["unit"].tolist() == [union]
    (path,) = write_templates(roster, campaign, "r2", tmp_path / "templates")
    shown = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("活动情况").to_python()
    assert [unit] == [row[i + 1] for row in shown[:5] for i, v in enumerate(row) if v == "填报单位"]
    path = Path(shutil.copy(path, raw / "submissions" / "报送表.xlsx"))
    # The unit picks the union from the list; Excel stores it escaped, as openpyxl does not.
    fill_template(
        path, [activity(ooxml_escape(union), dt.date(2019, 7, 10), 35)],
        {"report_date": dt.date(2019, 10, 8)},
    )  # fmt: skip
    (row,) = ledger(raw, tmp_path / "out").values()
    assert (row["state"], row["grassroots_unit"], row["reporting_unit"], row["participants"]) == (
        "accepted", union, unit, "35",
    )  # fmt: skip
