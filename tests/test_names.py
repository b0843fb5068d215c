"""Name normalisation, aliases and resolution against a small roster."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.model import Issue
from analysis.names import (
    NameResolver,
    check_aliases,
    loose_key,
    normalise_name,
    read_aliases,
    reporting_key,
)
from analysis.roster import roster_from_grid
from tests.conftest import ROSTER_HEADER


def make_roster(rows: list[list[object]]):
    grid = [ROSTER_HEADER, *rows]
    columns = {"unit": 1, "parent": 2, "kind": 3, "members": 4, "employees": 5, "code": 6}
    return roster_from_grid(grid, 0, columns, source="名册.xlsx")


@pytest.fixture
def roster(small_roster_rows):
    return make_roster(small_roster_rows[2:])


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("长阳镇卫生院工会", "长阳镇卫生院工会"),  # already normal
        ("长阳镇　卫生院 工会", "长阳镇卫生院工会"),  # ASCII and ideographic spaces
        ("长阳镇（第一）小学工会", "长阳镇(第一)小学工会"),  # full-width brackets -> ASCII
        ("长阳镇【第一】小学工会", "长阳镇(第一)小学工会"),  # 【】 -> ()
        ("长阳镇[第一]小学工会", "长阳镇(第一)小学工会"),  # [] -> ()
        ("ＡＢＣ公司工会", "ABC公司工会"),  # full-width Latin -> half width
        ("北京市房山区实验中学工会", "实验中学工会"),  # both place prefixes
        ("房山实验中学工会", "实验中学工会"),  # short district prefix
        ("北京长阳建材有限公司工会委员会", "长阳建材公司工会"),  # 委员会 after 工会, 有限公司
        ("长阳建材有限责任公司工会", "长阳建材公司工会"),  # 有限责任公司 -> 公司
        ("长阳建材股份有限公司工会", "长阳建材股份公司工会"),  # 股份有限公司 keeps 股份
        ("村民委员会", "村民委员会"),  # 委员会 not after 工会 is kept
        ("長陽鎮總工會", "长阳镇总工会"),  # traditional characters -> simplified
        ("北京市房山區實驗中學工會委員會", "实验中学工会"),  # then the prefixes and 委员会
        ("北京長陽建材有限公司工會", "长阳建材公司工会"),
        ("北京市", "北京市"),  # a prefix alone is not stripped to nothing
        ("", ""),
        (None, ""),
    ],
)
def test_normalise_name_rules(written, expected):
    assert normalise_name(written) == expected


@pytest.mark.parametrize(
    ("written", "loose", "reporting"),
    [
        ("长阳镇卫生院工会", "长阳镇卫生院", "长阳镇卫生院"),
        ("长阳镇卫生院", "长阳镇卫生院", "长阳镇卫生院"),
        ("长阳镇总工会", "长阳镇总", "长阳镇"),
        ("长阳镇工会", "长阳镇", "长阳镇"),
        ("工会", "工会", "工会"),  # never reduced to nothing
    ],
)
def test_loose_and_reporting_keys_drop_union_suffix(written, loose, reporting):
    assert loose_key(written) == loose
    assert reporting_key(written) == reporting


@given(st.text(max_size=30))
def test_normalise_name_is_idempotent(text):
    once = normalise_name(text)
    # NFKC can expose a new prefix only once; a second pass changes nothing more.
    assert normalise_name(once) == normalise_name(normalise_name(once))


@pytest.mark.parametrize(
    ("written", "unit", "how"),
    [
        ("长阳镇卫生院工会", "长阳镇卫生院工会", "exact"),
        (" 长阳镇卫生院工会 ", "长阳镇卫生院工会", "exact"),
        ("北京市房山区长阳镇卫生院工会", "长阳镇卫生院工会", "normalised"),
        ("长阳镇卫生院", "长阳镇卫生院工会", "normalised"),
        ("长阳建材公司工会", "北京长阳建材有限公司工会委员会", "normalised"),
        ("房山区实验中学工会", "房山区实验中学工会", "exact"),
        ("实验中学工会", "房山区实验中学工会", "normalised"),
        ("燕房物流公司工会", "北京燕房物流有限公司工会", "normalised"),
    ],
)
def test_resolve_grassroots_union(roster, written, unit, how):
    resolution = NameResolver(roster).resolve(written)
    assert (resolution.unit, resolution.how) == (unit, how)
    assert resolution.suggestions == []


def test_resolve_unknown_name_suggests_without_applying(roster):
    resolution = NameResolver(roster).resolve("长阳镇第一小学")
    # "长阳镇第一小学" resolves (loose key); a misspelt one does not.
    assert resolution.unit == "长阳镇第一小学工会"
    wrong = NameResolver(roster).resolve("长阳镇第一中学工会")
    assert wrong.unit is None and wrong.how is None
    assert len(wrong.suggestions) <= 3 and wrong.suggestions
    assert wrong.suggestions[0] == "长阳镇第一小学工会"


def test_resolve_blank_name_gives_nothing(roster):
    assert NameResolver(roster).resolve("  ") == NameResolver(roster).resolve(None)
    assert NameResolver(roster).resolve("").unit is None


def test_colliding_roster_names_do_not_resolve_by_key():
    roster = make_roster(
        [
            [1, "北京长阳建材有限公司工会", "长阳镇总工会", "乡镇", 10, 10, ""],
            [2, "长阳建材公司工会", "琉璃河镇总工会", "乡镇", 20, 20, ""],
        ]
    )  # under one parent the two would be one union (test_roster)
    resolver = NameResolver(roster)
    assert resolver.resolve("长阳建材公司工会").how == "exact"  # exact still works
    ambiguous = resolver.resolve("长阳建材有限公司工会")
    assert ambiguous.unit is None
    assert set(ambiguous.suggestions[:2]) == {"北京长阳建材有限公司工会", "长阳建材公司工会"}
    assert [i.code for i in resolver.issues] == ["roster_name_ambiguous"]


@pytest.mark.parametrize(
    ("written", "unit"),
    [
        ("长阳镇总工会", "长阳镇总工会"),
        ("北京市房山区长阳镇总工会", "长阳镇总工会"),
        ("长阳镇工会", "长阳镇总工会"),
        ("长阳镇", "长阳镇总工会"),
        ("区教委", "区教委工会"),
        ("燕房物流公司工会", "北京燕房物流有限公司工会"),
        ("阎村镇总工会", None),  # not in this roster
    ],
)
def test_resolve_reporting_unit(roster, written, unit):
    assert NameResolver(roster).resolve_reporting_unit(written).unit == unit


def test_two_spellings_of_one_federation_in_the_roster_are_one_reporting_unit():
    """长阳镇总工会 and 长阳镇工会 in 上级工会 are one federation (it was two, and “长阳镇”
    then resolved to neither): the roster keeps one spelling and warns of the other."""
    roster = make_roster(
        [
            [1, "甲小学工会", "长阳镇总工会", "乡镇", 10, 10, ""],
            [2, "乙小学工会", "长阳镇工会", "乡镇", 20, 20, ""],
            [3, "丙小学工会", "长阳镇总工会", "乡镇", 30, 30, ""],
        ]
    )
    assert roster.reporting_units["reporting_unit"].tolist() == ["长阳镇总工会"]
    assert roster.reporting_units["units_total"].tolist() == [3]
    spelling = [i for i in roster.issues if i.code == "roster_parent_spelling"]
    assert [(i.row, i.severity) for i in spelling] == [(3, "warning")]
    assert "上级工会写作“长阳镇工会”，与其他行的“长阳镇总工会”是同一个单位" in spelling[0].message
    assert NameResolver(roster).resolve_reporting_unit("长阳镇").unit == "长阳镇总工会"


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("长阳镇第一阶段报送.xlsx", "长阳镇总工会"),
        ("submissions/琉璃河镇总工会/r1.csv", "琉璃河镇总工会"),
        ("区教委工会-第二期.csv", "区教委工会"),
        ("汇总.csv", None),
    ],
)
def test_reporting_unit_in_text_longest_match(roster, text, unit):
    assert NameResolver(roster).reporting_unit_in_text(text) == unit


def test_aliases_map_names_and_bad_targets_are_issues(roster, tmp_path):
    path = tmp_path / "aliases.csv"
    path.write_bytes(
        "报送名称,名册名称\n长阳一小,长阳镇第一小学工会\n燕房,不存在的工会\n长阳一小,长阳镇卫生院工会\n".encode(
            "gbk"
        )
    )
    aliases, read_issues = read_aliases(path)
    assert read_issues == []
    usable, issues = check_aliases(aliases, roster)
    assert [(i.code, i.row) for i in issues] == [("alias_target_unknown", 3), ("alias_conflict", 4)]
    assert all(isinstance(i, Issue) and i.severity == "error" for i in issues)
    resolver = NameResolver(roster, usable)
    assert resolver.resolve("长阳一小") == resolver.resolve("长阳 一小")
    assert resolver.resolve("长阳一小").unit == "长阳镇第一小学工会"
    assert resolver.resolve("长阳一小").how == "alias"
    assert resolver.resolve("燕房").unit is None


def test_aliases_accept_english_columns_and_utf8(roster, tmp_path):
    path = tmp_path / "aliases.csv"
    path.write_text("alias,name\n教委,区教委工会\n", encoding="utf-8-sig")
    aliases, issues = read_aliases(path)
    assert issues == [] and aliases[["alias", "name"]].values.tolist() == [["教委", "区教委工会"]]
    assert NameResolver(roster, aliases).resolve_reporting_unit("教委").how == "alias"


def test_aliases_whose_first_line_is_no_pair_are_one_issue(tmp_path):
    path = tmp_path / "aliases.csv"
    path.write_text("别名表\nx,y\n", encoding="utf-8")
    aliases, issues = read_aliases(path)
    assert aliases.empty and [i.code for i in issues] == ["aliases_unreadable"]
    assert "报送名称" in issues[0].message


def test_aliases_without_a_header_are_read_as_pairs(roster, tmp_path):
    """Pairs as the message asks for them ("报送名称,名册名称"), without a header line:
    used, with a warning; a pair the wrong way round is caught line by line."""
    path = tmp_path / "aliases.csv"
    path.write_bytes("长阳一小,长阳镇第一小学工会\n区教委工会,教委\n".encode("gbk"))
    aliases, issues = read_aliases(path)
    assert aliases[["alias", "name", "row"]].values.tolist() == [
        ["长阳一小", "长阳镇第一小学工会", 1],
        ["区教委工会", "教委", 2],
    ]
    assert [(i.code, i.severity, i.row) for i in issues] == [("aliases_no_header", "warning", 1)]
    assert "没有“报送名称,名册名称”表头行" in issues[0].message
    usable, more = check_aliases(aliases, roster)
    assert [(i.code, i.row) for i in more] == [("alias_target_unknown", 2)]
    assert NameResolver(roster, usable).resolve("长阳一小").unit == "长阳镇第一小学工会"


def test_one_bad_alias_line_costs_that_line_only(roster, tmp_path):
    # An unpaired quote, a remark in a third cell, a line without its roster name and
    # blank lines: the good lines are used, each bad one is an issue at its own line.
    path = tmp_path / "aliases.csv"
    path.write_text(
        "报送名称,名册名称\n"
        "长阳一小,长阳镇第一小学工会\n"
        "\n"
        '"燕房,区教委工会\n'
        "教委,区教委工会,备注：上期改名\n"
        "只有一列\n"
        " ,区教委工会\n"
        "卫生院,长阳镇卫生院工会\n",
        encoding="utf-8",
    )
    aliases, issues = read_aliases(path)
    assert aliases[["alias", "name", "row"]].values.tolist() == [
        ["长阳一小", "长阳镇第一小学工会", 2],
        ["教委", "区教委工会", 5],
        ["卫生院", "长阳镇卫生院工会", 8],
    ]
    assert [(i.code, i.row) for i in issues] == [
        ("alias_row_unreadable", 4),
        ("alias_row_incomplete", 6),
    ]
    assert "第4行的引号没有配对" in issues[0].message
    assert "第6行只写了报送名称“只有一列”" in issues[1].message
    usable, more = check_aliases(aliases, roster)
    assert more == [] and len(usable) == 3


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\r\n\r\n"])
def test_an_empty_alias_table_is_no_aliases(tmp_path, content):
    path = tmp_path / "aliases.csv"
    path.write_bytes(content)
    aliases, issues = read_aliases(path)
    assert aliases.empty and issues == []


def test_alias_columns_found_anywhere_in_the_header(tmp_path):
    path = tmp_path / "aliases.csv"
    path.write_bytes("序号,名册名称,报送名称\n1,区教委工会,教委\n".encode("gbk"))
    aliases, issues = read_aliases(path)
    assert issues == [] and aliases[["alias", "name"]].values.tolist() == [["教委", "区教委工会"]]


def test_resolver_accepts_alias_frame_without_row_column(roster):
    frame = pd.DataFrame({"报送名称": ["一小"], "名册名称": ["长阳镇第一小学工会"]})
    assert NameResolver(roster, frame).resolve("一小").unit == "长阳镇第一小学工会"


@pytest.fixture
def clashing_roster():
    """Two distinct unions whose names differ only by the 北京市 prefix, under different parents."""
    return make_roster(
        [
            [1, "房山区良乡中学工会", "良乡镇总工会", "乡镇", 300, 300, ""],
            [2, "北京市房山区良乡中学工会", "区教委工会", "系统", 60, 60, ""],
        ]
    )


@pytest.mark.parametrize(
    ("written", "submitter", "unit"),
    [
        ("良乡中学工会", "区教委工会", "北京市房山区良乡中学工会"),  # the submitter's own union
        ("良乡中学", "良乡镇总工会", "房山区良乡中学工会"),
        ("良乡中学工会", "长阳镇总工会", None),  # neither is the submitter's: not guessed
        ("良乡中学工会", None, None),
        ("北京市 房山区良乡中学工会", None, "北京市房山区良乡中学工会"),  # compact: spaces only
        ("房山区良乡中学工会", "区教委工会", "房山区良乡中学工会"),  # exact beats the tie-break
    ],
)
def test_colliding_names_resolve_only_for_the_submitters_own_union(
    clashing_roster, written, submitter, unit
):
    assert NameResolver(clashing_roster).resolve(written, submitter).unit == unit


def test_colliding_names_are_the_first_suggestions(clashing_roster):
    resolution = NameResolver(clashing_roster).resolve("良乡中学工会")
    assert resolution.suggestions[:2] == ["北京市房山区良乡中学工会", "房山区良乡中学工会"]


def test_resolver_builds_its_indexes_only_when_a_name_is_resolved(roster):
    # A re-run whose files all come from the ingest cache resolves nothing: no index cost.
    resolver = NameResolver(roster)
    assert "units" not in vars(resolver) and "reporting" not in vars(resolver)
    assert resolver.resolve("长阳镇卫生院").unit == "长阳镇卫生院工会"
    assert "units" in vars(resolver) and "reporting" not in vars(resolver)
    assert resolver.resolve_reporting_unit("长阳镇").unit == "长阳镇总工会"


def test_reporting_unit_in_text_knows_the_aliases_of_reporting_units(roster):
    """A reporting unit renamed in the roster: its files and folders keep the old name."""
    aliases = pd.DataFrame(
        {"alias": ["区教育委员会工会", "长阳一小"], "name": ["区教委工会", "长阳镇第一小学工会"]}
    )
    resolver = NameResolver(roster, aliases)
    assert resolver.reporting_unit_in_text("submissions/r2/区教育委员会工会资料") == "区教委工会"
    assert NameResolver(roster).reporting_unit_in_text("区教育委员会工会资料") is None
    # An alias of a grassroots union names no reporting unit.
    assert resolver.reporting_unit_in_text("长阳一小活动照片") is None


@pytest.mark.parametrize("separator", ["，", "\t"])
def test_aliases_typed_with_a_chinese_comma_or_a_tab_are_read(roster, tmp_path, separator):
    path = tmp_path / "aliases.csv"
    path.write_bytes(f"报送名称{separator}名册名称\r\n教委{separator}区教委工会\r\n".encode("gbk"))
    aliases, issues = read_aliases(path)
    assert issues == [] and aliases[["alias", "name"]].values.tolist() == [["教委", "区教委工会"]]


@pytest.mark.parametrize(
    "invisible", ["\u200b", "\ufeff", "\u200d", "\u2060", "\u200e", "\u200f", "\u202e", "\u2066"]
)
def test_invisible_characters_copied_with_a_name_do_not_block_it(roster, invisible):
    """A name pasted from WeChat or a web page with a zero-width space matches the roster."""
    written = f"长阳镇卫生院{invisible}工会{invisible}"
    assert NameResolver(roster).resolve(written).unit == "长阳镇卫生院工会"


def test_an_alias_table_with_a_title_above_its_header_is_read(roster, tmp_path):
    """Excel's way: a title row ("名称对照表") above 报送名称,名册名称 made the whole
    table unusable."""
    path = tmp_path / "aliases.csv"
    path.write_text(
        "名称对照表,,\n报送名称,名册名称,备注\n长阳一小,长阳镇第一小学工会,6月\n", "utf-8-sig"
    )
    aliases, issues = read_aliases(path)
    assert issues == []
    assert aliases[["alias", "name", "row"]].values.tolist() == [
        ["长阳一小", "长阳镇第一小学工会", 3]
    ]


def test_alias_targets_written_as_another_alias_or_loosely_are_followed(roster, tmp_path):
    """甲 → 乙 and 乙 → a roster name: 甲 counts for the roster name (it was "not in the
    roster"); a target in full-width brackets or with 北京市 before it is the roster name
    it unmistakably is, with a warning to write it exactly; an alias that is itself a
    roster name is not used (a name written as in the roster always counts for it)."""
    path = tmp_path / "aliases.csv"
    path.write_text(
        "报送名称,名册名称\n"
        "一小,长阳一小\n"
        "长阳一小,长阳镇第一小学工会\n"
        "卫生院,北京市长阳镇卫生院工会\n"
        "区教委机关工会,房山区实验中学工会\n"
        "实验中学,房山区实验中学\n",
        encoding="utf-8",
    )
    aliases, read_issues = read_aliases(path)
    usable, issues = check_aliases(aliases, roster)
    assert read_issues == []
    assert [(i.code, i.severity, i.row) for i in issues] == [
        ("alias_target_inexact", "warning", 4),
        ("alias_is_roster_name", "warning", 5),
        ("alias_target_inexact", "warning", 6),
    ]
    assert "“北京市长阳镇卫生院工会”与名册中的“长阳镇卫生院工会”写法不完全一致" in issues[0].message
    assert "报送名称“区教委机关工会”本身就是名册中的名称" in issues[1].message
    resolver = NameResolver(roster, usable)
    assert resolver.resolve("一小").unit == "长阳镇第一小学工会"
    assert resolver.resolve("卫生院").unit == "长阳镇卫生院工会"
    assert resolver.resolve("区教委机关工会").unit == "区教委机关工会"


def test_an_alias_to_no_roster_name_lists_the_closest_ones(roster, tmp_path):
    """Two rows pointing at each other end nowhere: both are named, neither is used."""
    path = tmp_path / "aliases.csv"
    path.write_text("报送名称,名册名称\n燕房,燕房物流工会\n循环甲,循环乙\n循环乙,循环甲\n", "utf-8")
    usable, issues = check_aliases(read_aliases(path)[0], roster)
    assert usable.empty
    assert [(i.code, i.row) for i in issues] == [
        ("alias_target_unknown", 2),
        ("alias_target_unknown", 3),
        ("alias_target_unknown", 4),
    ]
    assert "但名册中没有“燕房物流工会”（最接近的名称：北京燕房物流有限公司工会" in issues[0].message


def test_roster_keys_kept_in_a_file_resolve_as_worked_out(clashing_roster, tmp_path):
    # A re-run reads the roster names' keys instead of normalising every name again.
    from analysis.names import roster_keys

    keys_file = tmp_path / "roster.names.pkl"
    cases = [("良乡中学工会", "区教委工会"), ("良乡中学", "良乡镇总工会"), ("良乡中学工会", None),
             ("北京市 房山区良乡中学工会", None), ("良乡中学校", None)]  # fmt: skip
    plain = NameResolver(clashing_roster)
    first = NameResolver(clashing_roster, keys_file=keys_file)  # works them out, writes them
    assert keys_file.is_file()
    again = NameResolver(clashing_roster, keys_file=keys_file)  # reads them
    for resolver in (first, again):
        assert resolver.issues == plain.issues
        for written, submitter in cases:
            assert resolver.resolve(written, submitter) == plain.resolve(written, submitter)
    names = clashing_roster.units["unit"].tolist()
    assert roster_keys(names, keys_file)[normalise_name] == [normalise_name(n) for n in names]
    # Other names (another roster under the same file name) are never taken from it.
    assert roster_keys(["长阳镇卫生院工会"], keys_file)[loose_key] == ["长阳镇卫生院"]
    keys_file.write_bytes(b"damaged")
    assert roster_keys(names, keys_file)[loose_key] == [loose_key(n) for n in names]


def test_a_name_twice_in_the_roster_is_one_owner_of_its_keys():
    roster = make_roster(
        [
            [1, "长阳镇卫生院工会", "长阳镇总工会", "乡镇", 10, 10, ""],
            [2, "长阳镇卫生院工会", "长阳镇总工会", "乡镇", 10, 10, ""],
        ]
    )
    assert NameResolver(roster).resolve("长阳镇 卫生院").unit == "长阳镇卫生院工会"


@pytest.mark.parametrize(
    ("written", "unit", "reporting_unit"),
    [
        ("長陽鎮第一小學工會", "长阳镇第一小学工会", "长阳镇总工会"),
        ("長陽鎮衛生院工會", "长阳镇卫生院工会", "长阳镇总工会"),
        ("北京市房山區實驗中學工會", "房山区实验中学工会", "区教委工会"),
        ("區教委機關工會", "区教委机关工会", "区教委工会"),
        ("北京長陽建材有限公司工會委員會", "北京长阳建材有限公司工会委员会", "长阳镇总工会"),
    ],
)
def test_traditional_characters_resolve_to_the_simplified_roster(
    roster, written, unit, reporting_unit
):
    """A name typed in traditional characters (a unit's input method or a Hong Kong or
    Taiwan font set) is the roster's simplified name: a key, as full width is, never a
    fuzzy match; the reporting units too (長陽鎮總工會, 長陽鎮工會)."""
    resolver = NameResolver(roster)
    got = resolver.resolve(written, reporting_unit)
    assert (got.unit, got.parent) == (unit, reporting_unit)
    assert resolver.resolve_reporting_unit("長陽鎮總工會").unit == "长阳镇总工会"
    assert resolver.resolve_reporting_unit("長陽鎮工會").unit == "长阳镇总工会"


def test_a_name_the_conversion_cannot_change_is_left_alone_and_others_converted_whole():
    """The traditional-to-simplified step converts a text only when it holds the first
    character of a dictionary key; what it gives is what OpenCC gives for the whole text
    (phrases first: 乾乾脆脆 -> 干干脆脆, 後勤 -> 后勤), and a simplified name is as written."""
    from analysis.namekeys import simplified

    assert simplified("长阳镇总工会") == "长阳镇总工会"
    assert simplified("長陽鎮後勤服務中心工會") == "长阳镇后勤服务中心工会"
    assert simplified("乾乾脆脆") == "干干脆脆"
    assert simplified("ABC") == "ABC"


def test_the_traditional_pre_check_converts_every_name_the_conversion_changes():
    """`simplified` skips the conversion for a text holding no character it may change:
    on names as written and on texts built from the dictionaries' own phrases (乾燥,
    後面, 長陽), it gives what the conversion gives, and skips most simplified names."""
    import random

    from opencc import OpenCC

    from analysis import namekeys

    convert = OpenCC("t2s").convert
    changes = namekeys._t2s_changes()
    assert (
        changes is not None and {"長", "乾", "後"} <= changes and not {"长", "阳", "镇"} & changes
    )
    rng = random.Random(7)
    pieces = ["长阳镇", "卫生院", "工会", "乾燥", "乾隆", "後面", "后面", "長陽", "北京", "丰明",
              "商贸", "有限公司", "委员会", "里", "裡", "髮", "发", "面", "麵", "（", "1", " "]  # fmt: skip
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 6))) for _ in range(400)]
    texts += ["北京丰明商贸有限公司工会委员会", "房山区实验中学工会", "長陽鎮總工會"]
    for text in texts:
        assert namekeys.simplified(text) == convert(text), text
    skipped = [t for t in texts if changes.isdisjoint(t)]
    assert "北京丰明商贸有限公司工会委员会" in skipped and len(skipped) > 50
