from __future__ import annotations

import csv
import datetime as dt
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from conftest import FIXTURES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from analysis import config, templates
from analysis.campaign import CampaignError
from analysis.model import Sheet, Workbook
from analysis.readers import read_workbook
from analysis.roster import roster_from_grid
from analysis.templates import detect, read_tables
from analysis.templates.batch import run as run_templates
from analysis.templates.batch import write_templates
from analysis.templates.fill import fill_template
from analysis.templates.writer import template_filename

CJK = re.compile(r"[\u4e00-\u9fff]")
LO_FIXTURE = FIXTURES / "templates" / "filled_libreoffice.xlsx"

# 长阳镇 has 20 village unions: their names are far longer than the 255 characters
# an inline list validation may hold.
CHANGYANG = [f"长阳镇第{i}村股份经济合作社工会" for i in range(1, 21)]
ROSTER_GRID: list[list[object]] = [
    ["基层工会名称", "上级工会", "类别", "会员人数"],
    *[[name, "长阳镇总工会", "乡镇", 10] for name in CHANGYANG],
    ["区教委机关工会", "区教委工会", "系统", 50],
    ["房山区实验中学工会", "区教委工会", "系统", 20],
    ["北京燕房物流有限公司工会", "", "直属", 30],
]


def make_roster():
    return roster_from_grid(
        ROSTER_GRID, 0, {"unit": 0, "parent": 1, "kind": 2, "members": 3}, source="t"
    )


@pytest.fixture(scope="module")
def generated(tmp_path_factory, campaign) -> dict[str, Path]:
    """Round r2 templates for the small roster, by unit."""
    out = tmp_path_factory.mktemp("templates")
    paths = write_templates(make_roster(), campaign, "r2", out)
    return {p.name.split("_")[0]: p for p in paths}


@pytest.fixture(scope="module")
def changyang_ws(generated):
    return load_workbook(generated["长阳镇总工会"])["活动情况"]


def validations(ws) -> dict[str, object]:
    """Data validations by the first cell of their range."""
    return {str(dv.sqref).split(":")[0]: dv for dv in ws.data_validations.dataValidation}


def list_values(wb, formula: str) -> list[str]:
    """The cells a list validation's range formula points at."""
    sheet, rng = formula.rsplit("!", 1)
    ws = wb[sheet.strip("'")]
    return [row[0].value for row in ws[rng.replace("$", "")]]


def test_write_templates_one_file_per_unit_named_unit_round(generated):
    assert sorted(p.name for p in generated.values()) == sorted(
        [
            "长阳镇总工会_第二阶段_报送表.xlsx",
            "区教委工会_第二阶段_报送表.xlsx",
            "北京燕房物流有限公司工会_第二阶段_报送表.xlsx",
        ]
    )


def test_template_sheets_in_order_with_hidden_states(generated):
    wb = load_workbook(generated["长阳镇总工会"])
    states = [(ws.title, ws.sheet_state) for ws in wb.worksheets]
    assert states == [
        ("活动情况", "visible"),
        ("填表说明", "visible"),
        ("_lists", "hidden"),
        ("_meta", "veryHidden"),
    ]
    assert wb.active.title == "活动情况"


def test_activity_sheet_header_row_follows_table_fields(changyang_ws):
    header = [c.value for c in changyang_ws[5]]
    assert header == [
        "序号",
        "基层工会名称",
        "活动日期",
        "工作类别",
        "活动形式",
        "参加人数",
        "活动名称",
        "备注",
    ]


def test_header_block_prefilled_unit_and_round(changyang_ws):
    ws = changyang_ws
    assert (ws["A2"].value, ws["B2"].value) == ("填报单位", "长阳镇总工会")
    assert (ws["E2"].value, ws["F2"].value) == ("报送期次", "第二阶段")
    assert [ws[c].value for c in ("A3", "C3", "E3")] == ["填报日期", "联系人", "联系电话"]
    assert [ws[c].value for c in ("B3", "D3", "F3")] == [None, None, None]


@pytest.mark.parametrize(
    ("first_cell", "kind", "operator", "formula1", "formula2", "sqref"),
    [
        ("A6", "whole", "between", "1", "100000", "A6:A505"),
        ("C6", "date", "between", "DATE(2019,7,1)", "DATE(2019,9,30)", "C6:C505"),
        ("F6", "whole", "between", "0", "100000", "F6:F505"),
        ("B3", "date", "greaterThanOrEqual", "DATE(2019,7,1)", None, "B3"),
        ("B6", "list", None, "'_lists'!$A$2:$A$22", None, "B6:B505"),
        ("D6", "list", None, "'_lists'!$B$2:$B$7", None, "D6:D505"),
    ],
)
def test_validation_type_and_bounds(
    changyang_ws, first_cell, kind, operator, formula1, formula2, sqref
):
    dv = validations(changyang_ws)[first_cell]
    assert dv.type == kind
    assert dv.operator == operator
    assert dv.formula1 == formula1
    assert dv.formula2 == formula2
    assert str(dv.sqref) == sqref


def test_validations_have_chinese_prompt_and_stop_error(changyang_ws):
    dvs = changyang_ws.data_validations.dataValidation
    assert len(dvs) == 7
    for dv in dvs:
        assert dv.showInputMessage and dv.showErrorMessage
        assert dv.errorStyle == "stop"
        assert dv.allow_blank
        for text in (dv.promptTitle, dv.prompt, dv.errorTitle, dv.error):
            assert CJK.search(text), text
            assert len(text) <= 255  # Excel's limit for prompts and messages


def test_union_dropdown_is_exactly_the_units_unions_plus_benji(generated):
    wb = load_workbook(generated["长阳镇总工会"])
    formula = validations(wb["活动情况"])["B6"].formula1
    assert list_values(wb, formula) == CHANGYANG + ["本级"]
    assert len(",".join(CHANGYANG)) > 255  # why the list lives in a sheet, not inline


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        ("区教委工会", ["区教委机关工会", "房山区实验中学工会", "本级"]),
        ("北京燕房物流有限公司工会", ["北京燕房物流有限公司工会", "本级"]),
    ],
)
def test_union_dropdown_per_unit(generated, unit, expected):
    wb = load_workbook(generated[unit])
    assert list_values(wb, validations(wb["活动情况"])["B6"].formula1) == expected


def test_work_item_and_form_dropdowns_list_campaign_names(generated):
    wb = load_workbook(generated["长阳镇总工会"])
    dvs = validations(wb["活动情况"])
    assert list_values(wb, dvs["D6"].formula1) == [
        "切实抓好学习",
        "加强宣讲培训",
        "精心组织宣传",
        "狠抓工作落实",
        "做好相关资料上报",
        "其他",
    ]
    forms = list_values(wb, dvs["E6"].formula1)
    assert forms[:3] == ["理论中心组学习", "讨论会", "报告会"]
    assert forms[-3:] == ["信息图片", "阶段性总结", "其他"]
    assert len(forms) == 6 + 8 + 8 + 4 + 2 + 1
    assert len(set(forms)) == len(forms)


@pytest.mark.parametrize(
    ("cell", "locked"),
    [
        ("A1", True),
        ("A2", True),
        ("B2", True),
        ("E2", True),
        ("F2", True),
        ("A3", True),
        ("C3", True),
        ("E3", True),
        ("A4", True),
        ("A5", True),
        ("H5", True),
        ("B3", False),
        ("D3", False),
        ("F3", False),
        ("A6", False),
        ("C6", False),
        ("H6", False),
        ("B300", False),
        ("H505", False),
        ("A506", True),
    ],
)
def test_only_input_cells_unlocked(changyang_ws, cell, locked):
    assert changyang_ws[cell].protection.locked is locked


def test_sheet_protection_on_without_password(generated):
    wb = load_workbook(generated["长阳镇总工会"])
    for name in ("活动情况", "填表说明", "_lists", "_meta"):
        prot = wb[name].protection
        assert prot.sheet is True
        assert not prot.password
    ws = wb["活动情况"]
    assert ws.protection.insertRows and ws.protection.deleteColumns  # still forbidden
    assert not ws.protection.formatColumns  # widening columns is allowed


def test_meta_sheet_marker_records_unit_round_layout(generated):
    ws = load_workbook(generated["区教委工会"])["_meta"]
    meta = {r[0]: r[1] for r in ws.iter_rows(values_only=True)}
    assert meta["marker"] == "fangshan-analysis/submission-template"
    assert meta["template_version"] == "1"
    assert meta["campaign"] == "bjftu14"
    assert (meta["unit"], meta["kind"], meta["round"]) == ("区教委工会", "system", "r2")
    assert (meta["sheet"], meta["header_row"], meta["first_data_row"]) == ("活动情况", "5", "6")
    assert meta["columns"] == "seq,grassroots_unit,date,work_item,form,participants,title,note"
    assert meta["header_cells"] == "reporting_unit:B2,report_date:B3,contact:D3,phone:F3,round:F2"


def test_print_settings_a4_landscape_fit_width_repeat_header(changyang_ws):
    ws = changyang_ws
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$5:$5"
    assert ws.freeze_panes == "A6"
    assert ws.column_dimensions["B"].width == 34
    # grid lines appear on typed rows only, so a print shows the rows filled in
    ((rng, rules),) = ws.conditional_formatting._cf_rules.items()
    assert str(rng.sqref) == "A6:H505"
    assert rules[0].formula == ["COUNTA($A6:$H6)>0"]
    assert not ws.print_area


def test_instructions_sheet_chinese_with_example_row(generated):
    ws = load_workbook(generated["长阳镇总工会"])["填表说明"]
    texts = [c.value for c in ws["A"] if isinstance(c.value, str)]
    assert texts[0].endswith("填表说明")
    assert any("本级" in t for t in texts) and any("2019-07-01 至 2019-09-30" in t for t in texts)
    header_row = next(c.row for c in ws["A"] if c.value == "序号")
    example = [c.value for c in ws[header_row + 1]]
    assert example[1] == CHANGYANG[0]
    assert example[3] == "切实抓好学习"
    assert isinstance(example[2], dt.datetime) and dt.date(2019, 7, 1) <= example[
        2
    ].date() <= dt.date(2019, 9, 30)


def test_zip_and_checklist_beside_templates(generated):
    out = next(iter(generated.values())).parent
    with zipfile.ZipFile(out / "第二阶段_报送模板.zip") as zf:
        assert sorted(zf.namelist()) == sorted(p.name for p in generated.values())
    with (out / "第二阶段_报送清单.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["报送单位", "类别", "文件名", "联系人", "是否已交"]
    assert rows[1:] == [
        ["长阳镇总工会", "乡镇", "长阳镇总工会_第二阶段_报送表.xlsx", "", ""],
        ["区教委工会", "系统", "区教委工会_第二阶段_报送表.xlsx", "", ""],
        [
            "北京燕房物流有限公司工会",
            "直属",
            "北京燕房物流有限公司工会_第二阶段_报送表.xlsx",
            "",
            "",
        ],
    ]
    ws = load_workbook(out / "第二阶段_报送清单.xlsx").active
    assert [c.value for c in ws[2]] == ["报送单位", "类别", "文件名", "联系人", "是否已交"]
    assert ws.max_row == 2 + 3


def test_run_defaults_out_dir_and_prints_chinese_summary(tmp_path, monkeypatch):
    from conftest import write_xlsx

    write_xlsx(tmp_path / "roster" / "名册.xlsx", ROSTER_GRID)
    monkeypatch.setattr(config, "REPORTS_DIR", tmp_path / "reports")
    result = run_templates(roster=tmp_path / "roster", round_code="r3")
    assert result.out_dir == tmp_path / "reports" / "templates" / "r3"
    assert len(result.files) == 3 and all(p.exists() for p in result.files)
    assert str(result).startswith("已为 3 个报送单位生成“第三阶段（总结）”报送模板")
    assert "名册中有" not in str(result)


def test_run_summary_mentions_roster_problems(tmp_path):
    from conftest import write_xlsx

    write_xlsx(tmp_path / "roster.xlsx", [*ROSTER_GRID, ["某工会", "长阳镇总工会", "乡镇", "很多"]])
    result = run_templates(roster=tmp_path / "roster.xlsx", round_code="r1", out_dir=tmp_path / "o")
    assert len(result.files) == 3
    assert "名册中有 1 处问题" in str(result)


def test_run_unknown_round_is_chinese_error(tmp_path):
    with pytest.raises(CampaignError, match="报送期次“r9”不存在"):
        run_templates(roster=tmp_path, round_code="r9", out_dir=tmp_path)


def test_template_filename_replaces_forbidden_characters():
    from analysis.campaign import Round

    r = Round("r1", "第一阶段", dt.date(2019, 5, 8), dt.date(2019, 6, 30), dt.date(2019, 7, 5))
    assert template_filename("A/B:公司*工会", r) == "A_B_公司_工会_第一阶段_报送表.xlsx"


# ---------------------------------------------------------------------------
# Reading back


def test_calamine_sees_very_hidden_meta_and_typed_dates(generated, tmp_path):
    import python_calamine as pc

    path = shutil.copy(generated["长阳镇总工会"], tmp_path / "t.xlsx")
    fill_template(
        path,
        [{"date": dt.date(2019, 7, 3), "participants": 12}],
        {"填报日期": dt.date(2019, 10, 8)},
    )
    book = pc.CalamineWorkbook.from_path(str(path))
    visible = {m.name: m.visible for m in book.sheets_metadata}
    assert visible["_meta"] == pc.SheetVisibleEnum.VeryHidden
    assert visible["_lists"] == pc.SheetVisibleEnum.Hidden
    grid = book.get_sheet_by_name("活动情况").to_python(skip_empty_area=False)
    assert grid[5][2] == dt.date(2019, 7, 3)
    assert grid[2][1] == dt.date(2019, 10, 8)


def test_detect_finds_marker_through_read_workbook(generated):
    marker = detect(read_workbook(generated["北京燕房物流有限公司工会"]))
    assert marker is not None
    assert marker["unit"] == "北京燕房物流有限公司工会"
    assert (marker["round"], marker["round_name"]) == ("r2", "第二阶段")
    assert marker["header_row"] == 5 and marker["first_data_row"] == 6
    assert marker["columns"][1] == "grassroots_unit"


@pytest.mark.parametrize(
    "meta_rows",
    [
        None,  # no _meta sheet at all
        [["marker", "something-else"], ["template_version", "1"]],
        [["marker", "fangshan-analysis/submission-template"], ["template_version", "x"]],
        [],
    ],
)
def test_detect_none_for_plain_or_broken_marker(meta_rows):
    sheets = [Sheet("Sheet1", [["序号", "基层工会名称"], [1, "某工会"]])]
    if meta_rows is not None:
        sheets.append(Sheet("_meta", meta_rows, hidden=True))
    assert detect(Workbook(Path("x.xlsx"), "xlsx", sheets)) is None


def expected_fixture_rows() -> list[tuple]:
    """What tests/fixtures/templates/make_fixture.py typed, as read back (numbers as floats)."""
    return [
        (
            6,
            "data",
            1,
            "长阳镇第一小学工会",
            dt.date(2019, 5, 20),
            "切实抓好学习",
            "理论中心组学习",
            40,
            "十四大精神中心组学习",
            None,
        ),
        (
            7,
            "data",
            2,
            "长阳镇卫生院工会",
            dt.date(2019, 6, 3),
            "加强宣讲培训",
            "宣讲",
            120,
            "十四大精神宣讲",
            "请区总师资",
        ),
        (
            8,
            "data",
            3,
            "本级",
            "2019年6月12日",
            "精心组织宣传",
            "微信",
            "约50人",
            "公众号专题推送",
            None,
        ),
        (
            10,
            "data",
            4,
            "北京长阳建材有限公司工会委员会",
            dt.date(2019, 6, 28),
            "狠抓工作落实",
            "建功立业",
            0,
            "岗位建功劳动竞赛",
            None,
        ),
        (11, "total", "合计", None, None, None, None, 160, None, None),
    ]


def as_tuples(table) -> list[tuple]:
    fields = (
        "seq",
        "grassroots_unit",
        "date",
        "work_item",
        "form",
        "participants",
        "title",
        "note",
    )
    return [(r.row, r.kind, *(r.values[f] for f in fields)) for r in table.rows]


def test_libreoffice_saved_template_reads_every_row(campaign):
    wb = read_workbook(LO_FIXTURE)
    marker = detect(wb)
    assert marker is not None and marker["unit"] == "长阳镇总工会"
    tables = read_tables(wb, marker, campaign, "长阳镇.xlsx")
    assert len(tables) == 1
    table = tables[0]
    assert table.template is True and table.issues == []
    assert (table.sheet, table.header_row) == ("活动情况", 5)
    assert table.columns == {
        "seq": 0,
        "grassroots_unit": 1,
        "date": 2,
        "work_item": 3,
        "form": 4,
        "participants": 5,
        "title": 6,
        "note": 7,
    }
    assert table.column_labels["participants"] == "参加人数"
    assert as_tuples(table) == expected_fixture_rows()
    h = table.header
    assert (h.reporting_unit, h.round, h.report_date, h.contact, h.phone) == (
        "长阳镇总工会",
        "第一阶段",
        dt.date(2019, 7, 4),
        "张三",
        "010-69301234",
    )


def test_libreoffice_fixture_keeps_protection_and_validations():
    wb = load_workbook(LO_FIXTURE)
    ws = wb["活动情况"]
    assert ws.protection.sheet is True
    assert ws["B2"].protection.locked and not ws["B6"].protection.locked
    assert {dv.type for dv in ws.data_validations.dataValidation} == {"whole", "date", "list"}
    # LibreOffice 7.4 writes veryHidden back as hidden; detect() does not care.
    assert wb["_meta"].sheet_state in ("hidden", "veryHidden")


def alter(path: Path, how: str) -> None:
    wb = load_workbook(path)
    ws = wb["活动情况"]
    if how == "unit_changed":
        ws["B2"] = "琉璃河镇总工会"
    elif how == "label_changed":
        ws["A3"] = "日期"
    elif how == "round_cleared":
        ws["F2"] = None
    elif how == "column_inserted":
        ws.insert_cols(1)  # everything moves one column right
        ws["A5"] = "编号2"
    elif how == "title_row_inserted":
        ws.insert_rows(1)
    elif how == "header_renamed":
        ws["F5"] = "参与人数"
    elif how == "column_deleted":
        ws.unmerge_cells("B2:D2")
        ws.delete_cols(1)  # 序号 gone, everything moves one column left
    elif how == "sheet_renamed":
        ws.title = "Sheet1"
    wb.save(path)


@pytest.mark.parametrize(
    ("how", "header_row", "unions_col", "unit", "round_name"),
    [
        ("unit_changed", 5, 1, "琉璃河镇总工会", "第二阶段"),
        ("label_changed", 5, 1, "长阳镇总工会", "第二阶段"),
        ("round_cleared", 5, 1, "长阳镇总工会", "第二阶段"),
        ("column_inserted", 5, 2, "长阳镇总工会", "第二阶段"),
        ("title_row_inserted", 6, 1, "长阳镇总工会", "第二阶段"),
        ("sheet_renamed", 5, 1, "长阳镇总工会", "第二阶段"),
        ("header_renamed", 5, 1, "长阳镇总工会", "第二阶段"),
        ("column_deleted", 5, 0, "长阳镇总工会", "第二阶段"),
    ],
)
def test_altered_template_still_read_with_warning(
    generated, tmp_path, campaign, how, header_row, unions_col, unit, round_name
):
    path = Path(shutil.copy(generated["长阳镇总工会"], tmp_path / "t.xlsx"))
    rows = [
        {"grassroots_unit": CHANGYANG[2], "date": dt.date(2019, 7, 9), "participants": 25},
        {"grassroots_unit": "本级", "date": dt.date(2019, 8, 1), "participants": 60},
    ]
    fill_template(path, rows, {"联系人": "李四"})
    alter(path, how)
    wb = read_workbook(path)
    table = read_tables(wb, detect(wb), campaign, "t.xlsx")[0]
    assert [i.code for i in table.issues] == ["template_altered"]
    assert table.issues[0].severity == "warning" and CJK.search(table.issues[0].message)
    assert table.header_row == header_row
    assert table.columns["grassroots_unit"] == unions_col
    got = [
        (r.values["grassroots_unit"], r.values["date"], r.values["participants"])
        for r in table.rows
    ]
    assert got == [(CHANGYANG[2], dt.date(2019, 7, 9), 25), ("本级", dt.date(2019, 8, 1), 60)]
    assert [r.row for r in table.rows] == [header_row + 1, header_row + 2]
    assert (table.header.reporting_unit, table.header.round) == (unit, round_name)
    assert table.header.contact == "李四"


def test_other_campaign_template_warns(generated, campaign):
    from dataclasses import replace

    wb = read_workbook(generated["区教委工会"])
    other = replace(campaign, code="next_year")
    table = read_tables(wb, detect(wb), other, "x.xlsx")[0]
    assert [i.code for i in table.issues] == ["template_other_campaign"]


def test_read_tables_empty_when_activity_sheet_gone(generated, campaign):
    wb = read_workbook(generated["区教委工会"])
    marker = detect(wb)
    wb.sheets = [s for s in wb.sheets if s.name in ("_meta", "_lists")]
    assert read_tables(wb, marker, campaign, "x.xlsx") == []


def test_fill_template_never_writes_locked_header_cells(generated, tmp_path):
    path = Path(shutil.copy(generated["区教委工会"], tmp_path / "t.xlsx"))
    fill_template(
        path, [], {"填报单位": "别的单位", "报送期次": "第一阶段", "phone": "13800000000"}
    )
    ws = load_workbook(path)["活动情况"]
    assert (ws["B2"].value, ws["F2"].value, ws["F3"].value) == (
        "区教委工会",
        "第二阶段",
        "13800000000",
    )


def test_fill_template_unknown_column_is_an_error(generated, tmp_path):
    path = Path(shutil.copy(generated["区教委工会"], tmp_path / "t.xlsx"))
    with pytest.raises(KeyError):
        fill_template(path, [{"会员人数": 5}], {})


row_strategy = st.fixed_dictionaries(
    {
        "grassroots_unit": st.sampled_from(["区教委机关工会", "房山区实验中学工会", "本级"]),
        "date": st.dates(dt.date(2019, 7, 1), dt.date(2019, 9, 30)),
        "participants": st.integers(0, 100_000),
        "title": st.text(alphabet="学习宣讲会议工会精神十四大 ", min_size=1, max_size=12).filter(
            str.strip
        ),
    }
)


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(row_strategy, min_size=1, max_size=30))
def test_fill_then_read_round_trips_any_rows(generated, campaign, tmp_path, rows):
    path = Path(shutil.copy(generated["区教委工会"], tmp_path / "h.xlsx"))
    fill_template(path, rows, {})
    wb = read_workbook(path)
    table = read_tables(wb, detect(wb), campaign, "h.xlsx")[0]
    assert table.issues == []
    assert [r.row for r in table.rows] == list(range(6, 6 + len(rows)))
    got = [
        {k: r.values[k] for k in ("grassroots_unit", "date", "participants", "title")}
        for r in table.rows
    ]
    assert got == rows


def test_bench_template_vs_freeform_reads_same_rows(tmp_path):
    from benchmarks.templates_bench import bench_template_vs_freeform

    result = bench_template_vs_freeform(n_rows=20, repeat=1, work_dir=tmp_path)
    assert result["template_rows"] == result["freeform_rows"] == 20
    assert result["template_tables_s"] > 0 and result["ratio_tables"] > 0


# --- reading needs no openpyxl ------------------------------------------------------------


def test_templates_import_reads_without_openpyxl():
    import subprocess
    import sys

    code = (
        "import sys, analysis.ingest, analysis.templates, analysis.tables, analysis.readers\n"
        "print('openpyxl' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False"


def test_template_cell_styles_are_the_house_styles():
    from analysis.templates.cells import BORDER, HEAD_FILL, UNLOCKED

    assert BORDER.left.style == "thin" and HEAD_FILL.fgColor.rgb == "00D9E1F2"
    assert UNLOCKED.locked is False


def test_templates_package_exposes_the_reading_side_only():
    assert set(templates.__all__) <= set(dir(templates))
    assert "detect" in templates.__all__ and "run" not in templates.__all__
    with pytest.raises(AttributeError):
        templates.no_such_name  # noqa: B018


@pytest.mark.parametrize(
    "ref, expected",
    [("A1", (0, 0)), ("B3", (2, 1)), ("$F$2", (1, 5)), ("h3", (2, 7)), ("AA10", (9, 26)),
     ("XFD1048576", (1048575, 16383))],
)  # fmt: skip
def test_templates_cell_ref_matches_openpyxl(ref, expected):
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    from analysis.templates.reader import _cell_ref

    letters, row = coordinate_from_string(ref)
    assert _cell_ref(ref) == expected == (row - 1, column_index_from_string(letters) - 1)


@pytest.mark.parametrize("ref", ["", "3B", "A0", "ABCD1", "B-3", "B 3"])
def test_templates_cell_ref_bad_coordinates_raise_value_error(ref):
    from analysis.templates.reader import _cell_ref

    with pytest.raises(ValueError):
        _cell_ref(ref)


def test_a_row_holding_only_a_remark_is_a_note_not_an_activity(generated, campaign, tmp_path):
    path = Path(shutil.copy(generated["区教委工会"], tmp_path / "r.xlsx"))
    activity = {"grassroots_unit": "本级", "date": dt.date(2019, 8, 1), "participants": 5,
                "title": "学习会"}  # fmt: skip
    fill_template(path, [activity, {"note": "以上活动均已上报组宣部"}], {})
    wb = read_workbook(path)
    table = read_tables(wb, detect(wb), campaign, "r.xlsx")[0]
    assert [(r.row, r.kind) for r in table.rows] == [(6, "data"), (7, "note")]


def test_template_sheets_cannot_be_unhidden_or_added_by_accident(generated):
    wb = load_workbook(generated["区教委工会"])
    assert wb.security is not None and wb.security.lockStructure
    hint = wb["活动情况"].cell(row=4, column=1).value
    assert hint.startswith("请在黄色单元格和下方表格中填写")


def test_templates_take_the_campaign_of_the_rosters_raw_folder(raw, tmp_path):
    """data/raw/campaign.toml renames round r2: the templates say so, as the ingest reads it."""
    from analysis.campaign import default_campaign_text
    from analysis.templates import batch

    text = default_campaign_text().replace('name = "第二阶段"', 'name = "第二批次"', 1)
    (raw / "campaign.toml").write_text(text, encoding="utf-8")
    done = batch.run(roster=raw / "roster", round_code="r2", out_dir=tmp_path / "t")
    assert done.round_name == "第二批次"
    assert all("第二批次" in p.name for p in done.files)
    (raw / "campaign.toml").unlink()  # none there: the built-in campaign
    assert batch.run(roster=raw / "roster", round_code="r2", out_dir=tmp_path / "u").round_name == (
        "第二阶段"
    )


def test_a_union_and_date_merged_down_in_a_template_are_every_rows(generated, campaign, tmp_path):
    """基层工会名称 and 活动日期 merged over three rows (one union, three activities on one
    day): each row has them, as the general reader gives them."""
    path = Path(shutil.copy(generated["长阳镇总工会"], tmp_path / "t.xlsx"))
    rows = [
        {"grassroots_unit": CHANGYANG[2], "date": dt.date(2019, 7, 9), "participants": 10},
        {"participants": 11},
        {"participants": 12},
    ]
    fill_template(path, rows, {})
    book = load_workbook(path)
    sheet = book["活动情况"]
    first = detect(read_workbook(path))["header_row"] + 1
    for field in ("grassroots_unit", "date"):
        col = get_column_letter(detect(read_workbook(path))["columns"].index(field) + 1)
        sheet.protection.sheet = False
        sheet.merge_cells(f"{col}{first}:{col}{first + 2}")
    book.save(path)
    wb = read_workbook(path)
    (table,) = read_tables(wb, detect(wb), campaign, "t.xlsx")
    got = [(r.values["grassroots_unit"], r.values["date"], r.values["participants"])
           for r in table.rows]  # fmt: skip
    assert got == [(CHANGYANG[2], dt.date(2019, 7, 9), n) for n in (10, 11, 12)]


def _insert_column_as_excel_does(sheet, index: int) -> None:
    """openpyxl's insert_cols leaves merged ranges where they were; Excel moves them."""
    from openpyxl.utils import range_boundaries

    ranges = [str(r) for r in sheet.merged_cells.ranges]
    for r in ranges:
        sheet.unmerge_cells(r)
    sheet.insert_cols(index)
    for r in ranges:
        c1, r1, c2, r2 = range_boundaries(r)
        c1, c2 = c1 + (c1 >= index), c2 + (c2 >= index)
        sheet.merge_cells(f"{get_column_letter(c1)}{r1}:{get_column_letter(c2)}{r2}")


def test_a_column_inserted_before_a_header_value_moves_the_value_not_the_date(
    generated, campaign, tmp_path
):
    """A column inserted at B (所属村): 填报日期's label stays in A3, its value moves from B3
    to C3; the date is still read, so the correction still wins by its date."""
    path = Path(shutil.copy(generated["长阳镇总工会"], tmp_path / "t.xlsx"))
    fill_template(path, [{"grassroots_unit": CHANGYANG[2], "date": dt.date(2019, 6, 9),
                          "participants": 25}], {"填报日期": dt.date(2019, 7, 4)})  # fmt: skip
    book = load_workbook(path)
    sheet = book["活动情况"]
    sheet.protection.sheet = False
    _insert_column_as_excel_does(sheet, 2)
    book.save(path)
    wb = read_workbook(path)
    (table,) = read_tables(wb, detect(wb), campaign, "t.xlsx")
    assert table.header.report_date == dt.date(2019, 7, 4)
    assert table.header.reporting_unit == "长阳镇总工会"


def test_a_rerun_after_a_roster_rename_removes_the_old_units_template(tmp_path):
    """区教委工会 renamed 区教育委员会工会: its old template (which would not match the roster
    any more) is removed and said so; a file of another round, or not ours, stays."""
    from conftest import write_xlsx

    write_xlsx(tmp_path / "roster" / "名册.xlsx", ROSTER_GRID)
    out = tmp_path / "模板"
    run_templates(roster=tmp_path / "roster", round_code="r1", out_dir=out)
    run_templates(roster=tmp_path / "roster", round_code="r2", out_dir=out)
    (out / "说明_第一阶段_报送表.xlsx").write_bytes(b"not a template")
    renamed = [
        [("区教育委员会工会" if c == "区教委工会" else c) for c in row] for row in ROSTER_GRID
    ]
    write_xlsx(tmp_path / "roster" / "名册.xlsx", renamed)
    result = run_templates(roster=tmp_path / "roster", round_code="r1", out_dir=out)
    assert [p.name for p in result.removed] == ["区教委工会_第一阶段_报送表.xlsx"]
    assert not (out / "区教委工会_第一阶段_报送表.xlsx").exists()
    assert (out / "区教育委员会工会_第一阶段_报送表.xlsx").exists()
    assert (out / "区教委工会_第二阶段_报送表.xlsx").exists()  # another round's
    assert (out / "说明_第一阶段_报送表.xlsx").exists()  # not a template of ours
    assert "旧模板 1 个已从该文件夹删除（区教委工会_第一阶段_报送表.xlsx）" in str(result)


@pytest.mark.parametrize(
    "saved_as", ["区教委工会报送表.xlsx", "长阳镇总工会_第二阶段_报送表(1).xlsx"]
)
def test_a_template_filled_by_another_unit(generated, tmp_path, saved_as):
    """区教委 fills 长阳镇's template (its 填报单位 locked) with its own unions. Saved under
    its own name: its report, with a warning, and 长阳镇's own report stays current.
    Saved under 长阳镇's name: nothing says whose it is, so it stays 长阳镇's."""
    from conftest import write_xlsx

    from analysis import ingest

    raw = tmp_path / "raw"
    write_xlsx(raw / "roster" / "名册.xlsx", ROSTER_GRID)
    (raw / "submissions").mkdir(parents=True)
    own = raw / "submissions" / "长阳镇总工会报送表.xlsx"
    shutil.copy(generated["长阳镇总工会"], own)
    fill_template(own, [{"grassroots_unit": CHANGYANG[0], "date": dt.date(2019, 7, 9),
                         "participants": 20}], {"填报日期": dt.date(2019, 10, 2)})  # fmt: skip
    other = raw / "submissions" / saved_as
    shutil.copy(generated["长阳镇总工会"], other)
    fill_template(other, [{"grassroots_unit": "区教委机关工会", "date": dt.date(2019, 7, 9),
                           "participants": 30}], {"填报日期": dt.date(2019, 10, 3)})  # fmt: skip
    ingest.run(raw, tmp_path / "out", progress=False)
    text = (tmp_path / "out" / "submissions.csv").read_text(encoding="utf-8-sig")
    subs = {r["file"]: r for r in csv.DictReader(text.splitlines())}
    mine, theirs = subs["submissions/长阳镇总工会报送表.xlsx"], subs[f"submissions/{saved_as}"]
    issues = (tmp_path / "out" / "issues.csv").read_text(encoding="utf-8-sig")
    if saved_as.startswith("区教委"):
        assert (mine["state"], theirs["state"]) == ("current", "current")
        assert theirs["reporting_unit"] == "区教委工会"
        assert "是“长阳镇总工会”的报送模板，但表中各基层工会都属于“区教委工会”" in issues
    else:
        assert theirs["reporting_unit"] == "长阳镇总工会" and mine["state"] == "superseded"
        assert "template_other_unit" not in issues
