"""No text a unit typed is ever written so that a spreadsheet program evaluates it."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from analysis import ingest, safety

EVALUABLE = ("=", "+", "-", "@", "\t", "\r")

# What a hostile unit types, one value per free-text field.
LINK = '=HYPERLINK("http://evil.example/","x")'
DDE = "@SUM(1+1)*cmd|' /C calc'!A0"
PLUS = "+cmd|' /C calc'!A0"
MINUS = "-2+3"
TAB = "\t=1+2"
CR = "\r=1+2"
UNION = "=1+2"  # a grassroots union name nobody has
CONTACT = '=WEBSERVICE("http://evil.example/")'


@pytest.mark.parametrize(
    ("value", "evaluable"),
    [
        ("=1+2", True),
        ("+1+2", True),
        ("-2+3", True),
        ("@SUM(A1)", True),
        ("\t=1", True),
        ("\r=1", True),
        ("-5", False),  # a number written as text is not a formula
        ("+3.5", False),
        ("-12%", False),
        ("-1,234.5", False),
        ("-", False),  # a lone sign: an office's "nothing", evaluated by no program
        ("+", False),
        ("--", True),
        ("-A1", True),
        ("长阳镇=1", False),
        # Full-width signs (a Chinese input method's ＝ ＋ － ＠): Excel in a CJK locale
        # takes them for = + - @ when it parses what it reads, so they are quoted too.
        ("＝1+2", True),
        ('＝HYPERLINK("http://evil.example/","x")', True),
        ("＋cmd", True),
        ("－A1", True),
        ("＠SUM(A1)", True),
        ("－５", False),  # a number in full-width digits, as "-5"
        ("－", False),  # a lone sign
        ("（一）学习", False),  # other full-width punctuation is plain text
        ("", False),
        (5, False),
        (-5, False),
        (None, False),
    ],
)
def test_is_evaluable_table(value, evaluable):
    assert safety.is_evaluable(value) is evaluable


def test_csv_safe_prefixes_text_only_and_keeps_numbers():
    frame = pd.DataFrame(
        {
            "text": ["长阳镇", "=1+2", None, "-5", "-x"],
            "count": [1, -2, 3, 4, 5],
            "flag": [True, False, None, True, True],
        }
    )
    safe = safety.csv_safe(frame)
    assert list(safe["text"].fillna("")) == ["长阳镇", "'=1+2", "", "-5", "'-x"]
    assert list(safe["count"]) == [1, -2, 3, 4, 5]
    assert safe["count"].dtype == frame["count"].dtype
    assert list(frame["text"].fillna("")) == ["长阳镇", "=1+2", "", "-5", "-x"]  # not modified


def test_csv_safe_returns_the_same_frame_when_nothing_needs_escaping():
    frame = pd.DataFrame({"text": ["长阳镇", "-5", None], "n": [-1, 2, 3]})
    assert safety.csv_safe(frame) is frame


def test_csv_safe_prefixes_full_width_signs_and_reads_them_back():
    """＝1+2 typed with a Chinese input method: written '＝1+2, read back as typed."""
    frame = pd.DataFrame({"text": ["＝1+2", "＠x", "（一）", "－５", "长阳镇"]})
    safe = safety.csv_safe(frame)
    assert list(safe["text"]) == ["'＝1+2", "'＠x", "（一）", "－５", "长阳镇"]
    assert list(safety.csv_unescape(safe)["text"]) == list(frame["text"])


def test_csv_rows_prefixes_evaluable_text():
    rows = [["长阳镇", "=1+2", -3, "-3", "@x"]]
    assert safety.csv_rows(rows) == [["长阳镇", "'=1+2", -3, "-3", "'@x"]]


def test_protect_workbook_turns_formulas_into_text_but_keeps_own_formulas(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "表"
    ws["A1"] = "=1+2"  # openpyxl makes this a formula
    ws["A2"] = "+cmd"
    ws["A3"] = -5
    ws["A4"] = "=SUM(A3:A3)"  # the project's own
    ws["A5"] = "长阳镇"
    safety.protect_workbook(wb, formulas=[("表", "A4")])
    path = tmp_path / "a.xlsx"
    wb.save(path)
    back = load_workbook(path)["表"]
    assert (back["A1"].value, back["A1"].data_type, back["A1"].quotePrefix) == ("=1+2", "s", True)
    assert (back["A2"].value, back["A2"].data_type, back["A2"].quotePrefix) == ("+cmd", "s", True)
    assert (back["A3"].value, back["A3"].data_type) == (-5, "n")
    assert (back["A4"].value, back["A4"].data_type) == ("=SUM(A3:A3)", "f")
    assert (back["A5"].value, back["A5"].quotePrefix) == ("长阳镇", False)


# --------------------------------------------------------------------------- a whole ingest

ROSTER = [
    ["序号", "基层工会名称", "上级工会", "类别", "会员人数"],
    [1, "长阳镇第一小学工会", "长阳镇总工会", "乡镇", 40],
    [2, "长阳镇卫生院工会", "长阳镇总工会", "乡镇", 60],
    [3, "区教委机关工会", "区教委工会", "系统", 50],
]
TABLE_HEADER = ["序号", "基层工会名称", "活动日期", "工作类别", "活动形式", "参加人数", "备注"]


def hostile_sheet(unit: str = "长阳镇总工会") -> list[list[object]]:
    """A submission with evaluable text in the header block and every free-text column."""
    return [
        [LINK],  # the title
        [f"填报单位：{unit}", None, "填报日期：2019-07-01"],
        [f"联系人：{CONTACT}", None, f"联系电话：{MINUS}"],
        TABLE_HEADER,
        [1, "长阳镇第一小学工会", "2019-06-03", "切实抓好学习", LINK, 40, DDE],
        [2, "长阳镇卫生院工会", "2019-06-10", PLUS, TAB, 55, CR],
        [3, UNION, "2019-06-12", MINUS, "宣讲", 20, LINK],
        [4, "长阳镇卫生院工会", "2019-06-14", "加强宣讲培训", "-5", -5, "-5"],
    ]


def _write_xlsx_text(path: Path, rows: list[list[object]]) -> None:
    """Every text cell a string cell, as when a unit types '=1+2 or formats cells as text."""
    wb = Workbook()
    ws = wb.active
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is None:
                continue
            cell = ws.cell(row=r, column=c, value=value)
            if isinstance(value, str):
                cell.data_type = "s"
    wb.save(path)


def _write_csv(path: Path, rows: list[list[object]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows([["" if v is None else v for v in row] for row in rows])


def _write_ods(path: Path, rows: list[list[object]]) -> None:
    """An .ods written by odfpy with every text cell a string cell (office:value-type string)."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name="Sheet1")
    for row in rows:
        tr = TableRow()
        for value in row:
            if value is None:
                tr.addElement(TableCell())
            elif isinstance(value, str):
                cell = TableCell(valuetype="string")
                cell.addElement(P(text=value))
                tr.addElement(cell)
            else:
                tr.addElement(TableCell(valuetype="float", value=value))
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    doc.save(str(path))


WRITERS = {"xlsx": _write_xlsx_text, "csv": _write_csv, "ods": _write_ods}


def _raw(tmp_path: Path, fmt: str) -> Path:
    raw = tmp_path / "raw"
    (raw / "roster").mkdir(parents=True)
    (raw / "submissions").mkdir()
    _write_xlsx_text(raw / "roster" / "名册.xlsx", ROSTER)
    WRITERS[fmt](raw / "submissions" / f"长阳镇总工会_第一阶段.{fmt}", hostile_sheet())
    return raw


def _evaluable_fields(path: Path) -> list[str]:
    """The fields of a CSV file, read as text, that a spreadsheet program would evaluate."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [v for row in csv.reader(fh) for v in row if safety.is_evaluable(v)]


def _csv_values(path: Path) -> set[str]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return {v for row in csv.reader(fh) for v in row}


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "ods"])
def test_ingest_writes_no_evaluable_cell_and_keeps_the_text(tmp_path, fmt):
    raw = _raw(tmp_path, fmt)
    out = tmp_path / "out"
    result = ingest.run(raw, out, progress=False)
    written = sorted(out.glob("*.csv"))
    assert {p.name for p in written} >= {"rows.csv", "submissions.csv", "issues.csv"}
    for path in written:
        assert _evaluable_fields(path) == [], path.name

    # The ledger (in memory and in Parquet) holds what the unit typed; the CSV the same
    # text after one apostrophe.
    # (Cell text is stripped of surrounding white space when read, as for every cell.)
    rows = pd.read_parquet(out / "rows.parquet")
    assert rows["form"].tolist() == [LINK, TAB.strip(), "宣讲", "-5"]
    assert result.rows["form"].tolist() == rows["form"].tolist()
    with (out / "rows.csv").open(encoding="utf-8-sig", newline="") as fh:
        forms = [r["form"] for r in csv.DictReader(fh)]
    assert forms == ["'" + LINK, "'" + TAB.strip(), "宣讲", "-5"]
    subs = pd.read_parquet(out / "submissions.parquet")
    assert subs.loc[0, "contact"] == CONTACT
    assert subs.loc[0, "phone"] == MINUS
    assert {"'" + CONTACT, "'" + MINUS} <= _csv_values(out / "submissions.csv")
    # The union nobody has: its name is in issues.csv's value column, escaped.
    issues = pd.read_parquet(out / "issues.parquet")
    assert UNION in set(issues["value"].dropna())
    assert "'" + UNION in _csv_values(out / "issues.csv")
    # The work item nobody has is quoted in a message (which begins with 第…), not a value.
    assert any(PLUS in m for m in issues["message"])


# --------------------------------------------------------------------------- workbooks written

HOSTILE_ROSTER = [
    ["序号", "基层工会名称", "上级工会", "类别", "会员人数"],
    [1, "长阳镇第一小学工会", "长阳镇总工会", "乡镇", 40],
    [2, DDE, "长阳镇总工会", "乡镇", 60],
    [3, "区教委机关工会", LINK, "系统", 50],
    [4, "-1+1工会", "", "直属", 30],
]


def _unsafe_cells(path: Path) -> list[tuple[str, str, object]]:
    """Cells of an .xlsx, read back with openpyxl, that a spreadsheet program would evaluate."""
    found = []
    for ws in load_workbook(path).worksheets:
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if cell.data_type == "f" or (safety.is_evaluable(value) and not cell.quotePrefix):
                    found.append((ws.title, cell.coordinate, value))
    return found


def _all_text(path: Path) -> set[str]:
    return {
        c.value for ws in load_workbook(path).worksheets for r in ws.iter_rows() for c in r
        if isinstance(c.value, str)
    }  # fmt: skip


def _hostile_raw(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    (raw / "roster").mkdir(parents=True)
    (raw / "submissions").mkdir()
    _write_xlsx_text(raw / "roster" / "名册.xlsx", HOSTILE_ROSTER)
    _write_xlsx_text(raw / "submissions" / "长阳镇总工会_第一阶段.xlsx", hostile_sheet())
    return raw


def test_briefing_workbook_has_no_formula_from_names(tmp_path):
    from analysis import briefing
    from analysis.exports import workbook

    raw = _hostile_raw(tmp_path)
    figures = briefing.load(raw, tmp_path / "out")
    path = workbook.write_workbook(figures, tmp_path / "通报表.xlsx")
    assert _unsafe_cells(path) == []
    texts = _all_text(path)
    assert {LINK, DDE, "-1+1工会"} <= texts  # written as the roster has them, as text


def test_templates_and_checklist_have_no_formula_from_names(tmp_path):
    from analysis.templates import batch

    raw = _hostile_raw(tmp_path)
    run = batch.run(roster=raw / "roster", round_code="r1", out_dir=tmp_path / "t")
    xlsx = sorted((tmp_path / "t").glob("*.xlsx"))
    assert len(xlsx) == len(run.files) + 1 == 4  # 3 reporting units and the checklist
    for path in xlsx:
        assert _unsafe_cells(path) == [], path.name
    assert LINK in _all_text(run.checklist_xlsx)
    assert _evaluable_fields(run.checklist_csv) == []
    assert "'" + LINK in _csv_values(run.checklist_csv)
    # The template of the unit named like a formula still names it, as text, in its header.
    (mine,) = [p for p in run.files if "HYPERLINK" in p.name]
    assert LINK in _all_text(mine)


def test_every_workbook_and_csv_a_briefing_writes_is_safe(tmp_path, monkeypatch, capsys):
    """The whole briefing (notebooks left out) on hostile names and a hostile submission."""
    from analysis import briefing, charts

    raw = _hostile_raw(tmp_path)
    monkeypatch.setattr(briefing, "execute_notebooks", lambda folder, parameters: [])
    monkeypatch.setattr(charts, "PNG_DPI", 40)
    assert briefing.run(raw, tmp_path / "out", tmp_path / "reports") == 0
    capsys.readouterr()
    workbooks = sorted((tmp_path / "reports").rglob("*.xlsx"))
    assert workbooks  # 通报表.xlsx at least
    for path in workbooks:
        assert _unsafe_cells(path) == [], path.name
    for path in sorted((tmp_path / "out").rglob("*.csv")) + sorted(
        (tmp_path / "reports").rglob("*.csv")
    ):
        assert _evaluable_fields(path) == [], path.name
    (folder,) = (tmp_path / "reports").iterdir()
    assert {LINK, DDE} <= _all_text(folder / "通报表.xlsx")


@pytest.mark.parametrize(
    "text", ["长阳镇", "=1+2", "'=1+2", "''@x", "'", "'长阳", "-5", "'-5", "\t=1", "", None]
)
def test_csv_escape_round_trip_is_exact(text):
    written = safety.escape_csv_text(text)
    assert not safety.is_evaluable(written)
    assert safety.unescape_csv_text(written) == text
    frame = pd.DataFrame({"text": [text], "n": [-1]})
    back = safety.csv_unescape(safety.csv_safe(frame))
    assert back["text"].tolist() == frame["text"].tolist()
    assert back["n"].tolist() == [-1]


LINK_UNIT_ROSTER = [
    ["序号", "基层工会名称", "上级工会", "类别", "会员人数"],
    [1, DDE, LINK, "乡镇", 40],
    [2, "长阳镇卫生院工会", LINK, "乡镇", 60],
    [3, "区教委机关工会", "区教委工会", "系统", 50],
]


def test_briefing_figures_of_a_unit_named_like_a_formula_are_counted(tmp_path):
    """The briefing reads the CSV tables back: the apostrophe must not split a unit in two."""
    from analysis import briefing

    raw = tmp_path / "raw"
    (raw / "roster").mkdir(parents=True)
    _write_xlsx_text(raw / "roster" / "名册.xlsx", LINK_UNIT_ROSTER)
    (raw / "submissions").mkdir()
    sheet = hostile_sheet(unit=LINK)[:4] + [[1, DDE, "2019-06-03", "切实抓好学习", "讨论会", 40]]
    _write_xlsx_text(raw / "submissions" / "报送表.xlsx", sheet)
    figures = briefing.load(raw, tmp_path / "out")
    assert {"'" + LINK, "'" + DDE} <= _csv_values(tmp_path / "out" / "rows.csv")
    assert figures.not_reached["unit"].tolist() == ["长阳镇卫生院工会", "区教委机关工会"]
    cov = figures.coverage.set_index(["level", "group"])
    # 1 of the unit's 2 unions, 40 of its 100 members, one activity of 40.
    row = cov.loc[("reporting_unit", LINK)]
    assert (row["units_covered"], row["members_covered"], row["participants"]) == (1, 40, 40)
    assert row["unit_coverage"] == pytest.approx(0.5)


@given(
    st.lists(st.one_of(st.none(), st.text(alphabet="=+-@\t\r'a长1 .%", max_size=5)), max_size=30)
)
def test_arrow_prefix_test_equals_str_startswith(values):
    """The one-pass Arrow test of an Arrow-backed column finds what `str.startswith` finds."""
    starts = (*safety.EVALUABLE, safety.CSV_PREFIX)
    for dtype in ("str", object):
        column = pd.Series(values, dtype=dtype)
        expected = column.str.startswith(starts, na=False).to_numpy(dtype=bool)
        assert safety._begins(column, starts).tolist() == expected.tolist()


def test_a_lone_dash_reaches_the_csv_as_typed(tmp_path):
    frame = pd.DataFrame({"form": ["-", "+", "-SUM(A1)", "座谈"]})
    out = tmp_path / "t.csv"
    safety.csv_safe(frame).to_csv(out, index=False)
    assert out.read_text(encoding="utf-8").splitlines()[1:] == ["-", "+", "'-SUM(A1)", "座谈"]


def _named_raw(tmp_path: Path) -> Path:
    """Evaluable text in the names of things rather than in cells: a folder, a file, a
    sheet, zip members, a photo, a summary's title and a publicity sheet's labels."""
    from tests.fixtures import make_materials as mm

    raw = tmp_path / "raw"
    (raw / "roster").mkdir(parents=True)
    _write_xlsx_text(raw / "roster" / "名册.xlsx", ROSTER)
    sheet = hostile_sheet()[:4] + [
        [1, "长阳镇第一小学工会", "2019-06-03", "切实抓好学习", "讨论会", 40]
    ]
    wb = Workbook()
    wb.active.title = "=1+2"
    for row in sheet:
        wb.active.append(row)
    counts = wb.create_sheet("宣传成果统计")
    for row in [["宣传项目", "数量"], ["=简报", 3], ["@微博", "=1+2"]]:
        counts.append(row)
    for ws in wb.worksheets:  # text cells, as typed after an apostrophe
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
    folder = raw / "submissions" / "=cmd|' -C calc'!A0"
    folder.mkdir(parents=True)
    wb.save(folder / "@长阳镇总工会_第一阶段.xlsx")
    member = tmp_path / "member.xlsx"
    _write_xlsx_text(
        member,
        hostile_sheet("区教委工会")[:4]
        + [[1, "区教委机关工会", "2019-06-05", "切实抓好学习", "讨论会", 9]],
    )
    (raw / "submissions" / "-打包.zip").write_bytes(mm.zip_of({
        "=1+2/区教委工会.xlsx": member.read_bytes(),
        "@x/=照片.jpg": mm.jpeg(mm.picture(3), taken="2019:06:05 10:00:00"),
        "+总结.docx": mm.docx([LINK, "正文"]),
    }))  # fmt: skip
    (raw / "submissions" / "=长阳镇总工会").mkdir()
    (raw / "submissions" / "=长阳镇总工会" / "=活动.jpg").write_bytes(
        mm.jpeg(mm.picture(1), taken="2019:06:03 10:00:00")
    )
    return raw


def test_names_of_folders_files_sheets_members_and_materials_never_run(
    tmp_path, monkeypatch, capsys
):
    """Sheet names, document titles and publicity labels reach rows.csv, submissions.csv,
    materials.csv, publicity.csv and the briefing's workbooks: escaped like cells."""
    from analysis import briefing, charts

    raw = _named_raw(tmp_path)
    monkeypatch.setattr(briefing, "execute_notebooks", lambda folder, parameters: [])
    monkeypatch.setattr(charts, "PNG_DPI", 40)
    assert briefing.run(raw, tmp_path / "out", tmp_path / "reports") == 0
    capsys.readouterr()
    out = tmp_path / "out"
    written = sorted(out.glob("*.csv"))
    assert {p.name for p in written} >= {"rows.csv", "materials.csv", "publicity.csv"}
    for path in written:
        assert _evaluable_fields(path) == [], path.name
    workbooks = sorted((tmp_path / "reports").rglob("*.xlsx"))
    assert len(workbooks) == 2  # 通报表 and 数据明细
    for path in workbooks:
        assert _unsafe_cells(path) == [], path.name
    assert {"'=1+2", "'=简报", "'@微博"} <= _csv_values(out / "rows.csv") | _csv_values(
        out / "publicity.csv"
    )
    assert "'" + LINK in _csv_values(out / "materials.csv")  # the summary's title
    # Parquet keeps the text as it came; paths begin with the folder, never evaluable.
    rows = pd.read_parquet(out / "rows.parquet")
    assert "=1+2" in set(rows["sheet"])
    assert any("/=1+2/" in f for f in rows["file"]) and not any(
        safety.is_evaluable(f) for f in rows["file"]
    )


# --------------------------------------------------------------------------- characters XML cannot hold

CONTROL = "控制\x01\x07字符工会"  # a name pasted from another system, sent in a CSV
NONCHAR = "区教委\ufffe附属小学工会"


@pytest.mark.parametrize("dtype", ["str", object])
def test_xml_safe_drops_what_xml_cannot_hold_and_keeps_the_rest(dtype):
    frame = pd.DataFrame(
        {"name": pd.Series([CONTROL, NONCHAR, "换行\n名称\t工会", "=1+2", None], dtype=dtype),
         "n": [1, 2, 3, -4, 5]}
    )  # fmt: skip
    safe = safety.xml_safe(frame)
    assert safe["name"].tolist()[:4] == [
        "控制字符工会",
        "区教委附属小学工会",
        "换行\n名称\t工会",
        "=1+2",
    ]
    assert safe["name"].isna().tolist()[4] and safe["n"].tolist() == [1, 2, 3, -4, 5]
    assert safety.xml_safe(safe) is safe  # nothing left to change: the same frame
    assert safety.xml_text("代理\ud800字") == "代理字"


def _control_raw(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    (raw / "roster").mkdir(parents=True)
    (raw / "submissions").mkdir()
    roster = [
        *ROSTER,
        [4, CONTROL, "长阳镇总工会", "乡镇", 20],
        [5, NONCHAR, "区教委工会", "系统", 10],
    ]
    _write_csv(raw / "roster" / "名册.csv", roster)
    _write_csv(raw / "submissions" / "长阳镇总工会_第一阶段.csv", [
        ["填报单位：长阳镇总工会", "", "填报日期：2019-07-01"],
        TABLE_HEADER,
        [1, CONTROL, "2019-06-03", "切实抓好学习", "讨论会", 40, ""],
        [2, "长阳镇第一小学工会", "2019-06-04", "切实抓好学习", "讨论会", 30, ""],
    ])  # fmt: skip
    return raw


def test_briefing_writes_every_document_for_names_holding_control_characters(
    tmp_path, monkeypatch, capsys
):
    """One invisible character in a name must not stop the briefing: the documents show
    the name without it, the tables keep it as sent."""
    from docx import Document

    from analysis import briefing, charts

    raw = _control_raw(tmp_path)
    monkeypatch.setattr(briefing, "execute_notebooks", lambda folder, parameters: [])
    monkeypatch.setattr(charts, "PNG_DPI", 40)
    assert briefing.run(raw, tmp_path / "out", tmp_path / "reports") == 0
    capsys.readouterr()
    (folder,) = (tmp_path / "reports").iterdir()
    assert "控制字符工会" in _all_text(folder / "通报表.xlsx") | _all_text(folder / "数据明细.xlsx")
    assert "区教委附属小学工会" in _all_text(folder / "通报表.xlsx")  # not reached: listed
    notice = Document(str(folder / "情况通报.docx"))
    assert notice.paragraphs
    rows = pd.read_parquet(tmp_path / "out" / "rows.parquet")
    assert CONTROL in set(rows["grassroots_unit"])  # the table keeps what was sent


def test_templates_for_a_roster_name_holding_control_characters(tmp_path):
    from analysis.templates import batch

    raw = _control_raw(tmp_path)
    run = batch.run(roster=raw / "roster", round_code="r1", out_dir=tmp_path / "t")
    assert len(run.files) == 2
    (changyang,) = [p for p in run.files if p.name.startswith("长阳镇总工会")]
    assert "控制字符工会" in _all_text(changyang)  # in its list of unions
    (education,) = [p for p in run.files if p.name.startswith("区教委工会")]
    assert "区教委附属小学工会" in _all_text(education)


def test_a_name_written_without_its_control_characters_matches_the_roster():
    from analysis.namekeys import normalise_name

    assert normalise_name(CONTROL) == normalise_name("控制字符工会")
    assert normalise_name(NONCHAR) == normalise_name("区教委附属小学工会")


def test_xml_safe_finds_the_one_value_among_many_arrow_pieces():
    """The ledger's text columns are Arrow arrays in pieces (one per file): the bytes are
    looked at first, and a U+FFFF in the last piece is still found."""
    import pyarrow as pa

    pieces = pa.chunked_array([["长阳镇第一小学工会"] * 1000, ["讨论会", "宣讲\uffff"]])
    frame = pd.DataFrame({"form": pd.Series(pd.arrays.ArrowStringArray(pieces))})
    assert safety.xml_safe(frame)["form"].tolist()[-2:] == ["讨论会", "宣讲"]
    clean = frame.iloc[:1000]
    assert safety.xml_safe(clean) is clean


@pytest.mark.parametrize("control", list(safety.DIRECTION_CONTROLS))
def test_a_direction_control_is_left_out_of_documents_and_name_keys(control):
    """U+202E in a name turns the rest of its line backwards in Word and PowerPoint (and
    in a template's file name); a left-to-right mark comes along with a name copied from a
    web page. Documents leave them out, found through the bytes of an Arrow column too,
    and the name still matches the roster."""
    import pyarrow as pa

    from analysis.namekeys import normalise_name

    name = f"长阳镇{control}第一小学工会"
    pieces = pa.chunked_array([["长阳镇卫生院工会"] * 50, ["讨论会", name]])
    frame = pd.DataFrame({"unit": pd.Series(pd.arrays.ArrowStringArray(pieces))})
    assert safety.xml_safe(frame)["unit"].tolist()[-1] == "长阳镇第一小学工会"
    assert safety.xml_safe(pd.DataFrame({"unit": [name]}, dtype=object))["unit"][0] == (
        "长阳镇第一小学工会"
    )
    assert safety.xml_text(name) == "长阳镇第一小学工会"
    assert normalise_name(name) == normalise_name("长阳镇第一小学工会")


def test_the_byte_test_for_direction_controls_needs_their_whole_sequence():
    """E2 80 xx and D8 xx lead many Chinese punctuation marks and Arabic letters: only the
    direction controls' own sequences make a column be searched."""
    import pyarrow as pa

    ordinary = pa.array(["“长阳镇”…—", "‘引号’", "\u2065\u2070", "\u0627\u0644"])  # E2 80 9C …
    assert not safety._bytes_may_hold_not_xml(ordinary)
    for control in safety.DIRECTION_CONTROLS:
        assert safety._bytes_may_hold_not_xml(pa.array(["甲", f"乙{control}"]))


@pytest.mark.parametrize(
    ("value", "evaluable"),
    [
        # Excel, Google Sheets and LibreOffice drop leading whitespace before deciding a
        # CSV cell is a formula: the sign after it counts (OWASP lists the line feed too).
        (" =1+2", True),
        ("   @SUM(A1)", True),
        ("\n=cmd", True),
        ("\r\n=1+2", True),
        (" \t+cmd", True),
        ("\u00a0-A1", True),  # a no-break space
        ("\u3000＝1+2", True),  # an ideographic space and a full-width sign
        ("\u200b=1+2", True),  # a zero-width space pasted with the text
        # A number or a lone sign after the spaces is no formula: its bytes are kept.
        (" -5", False),
        ("  +3.5", False),
        (" －５", False),
        (" -", False),
        ("\u3000－", False),
        # Spaces before anything else are plain text.
        (" 长阳镇", False),
        (" ", False),
        ("\n", False),
        ("长阳镇 =1", False),
    ],
)
def test_a_sign_after_leading_spaces_is_evaluable(value, evaluable):
    assert safety.is_evaluable(value) is evaluable


@pytest.mark.parametrize("dtype", ["str", object])
def test_csv_safe_prefixes_a_sign_after_leading_spaces_and_reads_it_back(dtype):
    """Arrow-backed and object columns alike: " =1+2", "\\t=cmd", "\\n@x", "　＝1+2" get
    the apostrophe; " -5", " －５" and " 长阳镇" keep their bytes; read back as typed."""
    typed = [" =1+2", "\t=cmd", "\n@x", "\u3000＝1+2", " -5", " －５", " 长阳镇", None]
    frame = pd.DataFrame({"text": pd.Series(typed, dtype=dtype), "n": range(len(typed))})
    safe = safety.csv_safe(frame)
    assert safe["text"].tolist()[:7] == [
        "' =1+2", "'\t=cmd", "'\n@x", "'\u3000＝1+2", " -5", " －５", " 长阳镇",
    ]  # fmt: skip
    assert safety.csv_unescape(safe)["text"].tolist()[:7] == typed[:7]
    assert safety.csv_rows([typed[:3]]) == [["' =1+2", "'\t=cmd", "'\n@x"]]


def test_a_sheet_named_with_spaces_before_a_sign_is_never_a_formula(tmp_path):
    """A sheet named " =1+2" (a space typed before the sign): rows.csv's sheet column holds
    it after an apostrophe, so Excel or WPS opening rows.csv shows the text; the row is
    counted as usual (participants 40)."""
    raw = tmp_path / "raw"
    (raw / "roster").mkdir(parents=True)
    _write_xlsx_text(raw / "roster" / "名册.xlsx", LINK_UNIT_ROSTER)
    book = Workbook()
    book.active.title = " =1+2"
    for row in [
        ["填报单位", "区教委工会", "填报日期", "2019-07-02"],
        ["序号", "基层工会名称", "活动日期", "工作类别", "活动形式", "参加人数"],
        [1, "区教委机关工会", "2019-06-03", "切实抓好学习", "讨论会", 40],
    ]:
        book.active.append(row)
    (raw / "submissions").mkdir()
    book.save(raw / "submissions" / "报送表.xlsx")
    ingest.run(raw, tmp_path / "out", progress=False)
    with open(tmp_path / "out" / "rows.csv", encoding="utf-8-sig", newline="") as fh:
        (row,) = csv.DictReader(fh)
    assert (row["sheet"], row["state"], row["participants"]) == ("' =1+2", "accepted", "40")


# --------------------------------------------------------------------------- cell text as stored


def _calamine_column(path: Path) -> list[object]:
    import python_calamine

    sheet = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    return [row[0] for row in sheet.to_python()]


@pytest.mark.parametrize(
    "text",
    ["_x0041_工会", "区_x000D_局", "_x005F_x0041_工会", "_X00e9_", "a\r\nb", "长阳_x4E2D_镇"],
)
def test_protect_workbook_stores_typed_escapes_and_cr_as_text(tmp_path, text):
    """`_x0041_` typed by a unit is text: Excel (and calamine) would show `A` if it were stored
    as typed. It is stored `_x005F_x0041_`; a carriage return `_x000D_`."""
    wb = Workbook()
    wb.active["A1"] = text
    wb.active["A2"] = "=" + text  # evaluable too: quoted, and still exact
    safety.protect_workbook(wb)
    wb.save(tmp_path / "a.xlsx")
    assert _calamine_column(tmp_path / "a.xlsx") == [text, "=" + text]


def test_protect_workbook_cuts_text_beyond_the_cell_limit_with_a_mark(tmp_path):
    """Excel holds 32,767 UTF-16 units in a cell; openpyxl cuts at 32,767 characters without
    a word (an emoji takes two units). The cut is said in the cell."""
    wb = Workbook()
    wb.active["A1"] = "长" * 40_000
    wb.active["A2"] = "区" + "😀" * 17_000
    wb.active["A3"] = "长" * 100
    safety.protect_workbook(wb)
    wb.save(tmp_path / "a.xlsx")
    first, second, third = _calamine_column(tmp_path / "a.xlsx")
    for cut, typed in ((first, "长"), (second, "😀")):
        assert cut.endswith(safety.CELL_CUT_MARK)
        assert len(cut.encode("utf-16-le")) // 2 <= 32_767
        head = cut[: -len(safety.CELL_CUT_MARK)]
        assert len(head.encode("utf-16-le")) // 2 > 32_700 and set(head[1:]) == {typed}
    assert third == "长" * 100


def test_excel_cell_text_keeps_text_within_the_limit():
    assert safety.excel_cell_text("长" * 32_767) == "长" * 32_767
    assert safety.excel_cell_text("😀" * 16_383) == "😀" * 16_383
    assert safety.excel_cell_text("😀" * 16_384).endswith(safety.CELL_CUT_MARK)


# --------------------------------------------------------------------------- names told apart


@dataclass
class _Holder:
    units: pd.DataFrame
    status: pd.DataFrame
    title: str


def test_xml_safe_fields_keeps_names_apart_that_read_alike_without_invisible_characters():
    """`区\\x01教委工会` and `区教委工会` are two units of the roster; left out, the control
    character would make them one name in every document (and the briefing, which looks
    units up by name, stop). Each such character is shown as `�` then, in every table."""
    units = pd.DataFrame({"unit": ["区\x01教委工会", "区教委工会", "长阳\x07镇", "a\u200eb"]})
    status = pd.DataFrame({"reporting_unit": ["区教委工会", "区\x01教委工会", "a\u200eb"]})
    holder = _Holder(units, status, "区\x01教委工会")
    safety.xml_safe_fields(holder)
    # Alone, the character is left out; beside a name it would read as, it is shown.
    assert holder.units["unit"].tolist() == ["区\ufffd教委工会", "区教委工会", "长阳镇", "ab"]
    assert holder.status["reporting_unit"].tolist() == ["区教委工会", "区\ufffd教委工会", "ab"]
    assert holder.title == "区\ufffd教委工会"


def test_xml_safe_fields_falls_back_to_the_code_when_marks_still_clash():
    units = pd.DataFrame({"unit": ["a\x01b", "a\x02b", "ab"]})
    holder = _Holder(units, pd.DataFrame({"x": [1]}), "")
    safety.xml_safe_fields(holder)
    assert holder.units["unit"].tolist() == ["a<U+0001>b", "a<U+0002>b", "ab"]
