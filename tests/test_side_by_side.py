"""Activity tables side by side under one header row, and field names in messages."""

from __future__ import annotations

import re

from analysis.model import TABLE_FIELDS, Sheet
from analysis.tables import FIELD_LABELS_CN, find_tables


def test_every_table_field_has_a_chinese_label():
    for field in TABLE_FIELDS:
        assert re.fullmatch(r"[\u4e00-\u9fff]+", FIELD_LABELS_CN[field]), field


def test_an_ambiguous_seq_column_is_named_in_chinese(campaign):
    rows = [
        ["序号", "编号", "基层工会名称", "活动日期", "活动形式", "参加人数"],
        [1, "A-1", "长阳镇卫生院工会", "2019-06-03", "座谈会", 20],
    ]
    [table] = find_tables(Sheet("S", rows), campaign, "f.xlsx")
    [note] = table.issues
    assert note.code == "column_ambiguous"
    assert "可作为“序号”" in note.message
    assert not re.search(r"[A-Za-z]{2,}", note.message.replace("f.xlsx", ""))
