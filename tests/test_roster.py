from __future__ import annotations

from pathlib import Path

import pytest
from conftest import write_xlsx

from analysis.roster import RosterError, kind_code, load_roster


def test_roster_tables_from_small_workbook(tmp_path, small_roster_rows):
    write_xlsx(tmp_path / "roster" / "名册.xlsx", small_roster_rows)
    roster = load_roster(tmp_path / "roster")
    assert len(roster.units) == 7
    ru = roster.reporting_units.set_index("reporting_unit")
    assert list(roster.reporting_units["reporting_unit"]) == [
        "琉璃河镇总工会",
        "长阳镇总工会",
        "区教委工会",
        "北京燕房物流有限公司工会",
    ] or list(ru["kind"]) == ["town", "town", "system", "direct"]
    assert ru.loc["长阳镇总工会", "units_total"] == 3
    assert ru.loc["长阳镇总工会", "members_total"] == 200
    # a directly affiliated union is its own reporting unit with one union
    assert ru.loc["北京燕房物流有限公司工会", "kind"] == "direct"
    assert ru.loc["北京燕房物流有限公司工会", "units_total"] == 1
    assert roster.units["members"].sum() == 330


def test_roster_bad_rows_become_issues_not_failures(tmp_path, small_roster_rows):
    rows = small_roster_rows + [
        [8, "某某工会", "长阳镇总工会", "乡镇", "很多", None, None],
        [9, "另一工会", "X", "外星", 5],
    ]
    write_xlsx(tmp_path / "r.xlsx", rows)
    roster = load_roster(tmp_path / "r.xlsx")
    assert len(roster.units) == 7
    codes = sorted(i.code for i in roster.issues)
    assert codes == ["roster_kind_unknown", "roster_members_unreadable"]
    assert {i.row for i in roster.issues} == {10, 11}


def test_missing_roster_is_a_chinese_error(tmp_path):
    with pytest.raises(RosterError, match="未找到名册"):
        load_roster(tmp_path / "roster")


def test_roster_without_header_is_a_chinese_error(tmp_path):
    write_xlsx(tmp_path / "r.xlsx", [["名称", "数量"], ["a", 1]])
    with pytest.raises(RosterError, match="找不到表头"):
        load_roster(tmp_path / "r.xlsx")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("乡镇", "town"),
        ("乡", "town"),
        ("街道", "street"),
        ("委、局、公司", "system"),
        ("系统", "system"),
        ("燕山", "yanshan"),
        ("开发区", "zone"),
        ("直属", "direct"),
        ("direct", "direct"),
        ("外星", None),
        ("", None),
        # As offices write them.
        ("区直机关", "system"),
        ("区直属机关", "system"),
        ("委办局", "system"),
        ("系统工会", "system"),
        ("产业工会", "system"),
        ("镇", "town"),
        ("街道办事处", "street"),
        ("开发区管委会", "zone"),
        ("燕山地区", "yanshan"),
        # Towns and streets alike, or what the union is: no kind (the parent decides).
        ("乡镇街道", None),
        ("街乡", None),
        ("机关", None),
        ("企业", None),
        ("非公企业", None),
        ("事业单位", None),
        ("地区", None),
    ],
)
def test_kind_code(text, code):
    assert kind_code(text) == code


def test_roster_missing_a_column_names_it_the_sheet_and_the_header_row(tmp_path):
    write_xlsx(
        tmp_path / "名册.xlsx",
        [
            ["房山区基层工会名册"],
            ["序号", "基层工会名称", "类别", "会员人数"],
            [1, "长阳镇卫生院工会", "乡镇", 60],
        ],
        sheet="基层工会",
    )
    with pytest.raises(RosterError) as caught:
        load_roster(tmp_path / "名册.xlsx")
    assert str(caught.value) == (
        "名册“名册.xlsx”的工作表“基层工会”找不到完整的表头：第2行有“基层工会名称”、“类别”、“会员人数”，"
        "但缺少“上级工会”（也可写作“所属工会”“上级单位”“所属单位”）列；请在该行补上这一列后重新运行。"
    )


def test_roster_missing_two_columns_names_both(tmp_path):
    write_xlsx(tmp_path / "r.xlsx", [["基层工会名称", "上级工会", "人数"], ["a", "b", 1]])
    with pytest.raises(RosterError) as caught:
        load_roster(tmp_path / "r.xlsx")
    message = str(caught.value)
    assert message.startswith(
        "名册“r.xlsx”的工作表“Sheet1”找不到完整的表头：第1行有“基层工会名称”、“上级工会”，"
    )
    assert (
        "缺少“类别”（也可写作“类型”“单位类别”“上级类别”）、“会员人数”（也可写作“会员数”“会员”“会员总数”）列"
        in message
    )


def test_roster_row_problems_name_the_sheet(tmp_path):
    write_xlsx(
        tmp_path / "r.xlsx",
        [["基层工会名称", "上级工会", "类别", "会员人数"], ["甲工会", "长阳镇总工会", "乡镇", 10],
         ["乙工会", "长阳镇总工会", "某类", 10]],
        sheet="名册",
    )  # fmt: skip
    roster = load_roster(tmp_path / "r.xlsx")
    (issue,) = roster.issues
    assert (issue.file, issue.sheet, issue.row, issue.column, issue.code) == (
        "r.xlsx", "名册", 3, "类别", "roster_kind_unknown",
    )  # fmt: skip


def test_roster_with_no_usable_row_says_why(tmp_path):
    write_xlsx(
        tmp_path / "r.xlsx",
        [["基层工会名称", "上级工会", "类别", "会员人数"], ["甲工会", "长阳镇总工会", "某类", 10]],
        sheet="名册",
    )
    with pytest.raises(RosterError) as caught:
        load_roster(tmp_path / "r.xlsx")
    assert str(caught.value) == (
        "名册“r.xlsx”的工作表“名册”第1行表头之下没有可用的基层工会记录，无法统计。"
        "名册“r.xlsx”的工作表“名册”第2行“甲工会”的类别“某类”无法识别，应为 乡镇/街道/系统/燕山/开发区/直属 之一；"
        "该单位未计入统计，请修改名册。"
    )


def test_roster_kind_mixed_names_the_parent_and_both_kinds(tmp_path):
    write_xlsx(
        tmp_path / "r.xlsx",
        [["基层工会名称", "上级工会", "类别", "会员人数"],
         ["甲工会", "长阳镇总工会", "乡镇", 10], ["乙工会", "长阳镇总工会", "乡镇", 10],
         ["丙工会", "长阳镇总工会", "街道", 10]],
        sheet="名册",
    )  # fmt: skip
    (issue,) = load_roster(tmp_path / "r.xlsx").issues
    assert (issue.sheet, issue.row, issue.code) == ("名册", 4, "roster_kind_mixed")
    assert issue.message == (
        "名册“r.xlsx”的工作表“名册”第4行“丙工会”的类别“街道”与上级工会“长阳镇总工会”"
        "下其他单位的“乡镇”不同，已按“乡镇”统计；如有误请修改名册。"
    )


def test_several_roster_files_say_which_one_was_used(tmp_path):
    import os

    rows = [
        ["基层工会名称", "上级工会", "类别", "会员人数"],
        ["甲工会", "长阳镇总工会", "乡镇", 10],
    ]
    old = write_xlsx(tmp_path / "roster" / "名册2018.xlsx", rows)
    write_xlsx(tmp_path / "roster" / "名册2019.xlsx", rows)
    os.utime(old, (1_500_000_000, 1_500_000_000))  # older
    roster = load_roster(tmp_path / "roster")
    assert roster.source == "名册2019.xlsx"
    (issue,) = roster.issues
    assert (issue.code, issue.severity) == ("roster_several_files", "warning")
    assert issue.message == (
        "名册文件夹中有2个文件，使用的是修改时间最新的“名册2019.xlsx”，“名册2018.xlsx”未使用；"
        "如用错了名册，请把不用的文件移出 roster 文件夹后重新运行。"
    )


def test_ingest_warns_about_several_roster_files_also_from_the_cache(tmp_path):
    import os

    from analysis import ingest

    raw = tmp_path / "raw"
    rows = [
        ["基层工会名称", "上级工会", "类别", "会员人数"],
        ["甲工会", "长阳镇总工会", "乡镇", 10],
    ]
    used = write_xlsx(raw / "roster" / "名册2019.xlsx", rows)
    (raw / "submissions").mkdir()
    first = ingest.run(raw, tmp_path / "out", progress=False)
    assert "roster_several_files" not in set(first.issues["code"])
    old = write_xlsx(raw / "roster" / "名册2018.xlsx", rows)
    os.utime(old, (used.stat().st_mtime - 3600,) * 2)
    second = ingest.run(raw, tmp_path / "out", progress=False)  # the roster comes from the cache
    (issue,) = second.issues[second.issues["code"] == "roster_several_files"].itertuples()
    assert issue.file == "roster/名册2019.xlsx" and "“名册2018.xlsx”未使用" in issue.message


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ("missing/roster", "未找到名册：原始数据目录 {tmp}/missing 不存在"),
        ("a-file/roster", "未找到名册：{tmp}/a-file 是一个文件，不是文件夹"),
        ("raw/roster", "未找到名册：请把单位名册放到 {tmp}/raw/roster 文件夹中"),
        ("名册.xlsx", "未找到名册：名册文件 {tmp}/名册.xlsx 不存在"),
    ],
)
def test_no_roster_says_which_path_is_wrong(tmp_path, where, expected):
    (tmp_path / "a-file").write_bytes(b"x")
    (tmp_path / "raw").mkdir()
    with pytest.raises(RosterError) as caught:
        load_roster(tmp_path / where)
    assert str(caught.value).startswith(expected.format(tmp=tmp_path))


FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize(
    ("content", "found", "todo"),
    [
        (
            b"PK\x03\x04 broken zip",
            "已损坏或不完整，无法打开",
            "请用 Excel 或 WPS 打开名册，另存为 .xlsx",
        ),
        (b"", "是空文件（0 字节），未读取", "请用 Excel 或 WPS 打开名册，另存为 .xlsx"),
        (b"%PDF-1.4\n", "是PDF 文档，不是 Excel/WPS/CSV 表格，未读取", "请把单位名册另存为 Excel"),
        (
            (FIXTURES / "password.xls").read_bytes(),
            "设置了打开密码，无法读取",
            "请取消名册的打开密码",
        ),
    ],
)
def test_a_broken_roster_says_what_the_analyst_can_do_not_send_it_in(
    tmp_path, content, found, todo
):
    path = tmp_path / "名册.xlsx"
    path.write_bytes(content)
    with pytest.raises(RosterError) as caught:
        load_roster(path)
    message = str(caught.value)
    assert message.startswith(f"名册文件无法使用：文件“名册.xlsx”{found}")
    assert f"；{todo}" in message and message.endswith("后重新运行。")
    assert "报送" not in message and message.count("请") == 1


def test_every_file_refusal_gives_its_advice_after_one_semicolon():
    """The roster keeps a refusal's finding and replaces its advice, split at "；请"."""
    from analysis.messages import MESSAGES

    codes = ["empty", "corrupt", "not_a_spreadsheet", "password_protected", "zip_bomb",
             "zip_bomb_lying_size", "hostile_xml", *(c for c in MESSAGES if c.startswith("too_"))]  # fmt: skip
    for code in codes:
        assert MESSAGES[code].count("；请") == 1, code


def test_a_roster_folder_with_no_spreadsheet_names_what_it_holds(tmp_path):
    folder = tmp_path / "roster"
    folder.mkdir()
    (folder / "单位名册.zip").write_bytes(b"PK\x05\x06" + bytes(18))
    (folder / "~$单位名册.xlsx").write_bytes(b"lock")  # Office's lock file: not a roster, not named
    with pytest.raises(RosterError) as caught:
        load_roster(folder)
    assert str(caught.value) == (
        f"未找到名册：{folder} 中只有“单位名册.zip”，不是 Excel 或 CSV 文件；"
        "请把单位名册（.xlsx/.xls/.csv）放入该文件夹后重新运行。"
        "压缩包请先解压，再把其中的名册放入 roster 文件夹。"
    )
    (folder / "单位名册.zip").unlink()
    with pytest.raises(RosterError) as caught:
        load_roster(folder)
    assert "中没有 Excel 或 CSV 文件" in str(caught.value)


def test_files_beside_the_roster_that_are_not_spreadsheets_are_named(tmp_path):
    rows = [
        ["基层工会名称", "上级工会", "类别", "会员人数"],
        ["甲工会", "长阳镇总工会", "乡镇", 10],
    ]
    folder = tmp_path / "roster"
    write_xlsx(folder / "名册.xlsx", rows)
    for name in ("名册说明.docx", ".DS_Store", "~$名册.xlsx", "Thumbs.db", "desktop.ini"):
        (folder / name).write_bytes(b"x")  # Windows' own files are not the analyst's
    (issue,) = load_roster(folder).issues
    assert (issue.code, issue.severity, issue.file) == (
        "roster_file_ignored",
        "warning",
        "名册.xlsx",
    )
    assert issue.message == (
        "名册文件夹中的“名册说明.docx”不是 Excel 或 CSV 文件，未读取；名册用的是“名册.xlsx”。"
        "如果名单在这些文件里，请另存为 Excel 文件放入 roster 文件夹后重新运行。"
    )
    for k in range(6):
        (folder / f"照片{k}.jpg").write_bytes(b"x")
    (issue,) = load_roster(folder).issues
    assert "“名册说明.docx”、“照片0.jpg”、“照片1.jpg”、“照片2.jpg”、“照片3.jpg”等7个文件不是" in (
        issue.message
    )


def test_ingest_names_files_beside_the_roster_also_from_the_cache(tmp_path):
    from analysis import ingest

    raw = tmp_path / "raw"
    rows = [
        ["基层工会名称", "上级工会", "类别", "会员人数"],
        ["甲工会", "长阳镇总工会", "乡镇", 10],
    ]
    write_xlsx(raw / "roster" / "名册.xlsx", rows)
    (raw / "submissions").mkdir()
    first = ingest.run(raw, tmp_path / "out", progress=False)
    assert "roster_file_ignored" not in set(first.issues["code"])
    (raw / "roster" / "名册.rar").write_bytes(b"Rar!")
    second = ingest.run(raw, tmp_path / "out", progress=False)  # the roster comes from the cache
    (issue,) = second.issues[second.issues["code"] == "roster_file_ignored"].itertuples()
    assert issue.file == "roster/名册.xlsx" and issue.message.endswith(
        "压缩包请先解压，再把其中的名册放入 roster 文件夹。"
    )


_HEADER = ["序号", "基层工会名称", "上级工会", "类别", "会员人数"]


def _totals(roster) -> dict[str, tuple[int, int]]:
    frame = roster.reporting_units.set_index("reporting_unit")
    return {k: (int(r.units_total), int(r.members_total)) for k, r in frame.iterrows()}


def test_a_parent_merged_over_its_unions_rows_counts_for_each(tmp_path):
    """上级工会 and 类别 merged over each town's block (as offices lay a roster out): every
    union keeps its town, not the first one only (the others were errors, 类别“None”)."""
    from openpyxl import load_workbook

    path = write_xlsx(tmp_path / "名册.xlsx", [
        _HEADER,
        [1, "长阳镇第一小学工会", "长阳镇总工会", "乡镇", 40],
        [2, "长阳镇卫生院工会", None, None, 60],
        [3, "北京长阳建材有限公司工会", None, None, 100],
        [4, "琉璃河镇中心小学工会", "琉璃河镇总工会", "乡镇", 30],
        [5, "琉璃河镇卫生院工会", None, None, 20],
    ])  # fmt: skip
    wb = load_workbook(path)
    for cells in ("C2:C4", "D2:D4", "C5:C6", "D5:D6"):
        wb.active.merge_cells(cells)
    wb.save(path)
    roster = load_roster(path)
    assert _totals(roster) == {"长阳镇总工会": (3, 200), "琉璃河镇总工会": (2, 50)}
    assert roster.issues == []


def test_a_roster_of_one_sheet_per_kind_is_read_whole_and_a_cover_sheet_is_passed_over(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    cover = wb.active
    cover.title = "填表说明"
    cover.append(["请按下列各表填写本单位所属基层工会"])
    sheets = {
        "乡镇": [[1, "长阳镇第一小学工会", "长阳镇总工会", "乡镇", 40]],
        "街道": [[1, "拱辰街道社区工会", "拱辰街道总工会", "街道", 25]],
        "系统": [[1, "区教委机关工会", "区教委工会", "系统", 50]],
    }
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in [["房山区基层工会名册"], _HEADER, *rows]:
            ws.append(row)
    wb.save(tmp_path / "名册.xlsx")
    roster = load_roster(tmp_path / "名册.xlsx")
    assert _totals(roster) == {
        "长阳镇总工会": (1, 40), "拱辰街道总工会": (1, 25), "区教委工会": (1, 50),
    }  # fmt: skip
    skipped = [(i.sheet, i.code, i.severity) for i in roster.issues]
    assert skipped == [("填表说明", "roster_sheet_skipped", "warning")]


@pytest.mark.parametrize("label", ["长阳镇小计", "小计", "共计", "汇总"])
def test_subtotal_rows_of_a_roster_are_no_unions(tmp_path, label):
    write_xlsx(tmp_path / "名册.xlsx", [
        _HEADER,
        [1, "长阳镇第一小学工会", "长阳镇总工会", "乡镇", 40],
        [2, "长阳镇卫生院工会", "长阳镇总工会", "乡镇", 60],
        [None, label, "长阳镇总工会", "乡镇", 100],
    ])  # fmt: skip
    roster = load_roster(tmp_path / "名册.xlsx")
    assert _totals(roster) == {"长阳镇总工会": (2, 100)}
    assert roster.issues == []


def test_members_written_in_words_or_with_a_decimal_zero_are_read(tmp_path):
    write_xlsx(tmp_path / "名册.xlsx", [
        _HEADER,
        [1, "长阳镇第一小学工会", "长阳镇总工会", "乡镇", "四十五"],
        [2, "长阳镇卫生院工会", "长阳镇总工会", "乡镇", "60.0"],
        [3, "长阳镇中学工会", "长阳镇总工会", "乡镇", "约50"],
        [4, "长阳镇幼儿园工会", "长阳镇总工会", "乡镇", None],
    ])  # fmt: skip
    roster = load_roster(tmp_path / "名册.xlsx")
    # an estimate (约50) is read as its figure, with a warning (see below)
    assert _totals(roster) == {"长阳镇总工会": (3, 155)}
    messages = [i.message for i in roster.issues]
    assert len(messages) == 2 and "会员人数写的是约数“约50”，已按50人计入" in messages[0]
    assert "“长阳镇幼儿园工会”没有填写会员人数" in messages[1]  # a blank cell, never “None”


def test_a_union_under_the_district_federation_but_not_direct_says_so(tmp_path):
    """上级工会 房山区总工会 with 类别 系统: not “没有填写上级工会” — it is filled in."""
    write_xlsx(tmp_path / "名册.xlsx", [
        _HEADER,
        [1, "区教委机关工会", "区教委工会", "系统", 50],
        [2, "区档案馆工会", "房山区总工会", "系统", 12],
    ])  # fmt: skip
    roster = load_roster(tmp_path / "名册.xlsx")
    (issue,) = roster.issues
    assert (issue.row, issue.code) == (3, "roster_parent_missing")
    assert "上级工会是“房山区总工会”，但类别写的是“系统”而不是“直属”" in issue.message


def test_a_direct_union_with_a_town_as_parent_is_direct_and_the_analyst_is_told(tmp_path):
    """类别 直属 beside 上级工会 长阳镇总工会: counted as its own reporting unit (类别
    decides), with a warning naming both; 直属 beside the district federation is quiet."""
    write_xlsx(tmp_path / "名册.xlsx", [
        _HEADER,
        [1, "区医院工会", "长阳镇总工会", "直属", 80],
        [2, "区档案馆工会", "房山区总工会", "直属", 12],
        [3, "区图书馆工会", "", "直属", 9],
        [4, "长阳镇中学工会", "长阳镇总工会", "乡镇", 40],
    ])  # fmt: skip
    roster = load_roster(tmp_path / "名册.xlsx")
    units = roster.units.set_index("unit")["reporting_unit"].to_dict()
    assert units == {
        "区医院工会": "区医院工会",
        "区档案馆工会": "区档案馆工会",
        "区图书馆工会": "区图书馆工会",
        "长阳镇中学工会": "长阳镇总工会",
    }
    (issue,) = roster.issues
    assert (issue.row, issue.severity, issue.code) == (2, "warning", "roster_direct_with_parent")
    assert "“区医院工会”的类别是“直属”，但上级工会写的是“长阳镇总工会”" in issue.message


def test_a_row_with_members_but_no_name_is_an_error_not_a_silent_loss(tmp_path):
    """会员人数 300 under 长阳镇 with 基层工会名称 left empty: not counted (no name to
    match reports to) but named in an error; a heading row with no members stays quiet."""
    write_xlsx(tmp_path / "名册.xlsx", [
        _HEADER,
        [1, "长阳镇中学工会", "长阳镇总工会", "乡镇", 250],
        [2, None, "长阳镇总工会", "乡镇", 300],
        [None, None, "良乡镇总工会", None, None],  # a heading row
        [3, "良乡镇中学工会", "良乡镇总工会", "乡镇", 40],
    ])  # fmt: skip
    roster = load_roster(tmp_path / "名册.xlsx")
    assert roster.units["unit"].tolist() == ["长阳镇中学工会", "良乡镇中学工会"]
    (issue,) = roster.issues
    assert (issue.row, issue.severity, issue.code) == (3, "error", "roster_name_blank")
    assert "第3行没有填写基层工会名称（上级工会“长阳镇总工会”，会员人数“300”）" in issue.message


def test_one_union_written_twice_in_other_spellings_under_its_parent_counts_once(tmp_path):
    """长阳镇第一小学工会 again as …工会委员会 and with 北京市房山区 before it, under the same
    town: one union of 40 members, not three (120); each copy is named in an error. The
    same spelling under another town is another union and stays."""
    write_xlsx(tmp_path / "名册.xlsx", [
        _HEADER,
        [1, "长阳镇第一小学工会", "长阳镇总工会", "乡镇", 40],
        [2, "长阳镇卫生院工会", "长阳镇总工会", "乡镇", 60],
        [3, "长阳镇第一小学工会委员会", "长阳镇总工会", "乡镇", 40],
        [4, "北京市房山区长阳镇第一小学工会", "长阳镇总工会", "乡镇", 40],
        [5, "中心小学工会", "长阳镇总工会", "乡镇", 30],
        [6, "中心小学工会委员会", "琉璃河镇总工会", "乡镇", 20],
    ])  # fmt: skip
    roster = load_roster(tmp_path / "名册.xlsx")
    assert _totals(roster) == {"长阳镇总工会": (3, 130), "琉璃河镇总工会": (1, 20)}
    duplicates = [(i.row, i.severity, i.code) for i in roster.issues]
    assert duplicates == [
        (4, "error", "roster_duplicate_name"),
        (5, "error", "roster_duplicate_name"),
    ]
    assert "与第2行“长阳镇第一小学工会”是同一个基层工会" in roster.issues[0].message


def test_a_hidden_roster_sheet_with_unions_is_named_not_dropped_in_silence(tmp_path):
    """A hidden sheet is not read (as for submissions), but one holding unions gets a
    warning naming it and its 1 union; an empty hidden sheet stays quiet."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "名册"
    for row in [_HEADER, [1, "长阳镇第一小学工会", "长阳镇总工会", "乡镇", 40]]:
        wb.active.append(row)
    hidden = wb.create_sheet("补充")
    for row in [_HEADER, [1, "拱辰街道社区工会", "拱辰街道总工会", "街道", 25]]:
        hidden.append(row)
    hidden.sheet_state = "hidden"
    wb.create_sheet("空表").sheet_state = "hidden"
    wb.save(tmp_path / "名册.xlsx")
    roster = load_roster(tmp_path / "名册.xlsx")
    assert _totals(roster) == {"长阳镇总工会": (1, 40)}
    (issue,) = roster.issues
    assert (issue.sheet, issue.severity, issue.code) == ("补充", "warning", "roster_sheet_hidden")
    assert "工作表“补充”是隐藏的，其中有1行基层工会记录，未读取" in issue.message


def test_a_row_naming_the_parent_federation_itself_is_no_grassroots_union(tmp_path):
    """“琉璃河镇” (the town's heading, with its total 50) and “长阳镇总工会” under
    长阳镇总工会 are the federations themselves: counting them would add 50 + 15 members
    and two unions that no activity can cover. Each is an error; a direct union is its
    own reporting unit and stays."""
    write_xlsx(tmp_path / "名册.xlsx", [
        _HEADER,
        [1, "长阳镇第一小学工会", "长阳镇总工会", "乡镇", 40],
        [2, "长阳镇总工会", "长阳镇总工会", "乡镇", 15],
        [None, "琉璃河镇", "琉璃河镇总工会", "乡镇", 50],
        [3, "琉璃河镇中心小学工会", "琉璃河镇总工会", "乡镇", 30],
        [4, "琉璃河镇卫生院工会", "琉璃河镇总工会", "乡镇", 20],
        [5, "长阳镇总工会机关工会", "长阳镇总工会", "乡镇", 9],
        [6, "区图书馆工会", "区图书馆工会", "直属", 9],
    ])  # fmt: skip
    roster = load_roster(tmp_path / "名册.xlsx")
    assert _totals(roster) == {
        "长阳镇总工会": (2, 49), "琉璃河镇总工会": (2, 50), "区图书馆工会": (1, 9),
    }  # fmt: skip
    found = [(i.row, i.severity, i.code) for i in roster.issues]
    assert found == [(3, "error", "roster_unit_is_parent"), (4, "error", "roster_unit_is_parent")]
    assert "第4行的基层工会“琉璃河镇”就是上级工会“琉璃河镇总工会”本身" in roster.issues[1].message


@pytest.mark.parametrize(
    "header",
    [
        ["序号", "基层工会全称", "所属总工会", "类别（乡镇/街道/系统）", "会员总数", "职工总数"],
        ["序号", "工会名称", "隶属", "所属类型", "工会会员人数（人）", "在职职工"],
        ["序号", "单位名称", "上级总工会", "所属类别", "会员人数(名)", "在职职工人数"],
        ["序号", "基层工会", "归口", "类别", "会员（人）", "职工人数"],
        ["序号", "单位名称", "主管单位", "单位类别", "会员数量", "职工数（人）"],
        ["序号", "工会名称", "上级单位名称", "类型", "工会会员（人）", "职工人数"],
    ],
)
def test_roster_headers_as_offices_word_them_are_read(tmp_path, header):
    write_xlsx(tmp_path / "名册.xlsx", [
        header,
        [1, "长阳镇第一小学工会", "长阳镇总工会", "乡镇", 40, 45],
        [2, "区教委机关工会", "区教委工会", "系统", 50, 55],
    ])  # fmt: skip
    roster = load_roster(tmp_path / "名册.xlsx")
    assert _totals(roster) == {"长阳镇总工会": (1, 40), "区教委工会": (1, 50)}
    assert roster.units["employees"].tolist() == [45, 55]
    assert roster.issues == []


def test_total_rows_are_known_by_any_label_cell_and_a_union_with_such_a_word_stays(tmp_path):
    """合计 in the 序号 column, 长阳镇合计 under 上级工会 and “合  计” spaced out are totals,
    not unions without a name or with an unknown 类别; 北京汇总科技有限公司工会 only has the
    word inside its name and is a union (it used to vanish without a word)."""
    write_xlsx(tmp_path / "名册.xlsx", [
        ["房山区基层工会名册"],
        _HEADER,
        [1, "长阳镇第一小学工会", "长阳镇总工会", "乡镇", 10],
        [2, "长阳镇卫生院工会", "长阳镇总工会", "乡镇", 20],
        [None, None, "长阳镇合计", None, 30],
        [3, "北京汇总科技有限公司工会", "长阳镇总工会", "乡镇", 7],
        ["合计", None, None, None, 37],
        [None, "合  计", None, None, 37],
        [None, "总计：", None, None, 37],
    ])  # fmt: skip
    roster = load_roster(tmp_path / "名册.xlsx")
    assert _totals(roster) == {"长阳镇总工会": (3, 37)}
    assert roster.issues == []


def test_a_parent_written_once_for_its_block_without_merging_counts_for_each(tmp_path):
    """上级工会 and 类别 written on the first row of each town's block only (the cells below
    left blank, as when merged cells were undone or the roster came from CSV): each union
    counts under the town above, with one warning per block naming its rows; a 直属 union
    keeps its own blank parent."""
    write_xlsx(tmp_path / "名册.xlsx", [
        _HEADER,
        [1, "长阳镇第一小学工会", "长阳镇总工会", "乡镇", 40],
        [2, "长阳镇卫生院工会", None, None, 60],
        [3, "北京长阳建材有限公司工会", None, None, 100],
        [4, "区图书馆工会", None, "直属", 9],
        [5, "琉璃河镇中心小学工会", "琉璃河镇总工会", "乡镇", 30],
        [6, "琉璃河镇卫生院工会", " ", None, 20],
    ])  # fmt: skip
    roster = load_roster(tmp_path / "名册.xlsx")
    assert _totals(roster) == {
        "长阳镇总工会": (3, 200), "琉璃河镇总工会": (2, 50), "区图书馆工会": (1, 9),
    }  # fmt: skip
    found = [(i.row, i.severity, i.code) for i in roster.issues]
    assert found == [(3, "warning", "roster_parent_above"), (7, "warning", "roster_parent_above")]
    assert (
        "第3–4行（2个基层工会）没有填写上级工会和类别，已按上方第2行的“长阳镇总工会”（乡镇）计入"
        in (roster.issues[0].message)
    )


def test_a_union_the_remarks_call_disbanded_is_not_in_the_denominator(tmp_path):
    """备注 已撤销 / 已注销 / 已合并至… : gone, so not counted (2 of 5 unions left out,
    each named in an error); 拟撤销 (still there) and 新成立 are counted."""
    write_xlsx(tmp_path / "名册.xlsx", [
        [*_HEADER, "职工人数", "单位代码", "备注"],
        [1, "长阳镇第一小学工会", "长阳镇总工会", "乡镇", 40, None, None, "已撤销"],
        [2, "长阳镇卫生院工会", "长阳镇总工会", "乡镇", 60, None, None, "2019年3月已合并至长阳镇医院工会"],
        [3, "长阳镇医院工会", "长阳镇总工会", "乡镇", 90, None, None, "新成立"],
        [4, "长阳镇中学工会", "长阳镇总工会", "乡镇", 30, None, None, "拟撤销"],
        [5, "长阳镇砖厂工会", "长阳镇总工会", "乡镇", 8, None, None, "企业已注销"],
    ])  # fmt: skip
    roster = load_roster(tmp_path / "名册.xlsx")
    assert _totals(roster) == {"长阳镇总工会": (2, 120)}
    found = [(i.row, i.severity, i.code) for i in roster.issues]
    assert found == [(r, "error", "roster_unit_disbanded") for r in (2, 3, 6)]
    assert "“长阳镇第一小学工会”的备注写着“已撤销”" in roster.issues[0].message


def test_a_roster_header_on_two_rows_is_read(tmp_path):
    """“会员情况” merged over “会员人数 | 职工人数”, the other headings merged down over
    both rows: the second row completes the first, the data start below it."""
    from openpyxl import load_workbook

    path = write_xlsx(tmp_path / "名册.xlsx", [
        ["序号", "基层工会名称", "上级工会", "类别", "会员情况", None],
        [None, None, None, None, "会员人数", "职工人数"],
        [1, "长阳镇第一小学工会", "长阳镇总工会", "乡镇", 40, 45],
        [2, "长阳镇卫生院工会", "长阳镇总工会", "乡镇", 60, 70],
    ])  # fmt: skip
    wb = load_workbook(path)
    for cells in ("A1:A2", "B1:B2", "C1:C2", "D1:D2", "E1:F1"):
        wb.active.merge_cells(cells)
    wb.save(path)
    roster = load_roster(path)
    assert _totals(roster) == {"长阳镇总工会": (2, 100)}
    assert roster.units["employees"].tolist() == [45, 70]
    assert roster.units["row"].tolist() == [3, 4]
    assert roster.issues == []


def test_numbers_a_spreadsheet_stored_as_floats_are_shown_as_typed(tmp_path):
    """A unit code typed as a number (12345) is “12345”, not “12345.0”; a negative 会员人数
    is quoted as “-3” in its error, as the analyst typed it."""
    write_xlsx(tmp_path / "名册.xlsx", [
        [*_HEADER, "职工人数", "单位代码"],
        [1, "长阳镇第一小学工会", "长阳镇总工会", "乡镇", 40, 45, 12345.0],
        [2, "长阳镇卫生院工会", "长阳镇总工会", "乡镇", -3.0, None, "0012345"],
    ])  # fmt: skip
    roster = load_roster(tmp_path / "名册.xlsx")
    assert roster.units["code"].tolist() == ["12345"]
    (issue,) = roster.issues
    assert "会员人数“-3”不是0或正整数" in issue.message


def test_a_federation_listed_only_as_itself_stays_expected_to_report(tmp_path):
    """城关街道工会 is the only row under 城关街道总工会: leaving it out would drop the
    street from the reporting units, so it is kept (1 union, 25 members) with a warning."""
    write_xlsx(tmp_path / "名册.xlsx", [
        _HEADER,
        [1, "长阳镇第一小学工会", "长阳镇总工会", "乡镇", 40],
        [2, "城关街道工会", "城关街道总工会", "街道", 25],
    ])  # fmt: skip
    roster = load_roster(tmp_path / "名册.xlsx")
    assert _totals(roster) == {"长阳镇总工会": (1, 40), "城关街道总工会": (1, 25)}
    (issue,) = roster.issues
    assert (issue.row, issue.severity, issue.code) == (3, "warning", "roster_unit_is_parent")


def test_a_sheet_per_town_or_kind_without_those_columns_takes_them_from_its_name(tmp_path):
    """Sheet 长阳镇 lists its unions without 上级工会 and 类别; sheet 琉璃河镇 has 类别 only;
    sheets 系统 and 直属 have no 类别: the sheet's name says what is missing, each sheet
    warned once. They used to be skipped whole, their unions out of every figure."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    sheets = {
        "长阳镇": [["序号", "基层工会名称", "会员人数"], [1, "甲工会", 10], [2, "乙工会", 20]],
        "琉璃河镇": [["序号", "基层工会名称", "类别", "会员人数"], [1, "丙工会", "乡镇", 5]],
        "系统": [["序号", "基层工会名称", "上级工会", "会员人数"], [1, "丁工会", "区教委工会", 30]],
        "直属": [["序号", "基层工会名称", "会员人数"], [1, "戊工会", 9]],
    }
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(tmp_path / "名册.xlsx")
    roster = load_roster(tmp_path / "名册.xlsx")
    assert _totals(roster) == {
        "琉璃河镇总工会": (1, 5), "长阳镇总工会": (2, 30), "区教委工会": (1, 30), "戊工会": (1, 9),
    }  # fmt: skip
    assert roster.kind_of["长阳镇总工会"] == "town" and roster.kind_of["戊工会"] == "direct"
    found = [(i.sheet, i.severity, i.code) for i in roster.issues]
    assert found == [(s, "warning", "roster_columns_from_sheet") for s in sheets]
    assert "没有“上级工会”“类别”列，表中2个基层工会按工作表名称计入“长阳镇总工会”（乡镇）" in (
        roster.issues[0].message
    )


def test_a_kind_saying_what_the_union_is_takes_its_parents_kind(tmp_path):
    """类别 written as the union's own nature (机关, 企业, 非公企业, 事业单位, 地区) or as
    乡镇街道 names no kind: the parent decides. 长阳镇总工会's other rows say 乡镇, so its
    机关 and 企业 rows are towns; 区教委工会 has no other row, its name says 委 (系统);
    琉璃河镇总工会 likewise by its name (镇); 某某联合工会 says no kind by its name: an
    error, the row left out. 类别 企业 with no 上级工会 stays an error as before. Members:
    40 + 10 + 20 (长阳镇) + 30 (区教委) + 5 (琉璃河镇) = 105 counted of 105 + 7 + 9."""
    rows = [
        ["基层工会名称", "上级工会", "类别", "会员人数"],
        ["长阳镇第一小学工会", "长阳镇总工会", "乡镇", 40],
        ["长阳镇机关工会", "长阳镇总工会", "机关", 10],
        ["北京长阳建材有限公司工会", "长阳镇总工会", "非公企业", 20],
        ["区教委机关工会", "区教委工会", "事业单位", 30],
        ["琉璃河镇中心小学工会", "琉璃河镇总工会", "乡镇街道", 5],
        ["某某商会工会", "某某联合工会", "企业", 7],
        ["北京某某科技有限公司工会", "", "企业", 9],
    ]
    write_xlsx(tmp_path / "r.xlsx", rows, sheet="名册")
    roster = load_roster(tmp_path / "r.xlsx")
    kinds = dict(zip(roster.units["unit"], roster.units["kind"], strict=True))
    assert kinds == {
        "长阳镇第一小学工会": "town",
        "长阳镇机关工会": "town",
        "北京长阳建材有限公司工会": "town",
        "区教委机关工会": "system",
        "琉璃河镇中心小学工会": "town",
    }
    assert roster.units["members"].sum() == 105
    got = sorted((i.row, i.column, i.severity, i.code) for i in roster.issues)
    assert got == [
        (3, "类别", "warning", "roster_kind_from_parent"),
        (4, "类别", "warning", "roster_kind_from_parent"),
        (5, "类别", "warning", "roster_kind_from_parent"),
        (6, "类别", "warning", "roster_kind_from_parent"),
        (7, "类别", "error", "roster_kind_unknown"),
        (8, "类别", "error", "roster_kind_unknown"),
    ]
    said = {i.row: i.message for i in roster.issues}
    assert said[3] == (
        "名册“r.xlsx”的工作表“名册”第3行“长阳镇机关工会”的类别写的是“机关”（本单位的性质，不是上级工会的类别），"
        "已按名册中上级工会“长阳镇总工会”其他各行的类别“乡镇”统计；如有误请把类别改为"
        " 乡镇/街道/系统/燕山/开发区/直属 之一。"
    )
    assert "已按上级工会“区教委工会”的名称确定为“系统”统计" in said[5]
    assert "按上级工会“某某联合工会”也无法确定" in said[7] and "该单位未计入统计" in said[7]


def test_ditto_marks_take_the_parent_and_kind_of_the_row_above(tmp_path):
    write_xlsx(
        tmp_path / "r.xlsx",
        [
            ["序号", "基层工会名称", "上级工会", "类别", "会员人数"],
            [1, "长阳镇第一小学工会", "长阳镇总工会", "乡镇", 40],
            [2, "长阳镇卫生院工会", "同上", "同上", 60],
            [3, "长阳镇敬老院工会", "〃", "乡镇", 5],
            [4, "区教委机关工会", "区教委工会", "系统", 20],
            [5, "房山区实验中学工会", "同上", "〃", 30],
        ],
    )
    roster = load_roster(tmp_path / "r.xlsx")
    ru = roster.reporting_units.set_index("reporting_unit")
    assert list(ru.index) == ["长阳镇总工会", "区教委工会"]  # no unit called 同上
    assert ru.loc["长阳镇总工会", ["units_total", "members_total"]].tolist() == [3, 105]
    assert ru.loc["区教委工会", ["kind", "units_total", "members_total"]].tolist() == [
        "system", 2, 50,
    ]  # fmt: skip
    assert roster.issues == []


def test_a_parent_written_once_above_rows_that_give_their_kind_counts_for_them(tmp_path):
    write_xlsx(
        tmp_path / "r.xlsx",
        [
            ["基层工会名称", "上级工会", "类别", "会员人数"],
            ["长阳镇第一小学工会", "长阳镇总工会", "乡镇", 40],
            ["长阳镇卫生院工会", None, "镇", 60],
            ["北京燕房物流有限公司工会", None, "直属", 30],
            ["拱辰街道中学工会", "拱辰街道总工会", "街道", 7],
            ["拱辰街道卫生院工会", None, "街道", 3],
            ["某某小学工会", None, "系统", 9],  # another kind: no parent to take
        ],
    )
    roster = load_roster(tmp_path / "r.xlsx")
    ru = roster.reporting_units.set_index("reporting_unit")
    assert ru["units_total"].to_dict() == {
        "长阳镇总工会": 2, "拱辰街道总工会": 2, "北京燕房物流有限公司工会": 1,
    }  # fmt: skip
    assert ru["members_total"].to_dict() == {
        "长阳镇总工会": 100, "拱辰街道总工会": 10, "北京燕房物流有限公司工会": 30,
    }  # fmt: skip
    told = sorted((i.code, i.row, i.severity) for i in roster.issues)
    assert told == [
        ("roster_parent_above", 3, "warning"),
        ("roster_parent_above", 6, "warning"),
        ("roster_parent_missing", 7, "error"),
    ]
    assert any(
        "没有填写上级工会，已按上方第2行的“长阳镇总工会”计入" in i.message for i in roster.issues
    )


def test_section_headings_give_the_kind_when_the_roster_has_no_kind_column(tmp_path):
    write_xlsx(
        tmp_path / "r.xlsx",
        [
            ["房山区基层工会名册"],
            ["序号", "基层工会名称", "所属工会", "会员人数"],
            ["一、乡镇总工会（2个）", None, None, 50],
            [1, "长阳镇第一小学工会", "长阳镇总工会", 40],
            [2, "长阳镇卫生院工会", None, 10],
            [None, "二、街道", None, None],
            [3, "拱辰街道中学工会", "拱辰街道总工会", 7],
            ["（三）系统工会"],
            [4, "区科协机关工会", "区科协工会", 20],
            ["四、直属基层工会"],
            [5, "北京燕房物流有限公司工会", None, 30],
            ["制表人：张三", None, None, None],
            ["注：会员人数截至2019年4月底。"],
        ],
    )
    roster = load_roster(tmp_path / "r.xlsx")
    ru = roster.reporting_units.set_index("reporting_unit")
    assert ru["kind"].to_dict() == {
        "长阳镇总工会": "town", "拱辰街道总工会": "street", "区科协工会": "system",
        "北京燕房物流有限公司工会": "direct",
    }  # fmt: skip
    assert ru["units_total"].tolist() == [2, 1, 1, 1]
    assert ru["members_total"].tolist() == [50, 7, 20, 30]
    # headings and the notes under the list are no unions, and no error
    assert [i.severity for i in roster.issues] == ["warning"]  # row 5 took row 4's parent


def test_without_kind_column_or_heading_the_parents_name_gives_the_kind(tmp_path):
    write_xlsx(
        tmp_path / "r.xlsx",
        [
            ["单位名称", "归口", "会员（人）"],
            ["长阳镇第一小学工会", "长阳镇总工会", 40],
            ["长阳镇卫生院工会", "长阳镇总工会", 10],
            ["新镇街道中学工会", "新镇街道总工会", 7],
            ["北京燕房物流有限公司工会", "区总工会", 30],
            ["某某协会工会", "某某协会", 5],
        ],
    )
    roster = load_roster(tmp_path / "r.xlsx")
    ru = roster.reporting_units.set_index("reporting_unit")
    assert ru["kind"].to_dict() == {
        "长阳镇总工会": "town", "新镇街道总工会": "street", "北京燕房物流有限公司工会": "direct",
    }  # fmt: skip
    assert ru["members_total"].sum() == 87
    told = sorted((i.code, i.row, i.severity) for i in roster.issues)
    assert told == [
        ("roster_kind_from_parent", 2, "warning"),  # one warning for 长阳镇's two rows
        ("roster_kind_from_parent", 4, "warning"),
        ("roster_kind_unknown", 6, "error"),
    ]
    assert any("第2–3行（2个基层工会）没有填写类别" in i.message for i in roster.issues)


@pytest.mark.parametrize(("text", "code"), [("新镇街道", "street"), ("区直属基层工会", "direct")])
def test_kind_of_a_street_named_with_zhen_and_of_a_union_directly_under_the_district(text, code):
    assert kind_code(text) == code
    assert kind_code("区直属机关") == "system"
    assert kind_code("乡镇街道") is None


def test_member_counts_written_as_estimates_are_read_and_told(tmp_path):
    write_xlsx(
        tmp_path / "r.xlsx",
        [
            ["基层工会名称", "上级工会", "类别", "会员人数"],
            ["长阳镇第一小学工会", "长阳镇总工会", "乡镇", "约300"],
            ["长阳镇卫生院工会", "长阳镇总工会", "乡镇", "60余人"],
            ["长阳镇敬老院工会", "长阳镇总工会", "乡镇", "—"],
        ],
    )
    roster = load_roster(tmp_path / "r.xlsx")
    assert roster.reporting_units["members_total"].tolist() == [360]
    assert roster.reporting_units["units_total"].tolist() == [2]
    told = [(i.code, i.row, i.severity) for i in roster.issues]
    assert told == [
        ("roster_members_approximate", 2, "warning"),
        ("roster_members_approximate", 3, "warning"),
        ("roster_members_unreadable", 4, "error"),
    ]


def test_a_space_typed_inside_a_chinese_name_is_no_part_of_it(tmp_path):
    write_xlsx(
        tmp_path / "r.xlsx",
        [
            ["基层工会名称", "上级工会", "类别", "会员人数"],
            ["北京新 晟商贸有限公司工会", "", "直属", 30],
            ["长阳镇 第一小学工会", "长阳镇 总工会", "乡镇", 40],
            ["ABC Trading 公司工会", "长阳镇总工会", "乡镇", 5],
        ],
    )
    roster = load_roster(tmp_path / "r.xlsx")
    assert roster.units["unit"].tolist() == [
        "北京新晟商贸有限公司工会", "长阳镇第一小学工会", "ABC Trading公司工会",
    ]  # fmt: skip
    assert roster.reporting_units["reporting_unit"].tolist() == [
        "长阳镇总工会",
        "北京新晟商贸有限公司工会",
    ]


def test_a_sheet_per_federation_with_a_two_row_header_and_yanshan_by_its_kind(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for title, unit, members in (
        ("新镇街道", "新镇街道中学工会", 7),
        ("燕山", "燕山第一小学工会", 9),
    ):
        ws = wb.create_sheet(title)
        ws.append(["序号", "基层工会", "人数情况", None])
        ws.append([None, None, "会员人数", "职工人数"])
        ws.append([1, unit, members, members + 1])
        for cells in ("A1:A2", "B1:B2", "C1:D1"):
            ws.merge_cells(cells)
    wb.save(tmp_path / "r.xlsx")
    roster = load_roster(tmp_path / "r.xlsx")
    ru = roster.reporting_units.set_index("reporting_unit")
    assert ru[["kind", "units_total", "members_total"]].to_dict("index") == {
        "新镇街道总工会": {"kind": "street", "units_total": 1, "members_total": 7},
        "燕山总工会": {"kind": "yanshan", "units_total": 1, "members_total": 9},
    }


def test_a_row_struck_through_is_a_deleted_union_and_hidden_rows_are_told(tmp_path):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    for row in (
        ["基层工会名称", "上级工会", "类别", "会员人数"],
        ["长阳镇第一小学工会", "长阳镇总工会", "乡镇", 40],
        ["长阳镇卫生院工会", "长阳镇总工会", "乡镇", 60],
        ["长阳镇敬老院工会", "长阳镇总工会", "乡镇", 5],
    ):
        ws.append(row)
    for cell in ws[3]:
        cell.font = Font(strike=True)
    ws.row_dimensions[4].hidden = True
    wb.save(tmp_path / "r.xlsx")
    roster = load_roster(tmp_path / "r.xlsx")
    # the struck row is left out, the hidden row is counted
    assert roster.reporting_units[["units_total", "members_total"]].values.tolist() == [[2, 45]]
    told = sorted((i.code, i.row, i.severity) for i in roster.issues)
    assert told == [("roster_row_struck", 3, "warning"), ("rows_hidden", 4, "warning")]


def test_a_federation_heading_its_unions_is_their_parent_not_a_union(tmp_path):
    write_xlsx(
        tmp_path / "r.xlsx",
        [
            ["序号", "基层工会名称", "上级工会", "会员人数"],
            [None, "长阳镇总工会（2个）", None, 50],  # a heading with its block's total
            [1, "长阳镇第一小学工会", None, 40],
            [2, "长阳镇卫生院工会", None, 10],
            [None, "二、新镇街道总工会", None, None],
            [3, "新镇街道中学工会", None, 7],
            [None, "琉璃河镇总工会", None, None],  # a heading no union falls under
            [4, "区教委机关工会", "区教委工会", 20],
        ],
    )
    roster = load_roster(tmp_path / "r.xlsx")
    ru = roster.reporting_units.set_index("reporting_unit")
    assert ru[["kind", "units_total", "members_total"]].to_dict("index") == {
        "长阳镇总工会": {"kind": "town", "units_total": 2, "members_total": 50},
        "新镇街道总工会": {"kind": "street", "units_total": 1, "members_total": 7},
        "区教委工会": {"kind": "system", "units_total": 1, "members_total": 20},
    }
    told = sorted((i.code, i.row, i.severity) for i in roster.issues)
    assert told == [
        ("roster_heading_alone", 7, "warning"),
        ("roster_kind_from_parent", 8, "warning"),  # 区教委工会: no 类别, by its name
        ("roster_parent_above", 3, "warning"),
        ("roster_parent_above", 6, "warning"),
    ]


def test_a_kind_saying_what_the_union_is_takes_the_section_headings_kind(tmp_path):
    write_xlsx(
        tmp_path / "r.xlsx",
        [
            ["基层工会名称", "上级工会", "类别", "会员人数"],
            ["二、系统工会"],
            ["区科协机关工会", "区科协工会", "机关", 5],
            ["区科协学会工会", "区科协工会", "社会组织", 3],
        ],
    )
    roster = load_roster(tmp_path / "r.xlsx")
    assert roster.reporting_units[["kind", "units_total", "members_total"]].values.tolist() == [
        ["system", 2, 8]
    ]
    assert roster.issues == []


def test_a_federation_heading_of_another_kind_ends_the_kind_section_above(tmp_path):
    write_xlsx(
        tmp_path / "r.xlsx",
        [
            ["基层工会名称", "上级工会", "会员人数"],
            ["三、系统工会"],
            ["区科协机关工会", "区科协工会", 5],
            ["四、燕山总工会"],
            ["燕山第一小学工会", "燕山总工会", 9],
        ],
    )
    roster = load_roster(tmp_path / "r.xlsx")
    ru = roster.reporting_units.set_index("reporting_unit")
    assert ru["kind"].to_dict() == {"区科协工会": "system", "燕山总工会": "yanshan"}
