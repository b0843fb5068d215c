from __future__ import annotations

import datetime as dt
import re
import tomllib

import pytest

from analysis.campaign import (
    CampaignError,
    campaign_from_dict,
    default_campaign_text,
    load_campaign,
)


def test_builtin_campaign_rounds_match_contract(campaign):
    assert [(r.code, r.start, r.end, r.deadline) for r in campaign.rounds] == [
        ("r1", dt.date(2019, 5, 8), dt.date(2019, 6, 30), dt.date(2019, 7, 5)),
        ("r2", dt.date(2019, 7, 1), dt.date(2019, 9, 30), dt.date(2019, 10, 10)),
        ("r3", dt.date(2019, 10, 1), dt.date(2019, 12, 31), dt.date(2020, 1, 10)),
    ]
    assert campaign.work_item_codes == (
        "study",
        "training",
        "publicity",
        "implementation",
        "reporting",
        "other",
    )


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2019, 5, 8), "r1"),
        (dt.date(2019, 6, 30), "r1"),
        (dt.date(2019, 7, 1), "r2"),
        (dt.date(2020, 1, 1), None),
    ],
)
def test_round_for_date_uses_windows(campaign, day, expected):
    found = campaign.round_for_date(day)
    assert (found.code if found else None) == expected


def test_override_file_replaces_builtin(tmp_path):
    path = tmp_path / "campaign.toml"
    path.write_text(
        """
[campaign]
code = "x"
name = "测试活动"
start = 2020-01-01
end = 2020-03-31
[[rounds]]
code = "q1"
name = "一季度"
start = 2020-01-01
end = 2020-03-31
deadline = 2020-04-05
[[work_items]]
code = "study"
name = "学习"
""",
        encoding="utf-8",
    )
    c = load_campaign(path)
    assert (
        c.year == 2020
        and [r.code for r in c.rounds] == ["q1"]
        and c.work_item_codes == ("study", "other")
    )


def test_broken_campaign_file_gives_chinese_error(tmp_path):
    path = tmp_path / "campaign.toml"
    path.write_text("[campaign]\ncode = 'x'\n", encoding="utf-8")
    with pytest.raises(CampaignError, match="缺少必填项"):
        load_campaign(path)


def test_missing_key_message_names_the_table_entry_and_the_key_in_chinese(tmp_path):
    text = default_campaign_text().replace("deadline = 2019-10-10", "", 1)
    assert text != default_campaign_text()
    path = tmp_path / "campaign.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CampaignError) as err:
        load_campaign(path)
    assert str(err.value) == (
        f"活动定义文件（{path}）第2个 [[rounds]]（报送期次）中缺少必填项 deadline（报送截止日期），"
        "请对照内置模板（analysis/campaign_default.toml）补充后重新运行。"
    )


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('name = "第十四次代表大会精神', "第3行第19列，有不允许的字符（常见原因：引号没有配对"),
        ("start = 2019-13-01", "第3行第13列，一行里写了多项，或值的写法不对（日期写成 2019-05-08"),
        ("year = 2019\nyear = 2020", "同一项写了两次"),
        ("start = 五月八日", "第3行第9列，值的写法不对"),
    ],
)
def test_a_campaign_file_notepad_broke_is_explained_in_chinese(tmp_path, line, expected):
    """tomllib's English error (“Cannot overwrite a value (at line 23, column 22)”) is put
    into Chinese: where, and what is wrong."""
    path = tmp_path / "campaign.toml"
    path.write_bytes(f"# 活动定义\r\n[campaign]\r\n{line}\r\n".encode("gbk"))
    with pytest.raises(CampaignError) as err:
        load_campaign(path)
    text = str(err.value)
    assert text.startswith("活动定义文件 campaign.toml 格式有误，无法读取：")
    assert expected in text
    assert not re.search("[A-Za-z]{4,}", text.replace("campaign.toml", "")), text


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("year = 2019", 'year = "二〇一九"', "“campaign.year”应为整数（如 2019、200_000），现在是 '二〇一九'"),
        ("max_rows_per_sheet = 200_000", 'max_rows_per_sheet = "很多"',
         "“limits.max_rows_per_sheet”应为整数"),
        ("max_rows_per_sheet = 200_000", "max_row_per_sheet = 200_000",
         "[limits] 中有本工具不认识的设置 max_row_per_sheet"),
    ],
)  # fmt: skip
def test_a_wrong_value_in_the_campaign_file_is_named_in_chinese(tmp_path, old, new, expected):
    """A ValueError or TypeError (an English traceback before) is a CampaignError."""
    path = tmp_path / "campaign.toml"
    path.write_text(default_campaign_text().replace(old, new, 1), encoding="utf-8")
    with pytest.raises(CampaignError, match=re.escape(expected)):
        load_campaign(path)


def test_labels_given_as_one_string_are_one_label(tmp_path):
    path = tmp_path / "campaign.toml"
    text = default_campaign_text().replace('labels = ["r1", ', 'labels = "第一期" #', 1)
    path.write_text(text, encoding="utf-8")
    assert load_campaign(path).rounds[0].labels == ("第一期",)  # not 第, 一, 期


def _campaign_file(tmp_path, old: str, new: str, count: int = 1):
    text = default_campaign_text()
    assert old in text
    path = tmp_path / "campaign.toml"
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("deadline = 2019-07-05", "dealine = 2019-07-05",
         "第1个 [[rounds]]（报送期次）中有本工具不认识的设置 dealine（是不是 deadline？）"),
        ("[[rounds]]", "[[round]]", "中有本工具不认识的设置 [[round]]（是不是 [[rounds]]？）"),
        ("short_name =", "shortname =", "[campaign] 中有本工具不认识的设置 shortname（是不是 short_name？）"),
        ("[columns]", "[colums]", "中有本工具不认识的设置 [colums]（是不是 [columns]？）"),
        ('unit = "期"', 'units = "期"',
         "[publicity] 的第1种宣传成果（outputs）中有本工具不认识的设置 units（是不是 unit？）"),
    ],
)  # fmt: skip
def test_a_misspelt_key_in_the_campaign_file_is_named_not_left_out(tmp_path, old, new, expected):
    """A typo was read as "not given": `dealine` a missing deadline, `[colums]` no column
    words at all (every submission then "had no activity table", blamed on the offices)."""
    path = _campaign_file(tmp_path, old, new)
    with pytest.raises(CampaignError) as err:
        load_campaign(path)
    assert str(err.value).startswith(f"活动定义文件（{path}）")
    assert expected in str(err.value) and "检查拼写后重新运行" in str(err.value)


def test_a_setting_like_no_known_one_is_left_out_with_a_warning_not_a_stop(tmp_path):
    """A note the analyst keeps in the file (`description = "…"`, a [notes] table, an
    output's `remark`) resembles no setting: the rest of the file is used and each is
    named once; a near miss of a known key (above) still stops the run."""
    path = _campaign_file(tmp_path, "short_name =", 'description = "第二批"\nshort_name =')
    text = (
        path.read_text("utf-8").replace('unit = "期"', 'unit = "期", remark = "按月报"', 1)
        + '\n[notes]\nauthor = "组宣部"\n'
    )
    path.write_text(text, "utf-8")
    campaign = load_campaign(path)
    assert [r.code for r in campaign.rounds] == ["r1", "r2", "r3"]
    assert len(campaign.ignored) == 3
    assert any(
        "[campaign] 中的设置 description 本工具不使用，已忽略" in t for t in campaign.ignored
    )
    assert any("的设置 remark 本工具不使用" in t for t in campaign.ignored)
    assert any("）中的设置 [notes] 本工具不使用" in t for t in campaign.ignored)
    assert load_campaign(None).ignored == ()


def test_a_campaign_file_with_only_its_own_parts_keeps_the_builtin_words(tmp_path):
    """A file giving the campaign, its rounds and work items (and one column word of its
    own) reads tables with the built-in [columns], [header_fields], [row_markers] and
    [row_rules] for whatever it leaves out."""
    path = tmp_path / "campaign.toml"
    path.write_text(
        '[campaign]\ncode = "x"\nname = "测试活动"\nstart = 2019-05-08\nend = 2019-12-31\n'
        '[[rounds]]\ncode = "r1"\nname = "全年"\nstart = 2019-05-08\nend = 2019-12-31\n'
        'deadline = 2020-01-10\n[[work_items]]\ncode = "study"\nname = "学习"\n'
        '[columns]\nparticipants = ["到会人数"]\n',
        encoding="utf-8",
    )
    custom, builtin = load_campaign(path), load_campaign()
    assert custom.columns == {**builtin.columns, "participants": ("到会人数",)}
    assert custom.header_fields == builtin.header_fields
    assert custom.row_markers == builtin.row_markers and custom.row_rules == builtin.row_rules


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("start = 2019-07-01", "start = 2019-06-15",
         "报送期次“第一阶段”（r1，到2019年6月30日）与“第二阶段”（r2，从2019年6月15日起）的活动时间重叠"),
        ("end = 2019-09-30", "end = 2019-06-01",
         "“第二阶段”（r2）的开始日期2019年7月1日晚于结束日期2019年6月1日"),
        ("deadline = 2019-10-10", "deadline = 2019-06-10",
         "报送期次“第二阶段”（r2）的截止日期2019年6月10日早于该期开始日期2019年7月1日"),
        ("end = 2019-12-31\ndeadline = 2020-01-10", "end = 2020-03-31\ndeadline = 2020-04-10",
         "报送期次“第三阶段（总结）”（r3）的活动时间2019年10月1日—2020年3月31日超出了活动的起止日期"),
        ('code = "r2"', 'code = "第二阶段"', "报送期次的代码 code = “第二阶段”不能使用"),
        ('code = "r2"', 'code = "r1"', "有两项报送期次的代码都是“r1”"),
        ('code = "training"', 'code = "study"', "有两项工作类别的代码都是“study”"),
        ('code = "training"', 'code = "other"', "工作类别的代码 code = “other”不能使用"),
        ('"r2", "第二阶段", "第二期"', '"r2", "第二阶段", "第一期"',
         "“第一期”同时是报送期次 r1 和 r2 的写法"),
        ("max_sheets = 100", "max_sheets = 0", "[limits] 的 max_sheets 是 0，应为大于 0 的整数"),
        ("start = 2019-07-01", 'start = "七月一日"', "中“rounds.r2.start”不是有效日期：“七月一日”；请写成 2019-07-01"),
    ],
)  # fmt: skip
def test_rounds_that_cannot_be_counted_by_are_refused_with_the_file_and_what_to_do(
    tmp_path, old, new, expected
):
    """Overlapping or reversed windows, a deadline before its round, a round outside the
    campaign, a Chinese or repeated code, a label of two rounds: each was taken without a
    word (and a repeated work item code ended in an internal error)."""
    path = _campaign_file(tmp_path, old, new)
    with pytest.raises(CampaignError) as err:
        load_campaign(path)
    text = str(err.value)
    assert text.startswith(f"活动定义文件（{path}）") and expected in text, text
    assert text.endswith("后重新运行。")


def test_campaign_dates_typed_as_text_are_read_and_rounds_kept_in_date_order(tmp_path):
    text = default_campaign_text()
    r1 = text[text.index('[[rounds]]\ncode = "r1"') : text.index('[[rounds]]\ncode = "r2"')]
    text = text.replace(r1, "").replace("# Work items", r1 + "# Work items")  # r1 written last
    text = text.replace("start = 2019-07-01", 'start = "2019年7月1日"')
    text = text.replace("deadline = 2019-10-10", 'deadline = "2019/10/10"')
    path = tmp_path / "campaign.toml"
    path.write_text(text, encoding="utf-8")
    campaign, builtin = load_campaign(path), load_campaign()
    assert campaign.rounds == builtin.rounds
    assert campaign.previous_round("r2").code == "r1"


@pytest.mark.parametrize("rounds", [{"code": "r1"}, "r1", []])
def test_rounds_written_as_one_table_or_a_word_are_refused_not_read_as_none(rounds):
    """`[rounds]` (one pair of brackets) or `rounds = "r1"` gave a campaign without
    rounds, without a word."""
    data = tomllib.loads(default_campaign_text())
    data["rounds"] = rounds
    with pytest.raises(CampaignError, match=re.escape("中的报送期次应写成一段或几段 [[rounds]]")):
        campaign_from_dict(data, source="campaign.toml")


def test_one_form_or_label_written_without_brackets_is_one_word():
    """`forms = "宣讲"` gave the forms 宣 and 讲; `labels = 2` an English error."""
    data = tomllib.loads(default_campaign_text())
    data["work_items"][1]["forms"] = "宣讲"
    data["rounds"][1]["labels"] = 2
    campaign = campaign_from_dict(data, source="campaign.toml")
    assert campaign.work_items_by_code["training"].forms == (("宣讲",),)
    assert campaign.rounds_by_code["r2"].labels == ("2",)


def test_a_publicity_setting_that_is_no_number_is_named_in_chinese(tmp_path):
    text = default_campaign_text()
    old = next(line for line in text.splitlines() if line.startswith("per_member"))
    path = _campaign_file(tmp_path, old, 'per_member = "一个"')
    with pytest.raises(CampaignError) as err:
        load_campaign(path)
    assert str(err.value) == (
        f"活动定义文件（{path}）中“publicity.per_member”应为数字（如 1、0.5），现在是 '一个'；"
        "请改正后重新运行。"
    )
