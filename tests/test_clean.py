"""Cleaning rules, one table per rule; invariants with hypothesis."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.clean import (
    chinese_number,
    match_form,
    match_key,
    match_work_item,
    message,
    normalise_text,
    parse_date,
    parse_participants,
    resolve_item_and_form,
)
from analysis.messages import MESSAGES


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("  长阳镇\u3000总工会 ", "长阳镇 总工会"),
        ("（长阳镇）", "(长阳镇)"),
        ("ＡＢＣ１２３", "ABC123"),
        ("第一\n小学", "第一 小学"),
        (None, ""),
        (50.0, "50"),
        (50.5, "50.5"),
        (7, "7"),
        (True, "TRUE"),  # a logical cell, as Excel shows it
        (False, "FALSE"),
    ],
)
def test_normalise_text_canonical_form(value, expected):
    assert normalise_text(value) == expected


def test_match_key_ignores_brackets_spaces_and_width():
    assert match_key("参加 人数（人）") == match_key("参加人数(人)") == "参加人数人"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (50, (50, None)),
        (50.0, (50, None)),
        ("50", (50, None)),
        ("50人", (50, None)),
        ("50人次", (50, None)),
        ("５０人", (50, None)),
        ("１２０", (120, None)),
        ("1,200", (1200, None)),
        ("共120人", (120, None)),
        ("五十", (50, None)),
        ("一百二十", (120, None)),
        ("一百零五人", (105, None)),
        ("十五人", (15, None)),
        ("两千", (2000, None)),
        ("1万", (10000, None)),
        ("1.2万", (12000, None)),
        ("约50人", (50, "participants_approximate")),
        ("五百余人", (500, "participants_approximate")),
        ("50余", (50, "participants_approximate")),
        ("50多人", (50, "participants_approximate")),
        ("50人左右", (50, "participants_approximate")),
        ("近百人", (100, "participants_approximate")),
        ("50-60", (None, "participants_range")),
        ("50~60人", (None, "participants_range")),
        ("50至60", (None, "participants_range")),
        ("５０－６０", (None, "participants_range")),
        ("若干", (None, "participants_unreadable")),
        ("多人", (None, "participants_unreadable")),
        ("全体职工", (None, "participants_unreadable")),
        ("五六十人", (None, "participants_unreadable")),
        (True, (None, "participants_unreadable")),
        (None, (None, "participants_missing")),
        ("", (None, "participants_missing")),
        ("   ", (None, "participants_missing")),
        (float("nan"), (None, "participants_missing")),
        (-5, (None, "participants_negative")),
        ("-5人", (None, "participants_negative")),
        (150000, (None, "participants_absurd")),
        ("20万", (None, "participants_absurd")),
        (50.4, (50, "participants_not_integer")),
        (0, (0, None)),
        # Two figures side by side are not one: never 2030, 128 or 3040.
        ("20 30", (None, "participants_unreadable")),
        ("12，8", (None, "participants_unreadable")),
        ("30,40", (None, "participants_unreadable")),
        ("30 40人", (None, "participants_unreadable")),
        ("1,200", (1200, None)),  # a thousands separator is one figure
        ("30 人", (30, None)),
        # A lower bound in words or with +, as 30余人 is read: the number, approximate.
        ("30+", (30, "participants_approximate")),
        ("30+人", (30, "participants_approximate")),
        ("逾30人", (30, "participants_approximate")),
        ("超过30人", (30, "participants_approximate")),
        ("不少于30人", (30, "participants_approximate")),
        ("至少30人", (30, "participants_approximate")),
        # Punctuation after the figure or a quote before it is no part of it.
        ("30人。", (30, None)),
        ("30、", (30, None)),
        ("‘30", (30, None)),
        ("20 30、", (None, "participants_unreadable")),  # still two figures, not 2030
        # Digits written one by one with a zero (三〇): 30, never 0.
        ("三〇", (30, None)),
        ("一二〇人", (120, None)),
        # 全体… with its number: the number, worked out.
        ("全体职工30人", (30, "participants_worked_out")),
        ("全体会员共30人", (30, "participants_worked_out")),
        # Parts labelled after their number, and a whole after 共: worked out.
        ("20（线上）+10（线下）", (30, "participants_worked_out")),
        ("20人（现场），10人（直播）", (30, "participants_worked_out")),
        ("3场共90人", (90, "participants_worked_out")),
        ("3场，共计90人次", (90, "participants_worked_out")),
        ("每场30人", (None, "participants_unreadable")),  # sessions unknown: not guessed
    ],
)
def test_parse_participants_rule(value, expected):
    assert parse_participants(value) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("五十", 50),
        ("三百五", 350),
        ("一万二", 12000),
        ("两千零八", 2008),
        ("十", 10),
        ("五六", None),
        ("三〇", 30),
        ("〇五", 5),  # as in 六月〇五日
        ("abc", None),
    ],
)
def test_chinese_number_value(text, expected):
    assert chinese_number(text) == expected


@given(st.integers(min_value=0, max_value=100_000))
def test_parse_participants_integer_roundtrip(n):
    assert parse_participants(n) == (n, None)
    assert parse_participants(f"{n}人") == (n, None)
    assert parse_participants(
        str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    ) == (n, None)


@given(st.one_of(st.none(), st.text(max_size=12), st.integers(), st.floats(allow_nan=True)))
def test_parse_participants_never_raises_and_code_when_none(value):
    number, code = parse_participants(value)
    assert number is None or 0 <= number <= 100_000
    if number is None:
        assert code is not None and code in MESSAGES


D = dt.date


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.datetime(2019, 6, 3, 9, 30), (D(2019, 6, 3), None)),
        (D(2019, 6, 3), (D(2019, 6, 3), None)),
        (43619, (D(2019, 6, 3), None)),
        (43619.0, (D(2019, 6, 3), None)),
        ("43619", (D(2019, 6, 3), None)),
        ("2019年6月3日", (D(2019, 6, 3), None)),
        ("2019年6月3号", (D(2019, 6, 3), None)),
        ("2019.6.3", (D(2019, 6, 3), None)),
        ("2019/6/3", (D(2019, 6, 3), None)),
        # A year of two digits (never a month, so 12.6.3 stays unread).
        ("19.6.3", (D(2019, 6, 3), None)),
        ("19/6/25", (D(2019, 6, 25), None)),
        ("19.6.3-6.5", (D(2019, 6, 3), "date_range")),
        ("12.6.3", (None, "date_unreadable")),
        # Day first with a four-digit year: never the 20th of June 2025.
        ("25/6/2025", (None, "date_unreadable")),
        ("2019-06-03", (D(2019, 6, 3), None)),
        ("2019-06-03 00:00:00", (D(2019, 6, 3), None)),
        ("２０１９年６月３日", (D(2019, 6, 3), None)),
        ("20190603", (D(2019, 6, 3), None)),
        (20190603, (D(2019, 6, 3), None)),
        ("6月3日", (D(2019, 6, 3), None)),
        ("6.3", (D(2019, 6, 3), None)),
        (6.3, (D(2019, 6, 3), "date_decimal_ambiguous")),  # may have been typed 6.30
        (6.5, (D(2019, 6, 5), None)),  # 6.50 is no day: nothing lost
        (6.03, (D(2019, 6, 3), None)),  # two decimals: typed as they stand
        (6.12, (D(2019, 6, 12), None)),
        ("6/3", (D(2019, 6, 3), None)),
        ("2019年6月", (D(2019, 6, 1), "date_day_missing")),
        ("6月", (D(2019, 6, 1), "date_day_missing")),  # the round's (here the campaign's) year
        ("7月份", (D(2019, 7, 1), "date_day_missing")),
        ("2019年5月", (D(2019, 5, 8), "date_day_missing")),  # May 1 is before the May 8 start
        ("2019年4月", (D(2019, 4, 1), "date_out_of_window")),
        ("6月3日-5日", (D(2019, 6, 3), "date_range")),
        ("6月3日、6月5日", (D(2019, 6, 3), "date_several")),  # two days: the first, said
        ("2019年6月3日和6月8日", (D(2019, 6, 3), "date_several")),
        ("6.3、6.5", (D(2019, 6, 3), "date_several")),
        ("6月3日至6月5日", (D(2019, 6, 3), "date_range")),
        ("2019.6.3-6.5", (D(2019, 6, 3), "date_range")),
        ("6.3-6.5", (D(2019, 6, 3), "date_range")),
        ("2019年4月1日", (D(2019, 4, 1), "date_out_of_window")),
        ("2020-03-01", (D(2020, 3, 1), "date_out_of_window")),
        ("2019年2月30日", (None, "date_unreadable")),
        ("2019年6-7月", (None, "date_unreadable")),  # two months, not June 7
        ("2019.6-7月", (None, "date_unreadable")),
        ("2019-6-9月", (None, "date_unreadable")),
        ("上旬", (None, "date_unreadable")),
        ("六月", (D(2019, 6, 1), "date_day_missing")),
        # Chinese numerals as offices type them: the year's zero as a circle or a letter O,
        # 廿 for twenty and 卅 for thirty; a bare numeral is no date.
        ("二○一九年六月廿八日", (D(2019, 6, 28), None)),
        ("二Ｏ一九年十月卅一日", (D(2019, 10, 31), None)),
        ("二◯一九年七月廿日", (D(2019, 7, 20), None)),
        ("六月廿八日", (D(2019, 6, 28), None)),
        ("廿八", (None, "date_unreadable")),
        ("六月卅二日", (None, "date_unreadable")),
        (12, (None, "date_unreadable")),
        (None, (None, "date_missing")),
        ("", (None, "date_missing")),
    ],
)
def test_parse_date_rule(value, expected, campaign):
    assert parse_date(value, campaign) == expected


@given(st.dates(min_value=D(2019, 5, 8), max_value=D(2019, 12, 31)))
def test_parse_date_written_forms_agree(day):
    from analysis.campaign import load_campaign

    campaign = load_campaign()
    forms = [
        day,
        f"{day.year}年{day.month}月{day.day}日",
        f"{day:%Y-%m-%d}",
        f"{day:%Y%m%d}",
        f"{day.month}月{day.day}日",
        (day - D(1899, 12, 30)).days,
    ]
    assert {parse_date(v, campaign) for v in forms} == {(day, None)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("切实抓好学习", ("study", None)),
        ("抓好学习", ("study", None)),
        ("加强宣讲培训", ("training", None)),
        ("宣讲", ("training", None)),
        ("精心组织宣传", ("publicity", None)),
        ("狠抓工作落实", ("implementation", None)),
        ("做好相关资料上报", ("reporting", None)),
        ("（一）切实抓好学习", ("study", None)),
        ("(二)加强宣讲培训", ("training", None)),
        ("1", ("study", None)),
        ("一", ("study", None)),
        ("3、精心组织宣传", ("publicity", None)),
        ("5", ("reporting", None)),
        ("四", ("implementation", None)),
        ("理论学习活动", ("study", None)),
        ("学习宣讲", ("study", "work_item_ambiguous")),
        ("三区一节点", (None, "work_item_unknown")),
        ("文体活动", (None, "work_item_unknown")),
        ("9", (None, "work_item_unknown")),
        ("", (None, None)),
        (None, (None, None)),
    ],
)
def test_match_work_item_rule(text, expected, campaign):
    assert match_work_item(text, campaign) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("理论中心组学习", ("理论中心组学习", "study")),
        ("中心组学习", ("理论中心组学习", "study")),
        ("座谈会", ("讨论会", "study")),
        ("专题宣讲", ("宣讲", "training")),
        ("知识竞赛", ("测试", "training")),
        ("网上/网下学习", ("网上学习", "training")),
        ("微信公众号推送", ("微信", "publicity")),
        ("劳模精神进企业", ("劳模精神活动", "implementation")),
        ("结合“三区一节点”", ("三区一节点", "implementation")),
        ("阶段性总结", ("阶段性总结", "reporting")),
        ("拔河比赛", (None, None)),
        ("", (None, None)),
    ],
)
def test_match_form_rule(text, expected, campaign):
    assert match_form(text, campaign) == expected


@pytest.mark.parametrize(
    ("item", "form", "expected"),
    [
        ("切实抓好学习", "座谈会", ("study", "讨论会", [])),
        (None, "座谈会", ("study", "讨论会", ["work_item_inferred"])),
        ("", "微视频", ("publicity", "微视频", ["work_item_inferred"])),
        ("文体活动", "微视频", ("publicity", "微视频", ["work_item_inferred"])),
        ("文体活动", "拔河比赛", ("other", None, ["form_unknown", "work_item_unknown"])),
        ("文体活动", None, ("other", None, ["work_item_unknown"])),
        (None, None, ("other", None, ["work_item_missing"])),
        ("切实抓好学习", "微视频", ("study", "微视频", ["form_item_mismatch"])),
        ("切实抓好学习", "拔河比赛", ("study", None, ["form_unknown"])),
        ("座谈会", None, ("study", "讨论会", ["work_item_inferred"])),
        # 其他, as the templates' drop-downs offer it: counted under other, no warning.
        ("其他", "其他", ("other", None, [])),
        ("其他", None, ("other", None, [])),
        ("文体活动", "其他", ("other", None, ["work_item_unknown"])),
        ("其他", "座谈会", ("study", "讨论会", ["work_item_inferred"])),
    ],
)
def test_resolve_item_and_form_rule(item, form, expected, campaign):
    assert resolve_item_and_form(item, form, campaign) == expected


def test_message_quotes_value_in_chinese():
    assert message("participants_range", "50-60") == MESSAGES["participants_range"].format(
        value="50-60"
    )
    assert "50-60" in message("participants_range", "50-60")
    assert "unknown_code" in message("unknown_code", "x")


def test_match_keys_cached_per_campaign_not_shared_with_another(campaign):
    import dataclasses

    from analysis.clean import match_form, match_work_item

    assert match_work_item("劳动竞赛月", campaign) == (None, "work_item_unknown")
    first = campaign.work_items[0]
    renamed = dataclasses.replace(first, synonyms=(*first.synonyms, "劳动竞赛月"))
    forms = ((*first.forms[0], "擂台赛"), *first.forms[1:])
    renamed = dataclasses.replace(renamed, forms=forms)
    other = dataclasses.replace(campaign, work_items=(renamed, *campaign.work_items[1:]))
    assert match_work_item("劳动竞赛月", other) == (first.code, None)
    assert match_form("擂台赛", other) == (first.forms[0][0], first.code)
    # The first campaign's keys are unchanged by the second's.
    assert match_work_item("劳动竞赛月", campaign) == (None, "work_item_unknown")
    assert match_form("擂台赛", campaign) == (None, None)


def test_a_form_of_another_work_item_is_told_which(campaign):
    from analysis.clean import message

    text = message("form_item_mismatch", "微视频", campaign)
    item = next(w.name for w in campaign.work_items if w.code == "publicity")
    assert (
        text
        == f"活动形式“微视频”通常属于“{item}”，与所填工作类别不同，已按所填工作类别计入；请核对。"
    )
    assert "另一项工作" in message("form_item_mismatch", "微视频")  # no campaign: as before


def test_a_missing_item_beside_an_unknown_form_does_not_say_the_form_was_blank(campaign):
    from analysis.clean import resolve_item_and_form
    from analysis.messages import message_text

    item, form, codes = resolve_item_and_form(None, "集体研读", campaign)
    assert (item, codes) == ("other", ["form_unknown", "work_item_missing"])
    assert "活动形式均未填写" not in message_text("work_item_missing")
    assert "无法从活动形式判断" in message_text("work_item_missing")


@pytest.mark.parametrize(
    ("text", "item"),
    [
        ("一、切实抓好学习", "study"),
        ("（三）狠抓工作落实", "implementation"),
        ("2.精心组织宣传", "publicity"),
        ("切实抓好学习", None),  # not numbered: no heading
        ("1、长阳镇第一小学工会", None),  # numbered, but no work item
        ("注：以上活动均已上报", None),
        ("一、", None),
        # Parts numbered in words, as reports number them.
        ("第一部分 切实抓好学习", "study"),
        ("第二部分：加强宣讲培训", "training"),
        ("第 3 部分，精心组织宣传", "publicity"),
        ("第三项 狠抓工作落实", "implementation"),
        ("第四方面：宣传", "publicity"),
        ("一是切实抓好学习", "study"),
        ("五是做好相关资料上报", "reporting"),
        ("第三项目部工会", None),  # a union's name, no work item after the ordinal
        ("第一部分", None),
        ("一是", None),
    ],
)
def test_section_item_reads_numbered_headings_only(campaign, text, item):
    from analysis.clean import section_item

    assert section_item(text, campaign) == item
