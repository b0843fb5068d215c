from __future__ import annotations

import datetime as dt
import re

import pytest

from analysis.campaign import CampaignError, default_campaign_text, load_campaign


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
