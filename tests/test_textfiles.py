"""Files edited in Notepad or WPS: UTF-8 with BOM, CRLF line ends, GBK ("ANSI")."""

from __future__ import annotations

import codecs

import pytest
from conftest import write_xlsx

from analysis import textfiles
from analysis.campaign import default_campaign_text, load_campaign
from analysis.names import read_aliases
from analysis.roster import load_roster

ALIASES = "报送名称,名册名称\n长阳一小,长阳镇第一小学工会\n区教委,区教委工会\n"


def notepad(text: str, style: str) -> bytes:
    """`text` as Notepad or WPS would save it in `style`."""
    crlf = text.replace("\n", "\r\n")
    return {
        "utf8": text.encode("utf-8"),
        "utf8_bom_crlf": codecs.BOM_UTF8 + crlf.encode("utf-8"),
        "gbk_crlf": crlf.encode("gbk"),
        "utf16_crlf": crlf.encode("utf-16"),  # Notepad's "Unicode": UTF-16 LE with BOM
        "cr_only": text.replace("\n", "\r").encode("utf-8"),
    }[style]


STYLES = ["utf8", "utf8_bom_crlf", "gbk_crlf", "utf16_crlf", "cr_only"]


@pytest.mark.parametrize("style", STYLES)
def test_decode_text_reads_every_notepad_style(style):
    text, _ = textfiles.decode_text(notepad(ALIASES, style))
    assert text == ALIASES


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (codecs.BOM_UTF8 + "长阳".encode(), "utf-8-sig"),
        ("长阳".encode(), "utf-8"),
        ("长阳".encode("gbk"), "gb18030"),
        ("长阳".encode("utf-16"), "utf-16"),
    ],
)
def test_decode_text_names_the_encoding_it_used(data, encoding):
    assert textfiles.decode_text(data) == ("长阳", encoding)


def test_decode_or_none_is_none_for_bytes_in_no_known_encoding():
    assert textfiles.decode_or_none(b"\xff\xff\xff\x80") is None


@pytest.mark.parametrize("style", STYLES)
def test_aliases_csv_from_notepad_read_as_two_aliases(tmp_path, style):
    path = tmp_path / "aliases.csv"
    path.write_bytes(notepad(ALIASES, style))
    frame, issues = read_aliases(path)
    assert issues == []
    assert frame[["alias", "name"]].values.tolist() == [
        ["长阳一小", "长阳镇第一小学工会"],
        ["区教委", "区教委工会"],
    ]


@pytest.mark.parametrize("style", STYLES)
def test_campaign_toml_from_notepad_read_like_the_built_in_one(tmp_path, style):
    path = tmp_path / "campaign.toml"
    path.write_bytes(notepad(default_campaign_text(), style))
    campaign, built_in = load_campaign(path), load_campaign()
    assert campaign.name == built_in.name
    assert [(r.code, r.name, r.deadline) for r in campaign.rounds] == [
        (r.code, r.name, r.deadline) for r in built_in.rounds
    ]
    assert [w.name for w in campaign.work_items] == [w.name for w in built_in.work_items]


ROSTER_CSV = (
    "序号,基层工会名称,上级工会,类别,会员人数\n"
    "1,长阳镇第一小学工会,长阳镇总工会,乡镇,40\n"
    "2,长阳镇卫生院工会,长阳镇总工会,乡镇,60\n"
    "3,北京燕房物流有限公司工会,,直属,30\n"
)


@pytest.mark.parametrize("style", ["utf8_bom_crlf", "gbk_crlf", "utf16_crlf"])
def test_roster_csv_from_notepad_read(tmp_path, style):
    path = tmp_path / "roster" / "名册.csv"
    path.parent.mkdir()
    path.write_bytes(notepad(ROSTER_CSV, style))
    roster = load_roster(path.parent)
    assert roster.units["unit"].tolist() == [
        "长阳镇第一小学工会",
        "长阳镇卫生院工会",
        "北京燕房物流有限公司工会",
    ]
    assert roster.units["members"].tolist() == [40, 60, 30]
    assert roster.issues == []


def test_roster_xlsx_unaffected(tmp_path, small_roster_rows):
    path = write_xlsx(tmp_path / "名册.xlsx", small_roster_rows)
    assert len(load_roster(path).units) == 7
