"""The 通报表's materials parts: the 本期资料 column added beside the table."""

from __future__ import annotations

from openpyxl import Workbook, load_workbook

from analysis.exports.materials import add_materials_column


def test_materials_column_added_after_the_last_header_for_units_only(tmp_path):
    path = tmp_path / "通报表.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "通报表"
    ws.append(["某某情况通报表"])
    ws.merge_cells("A1:C1")
    ws.append(["序号", "报送单位", "本期报送状态"])
    ws.append([1, "长阳镇总工会", "按时报送"])
    ws.append([2, "琉璃河镇总工会", "未报送"])
    ws.append([None, "全区合计", "已报1/2个"])
    assert add_materials_column(
        wb, {"长阳镇总工会": "图片2张、总结1份", "琉璃河镇总工会": "未收到"}
    )
    wb.save(path)
    ws = load_workbook(path)["通报表"]
    assert [r[3] for r in ws.iter_rows(min_row=2, values_only=True)] == [
        "本期资料", "图片2张、总结1份", "未收到", None]  # fmt: skip
    assert [str(r) for r in ws.merged_cells.ranges] == ["A1:D1"]


def test_no_table_no_column():
    assert add_materials_column(Workbook(), {}) is False


def test_materials_sheets_never_hold_a_formula(tmp_path):
    import pandas as pd

    from analysis import safety
    from analysis.exports.materials import append_sheets

    path = tmp_path / "通报表.xlsx"
    wb = Workbook()
    wb.active.title = "通报表"
    wb.active.append(["序号", "报送单位"])
    wb.active.append([1, '=HYPERLINK("http://evil.example/","x")'])
    add_materials_column(wb, {'=HYPERLINK("http://evil.example/","x")': "图片1张"})
    append_sheets(
        wb, {"资料清单": pd.DataFrame({"报送单位": ["@SUM(1+1)"], "文件": ["submissions/a.jpg"]})}
    )
    safety.protect_workbook(wb)  # as write_workbook does before saving
    wb.save(path)
    book = load_workbook(path)
    cells = [
        c
        for ws in book.worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str)
    ]
    risky = [c for c in cells if c.value.startswith(("=", "@"))]
    assert len(risky) == 2 and all(c.data_type == "s" and c.quotePrefix for c in risky)


def test_totals_gap_is_a_number_shown_as_a_signed_percentage(tmp_path):
    import pandas as pd

    from analysis.exports.materials import append_sheets

    wb = Workbook()
    frame = pd.DataFrame({"报送单位": ["甲", "乙", "丙"], "差异": [0.125, -0.0033, float("nan")]})
    append_sheets(wb, {"总结数字核对": frame})
    wb.save(tmp_path / "t.xlsx")
    ws = load_workbook(tmp_path / "t.xlsx")["总结数字核对"]
    assert [c.value for c in ws["B"][1:]] == [0.125, -0.0033, None]
    assert ws["B2"].number_format == "+0.0%;-0.0%;0.0%"  # +12.5%, -0.3%: never "-0%"
