from __future__ import annotations

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
    ],
)
def test_kind_code(text, code):
    assert kind_code(text) == code
