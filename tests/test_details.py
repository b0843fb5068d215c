"""数据明细.xlsx: the processed tables with Chinese headers and values."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from openpyxl import load_workbook

from analysis import ingest
from analysis.exports import details
from tests.test_ingest import act, submission

ROWS = pd.DataFrame(
    [
        ("submissions/a.xlsx", "活动", "5", "accepted", "ok", "长阳镇第一小学工会", "长阳镇总工会",
         "study", "2019-06-03", "20", "town", "r1", "讨论会", "长阳镇总工会"),
        ("submissions/a.xlsx", "活动", "6", "accepted", "participants_unreadable", "长阳镇卫生院工会",
         "长阳镇总工会", "publicity", "2019-06-04", "", "town", "r1", "微信", "长阳镇总工会"),
        ("submissions/a.xlsx", "活动", "7", "rejected", "total_row", "", "长阳镇总工会",
         "", "", "", "town", "r1", "", ""),
        ("submissions/b.xlsx", "Sheet1", "3", "superseded", "superseded:submissions/a.xlsx",
         "长阳镇第一小学工会", "长阳镇总工会", "study", "2019-06-03", "15", "town", "r1", "讨论会",
         "长阳镇总工会"),
    ],
    columns=["file", "sheet", "row", "state", "reason", "grassroots_unit", "reporting_unit",
             "work_item", "date", "participants", "kind", "round", "form", "counted_for"],
)  # fmt: skip
SUBMISSIONS = pd.DataFrame(
    [
        ("submissions/a.xlsx", "长阳镇总工会", "town", "r1", "2019-07-01", "current", "True", "3", "2",
         "1", "活动", "", "", "王芳", "13800000000"),
        ("submissions/b.xlsx", "长阳镇总工会", "town", "r1", "2019-06-20", "superseded", "True", "1",
         "0", "0", "Sheet1", "submissions/a.xlsx", "", "王芳", "13800000000"),
        ("submissions/c.xlsx", "", "", "", "", "rejected", "", "0", "0", "0", "", "", "", "", ""),
    ],
    columns=["file", "reporting_unit", "kind", "round", "report_date", "state", "on_time",
             "rows_read", "rows_accepted", "rows_rejected", "sheets", "superseded_by",
             "duplicate_of", "contact", "phone"],
)  # fmt: skip
ISSUES = pd.DataFrame(
    [
        ("submissions/a.xlsx", "活动", "6", "参加人数", "warning", "participants_unreadable",
         "第6行的参加人数“若干”无法识别为数字。", "若干", ""),
        ("submissions/c.xlsx", "", "", "", "error", "corrupt", "文件“submissions/c.xlsx”已损坏。", "", ""),
    ],
    columns=["file", "sheet", "row", "column", "severity", "code", "message", "value", "suggestions"],
)  # fmt: skip
COVERAGE = pd.DataFrame(
    [
        ("district", "", "全区", 4, 2, 0.5, 200, 100, 0.5, 2, 20, 10.0),
        ("kind", "street", "street", 4, 2, 0.5, 200, 100, 0.5, 2, 20, 10.0),
        ("reporting_unit", "street", "拱辰街道总工会", 4, 2, 0.5, 200, 100, 0.5, 2, 20, 10.0),
    ],
    columns=["level", "kind", "group", "units_total", "units_covered", "unit_coverage",
             "members_total", "members_covered", "member_coverage", "activities",
             "participants", "participants_per_100"],
)  # fmt: skip


def _sheet(path, name):
    ws = load_workbook(path)[name]
    return ws, [list(r) for r in ws.iter_rows(values_only=True)]


def test_details_workbook_has_chinese_headers_states_and_blanks(tmp_path, campaign):
    path = details.write_details(
        tmp_path / "数据明细.xlsx", ROWS, SUBMISSIONS, ISSUES, COVERAGE, campaign
    )
    assert load_workbook(path).sheetnames == ["覆盖情况", "报送文件", "活动明细", "问题清单"]

    ws, cells = _sheet(path, "活动明细")
    assert cells[0] == ["文件", "工作表", "行号", "状态", "原因", "基层工会", "报送单位", "计入单位",
                        "类别", "期次", "工作类别", "活动形式", "活动日期", "参加人次"]  # fmt: skip
    assert cells[1] == ["submissions/a.xlsx", "活动", 5, "采用", "正常", "长阳镇第一小学工会",
                        "长阳镇总工会", "长阳镇总工会", "乡镇", "第一阶段", "学习", "讨论会",
                        dt.datetime(2019, 6, 3), 20]  # fmt: skip
    # Unreadable participants stay blank (not 0, not "nan").
    assert cells[2][3:5] == ["采用", "人数无法识别"] and cells[2][13] is None
    assert cells[3][3:5] == ["不采用", "合计行"] and cells[3][10] is None and cells[3][12] is None
    assert cells[4][3:5] == ["被替代", "被“submissions/a.xlsx”替代"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:N5"
    assert ws.cell(2, 13).number_format == "yyyy-mm-dd"

    ws, cells = _sheet(path, "报送文件")
    assert cells[0] == ["文件", "报送单位", "类别", "期次", "填报日期", "状态", "按时报送", "读取行数",
                        "计入行数", "未计入行数", "工作表", "被替代为", "与之重复"]  # fmt: skip
    assert [r[5] for r in cells[1:]] == ["有效", "被更正版替代", "无法使用"]
    assert [r[6] for r in cells[1:]] == ["是", "是", None]
    assert cells[2][11] == "submissions/a.xlsx"
    # No contact name or phone anywhere.
    assert not any(v in ("王芳", "13800000000") for r in cells for v in r)

    _, cells = _sheet(path, "问题清单")
    assert [r[4:6] for r in cells[1:]] == [["提示", "人数无法识别"], ["错误", "文件已损坏"]]
    assert cells[2][2] is None and cells[2][1] is None

    ws, cells = _sheet(path, "覆盖情况")
    assert [r[:3] for r in cells[1:]] == [
        ["全区", None, "全区"], ["类别", "街道", "街道总工会"], ["报送单位", "街道", "拱辰街道总工会"],
    ]  # fmt: skip
    assert cells[1][3:] == [4, 2, 0.5, 200, 100, 0.5, 2, 20, 10]
    assert ws.cell(2, 6).number_format == "0.0%"
    # Wide enough for a unit's name; "类别" fits "街道" on one line.
    assert ws.column_dimensions["C"].width >= details.display_width("拱辰街道总工会")
    assert ws.column_dimensions["B"].width >= 6


def test_details_coverage_sheet_agrees_with_coverage_csv(raw, tmp_path, campaign):  # noqa: F811
    submission(raw, "长阳镇.xlsx", "长阳镇总工会",
               [act("长阳镇第一小学", participants=20), act("长阳镇卫生院", participants="若干")],
               "2019-06-28")  # fmt: skip
    out = raw.parent / "out"
    ingest.run(raw, out, progress=False)

    def read(name):
        return pd.read_csv(out / f"{name}.csv", encoding="utf-8-sig", dtype=str,
                           keep_default_na=False, na_values=[""])  # fmt: skip

    coverage = pd.read_csv(out / "coverage.csv", encoding="utf-8-sig")
    path = details.write_details(
        tmp_path / "数据明细.xlsx", read("rows"), read("submissions"), read("issues"), coverage,
        campaign,
    )  # fmt: skip
    _, cells = _sheet(path, "覆盖情况")
    by_unit = {r[2]: r for r in cells[1:]}
    # 长阳镇总工会: 3 unions, 2 covered, 200 members of which 100 (40 + 60); 2 activities, 20 人次.
    assert by_unit["长阳镇总工会"][3:11] == [3, 2, 2 / 3, 200, 100, 0.5, 2, 20]
    assert by_unit["全区"][3:11] == pytest.approx([7, 2, 2 / 7, 330, 100, 100 / 330, 2, 20])
    # Every coverage.csv row is in the sheet with the same figures.
    assert len(cells) - 1 == len(coverage)
    for record in coverage.to_dict("records"):
        row = by_unit[details.KIND_LONG_NAMES.get(record["group"], record["group"])]
        expected = [
            None if pd.isna(record[c]) else record[c]
            for c in (
                "units_total",
                "units_covered",
                "unit_coverage",
                "members_total",
                "members_covered",
                "member_coverage",
                "activities",
                "participants",
            )
        ]
        assert row[3:11] == pytest.approx(expected)  # a 0/0 rate is a blank cell
    _, cells = _sheet(path, "活动明细")
    assert [r[3] for r in cells[1:]] == ["采用", "采用"]
    assert cells[2][13] is None  # 若干: blank, not 0


def test_details_workbook_is_the_same_built_in_memory_or_streamed(tmp_path, campaign, monkeypatch):
    # Small tables are built in memory (shared strings), large ones streamed row by row.
    def cells(path):
        book = load_workbook(path)
        return {
            ws.title: [[(c.value, c.number_format, c.quotePrefix) for c in row] for row in ws.rows]
            for ws in book.worksheets
        }

    rows = pd.concat([ROWS, ROWS.assign(grassroots_unit="=HYPERLINK(1)")], ignore_index=True)
    args = (rows, SUBMISSIONS, ISSUES, COVERAGE, campaign)
    in_memory = details.write_details(tmp_path / "memory.xlsx", *args)
    monkeypatch.setattr(details, "IN_MEMORY_ROWS", 0)
    streamed = details.write_details(tmp_path / "streamed.xlsx", *args)
    assert cells(in_memory) == cells(streamed)
    assert cells(in_memory)["活动明细"][5][5] == ("=HYPERLINK(1)", "General", True)


def test_display_width_counts_cjk_twice():
    assert details.display_width("街道") == 4
    assert details.display_width("r1") == 2
    assert details.display_width("（a）") == 5


def test_details_workbook_of_empty_tables_has_headers_only(tmp_path, campaign):
    empty = pd.DataFrame()
    path = details.write_details(tmp_path / "d.xlsx", empty, empty, empty, empty, campaign)
    book = load_workbook(path)
    assert [(ws.title, ws.max_row, ws.cell(1, 1).value) for ws in book] == [
        ("覆盖情况", 1, "层级"), ("报送文件", 1, "文件"), ("活动明细", 1, "文件"), ("问题清单", 1, "文件"),
    ]  # fmt: skip


def test_every_issue_code_has_a_short_chinese_name():
    from analysis.exports.details import CODE_NAMES
    from analysis.model import IssueCode

    assert [code.value for code in IssueCode if code not in CODE_NAMES] == []
    assert set(CODE_NAMES) - set(IssueCode) == {"ok", "date_unreadable_round_known"}


@pytest.mark.parametrize(
    ("reason", "shown"),
    [
        ("superseded:submissions/a.xlsx", "被“submissions/a.xlsx”替代"),
        ("duplicate_file:submissions/a.xlsx", "与“submissions/a.xlsx”内容相同"),
        ("earlier_round:submissions/r1/a.xlsx", "与前期“submissions/r1/a.xlsx”重复"),
        ("duplicate_row:Sheet1!64", "与本文件工作表“Sheet1”第64行相同"),
        ("duplicate_row:工作表!A!7", "与本文件工作表“工作表!A”第7行相同"),
        ("duplicate_row:12", "与本文件第12行相同"),  # a CSV has no sheets
    ],
)
def test_every_reason_with_a_place_reads_as_a_sentence(reason, shown):
    from analysis.exports.details import _reason

    assert _reason(reason) == shown


def test_round_columns_in_words_several_rounds_and_unknown_codes_included(campaign):
    submissions = SUBMISSIONS.assign(round=["r1;r2", "r9", ""])
    shown = details.submissions_frame(submissions, campaign)
    assert shown.iloc[:2, 3].tolist() == ["第一阶段、第二阶段", "r9"]
    assert pd.isna(shown.iloc[2, 3])  # a blank cell in the workbook
    rows = details.rows_frame(ROWS.assign(round=["r3", "r1", "", "r2"]), campaign)
    assert "第三阶段（总结）" in rows.values.tolist()[0]


def test_details_workbook_keeps_typed_escapes_and_marks_cut_text(tmp_path, campaign):
    """A unit's `_x005F_x0041_` (two escapes sharing an underscore) reads back as typed:
    xlsxwriter alone escapes the first only, and Excel shows `_x005FA`. A name beyond
    Excel's cell limit is cut with a mark saying so, not silently."""
    import python_calamine

    from analysis import safety

    long_name = "区" + "😀" * 17_000
    rows = ROWS.assign(grassroots_unit=["_x005F_x0041_工会", "_x0041_", "a\r\nb", long_name])
    path = details.write_details(
        tmp_path / "数据明细.xlsx", rows, SUBMISSIONS, ISSUES, COVERAGE, campaign
    )
    sheet = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name("活动明细")
    shown = [row[5] for row in sheet.to_python()[1:]]
    assert shown[:3] == ["_x005F_x0041_工会", "_x0041_", "a\r\nb"]
    assert shown[3].startswith("区😀😀") and shown[3].endswith(safety.CELL_CUT_MARK)
    assert len(shown[3].encode("utf-16-le")) // 2 <= 32_767
