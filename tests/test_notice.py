"""情况通报.docx: title, prose, the three tables, official-document layout."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from docx import Document
from docx.oxml.ns import qn

from analysis import ingest
from analysis.exports import notice
from tests.test_ingest import act, submission

KEY = pd.DataFrame({"指标": ["基层工会覆盖率", "参加人次"], "数值": ["50.0%", "20"],
                    "较上期": ["提高10.0个百分点", None]})  # fmt: skip


def _tables(doc):
    return [[[c.text for c in r.cells] for r in t.rows] for t in doc.tables]


def _write(tmp_path, coverage, not_reported, **kw):
    return notice.write_notice(
        tmp_path / "情况通报.docx", title="关于学习宣传第一阶段情况的通报", as_of=dt.date(2019, 9, 30),
        sentences=["截至2019年9月30日，全区7家基层工会中已有2家开展活动。", "第一阶段已报送1个。"],
        key_figures=KEY, kinds=coverage[coverage["level"].isin(["district", "kind"])],
        not_reported=not_reported, issued=dt.date(2019, 10, 8), **kw,
    )  # fmt: skip


def test_notice_has_title_prose_tables_and_agrees_with_coverage_csv(raw, tmp_path):  # noqa: F811
    submission(raw, "长阳镇.xlsx", "长阳镇总工会",
               [act("长阳镇第一小学", participants=20), act("长阳镇卫生院", participants=30)],
               "2019-06-28")  # fmt: skip
    out = raw.parent / "out"
    ingest.run(raw, out, progress=False)
    coverage = pd.read_csv(out / "coverage.csv", encoding="utf-8-sig", keep_default_na=False,
                           na_values=[""])  # fmt: skip
    missing = pd.DataFrame(
        {"reporting_unit": ["琉璃河镇总工会", "区教委工会"], "kind": ["town", "system"]}
    )
    doc = Document(str(_write(tmp_path, coverage, missing, is_demo=True)))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "关于学习宣传第一阶段情况的通报（演示数据）"
    assert texts[1] == "（统计截至2019年9月30日）"
    assert "截至2019年9月30日，全区7家基层工会中已有2家开展活动。" in texts
    assert [t for t in texts if t[:2] in ("一、", "二、", "三、", "四、")] == [
        "一、总体情况", "二、主要数据", "三、各类别情况", "四、未报送单位",
    ]  # fmt: skip
    assert "截至2019年9月30日，以下2个单位尚未报送：" in texts
    assert texts[-2:] == ["房山区总工会", "2019年10月8日"]
    key, kinds, missing_table = _tables(doc)
    assert key == [["指标", "数值", "较上期"], ["基层工会覆盖率", "50.0%", "提高10.0个百分点"],
                   ["参加人次", "20", ""]]  # fmt: skip
    # Worked out from the small roster: 7 unions, 330 members; 长阳镇 2 of 3 unions,
    # 100 of 200 members (40 + 60), 2 activities, 50 人次. Towns: 2 of 4, 100 of 230 members.
    assert kinds[0] == list(notice.KIND_TABLE_HEADER)
    assert kinds[1] == ["全区合计", "7", "2", "28.6%", "30.3%", "2", "50"]
    assert kinds[2] == ["乡镇总工会", "4", "2", "50.0%", "43.5%", "2", "50"]
    assert kinds[3] == ["街道总工会", "0", "0", "—", "—", "0", "0"]
    assert kinds[4] == ["委、局、公司工会", "2", "0", "0.0%", "0.0%", "0", "0"]
    assert [r[0] for r in kinds[1:]] == ["全区合计", "乡镇总工会", "街道总工会", "委、局、公司工会",
                                         "燕山总工会", "开发区工会", "直属基层工会"]  # fmt: skip
    # Every kind row equals coverage.csv.
    for row in kinds[1:]:
        group = {v: k for k, v in notice.config.KIND_LONG_NAMES.items()}.get(row[0], "全区")
        record = coverage[coverage["group"] == group].iloc[0]
        assert row[1] == str(record["units_total"]) and row[5] == str(record["activities"])
    assert missing_table == [["序号", "单位", "类别"], ["1", "琉璃河镇总工会", "乡镇"],
                             ["2", "区教委工会", "系统"]]  # fmt: skip


def test_notice_layout_is_a4_with_east_asian_fonts_and_page_numbers(tmp_path):
    coverage = pd.DataFrame([("district", "", "全区", 1, 1, 1.0, 10, 10, 1.0, 1, 5)],
                            columns=["level", "kind", "group", "units_total", "units_covered",
                                     "unit_coverage", "members_total", "members_covered",
                                     "member_coverage", "activities", "participants"])  # fmt: skip
    none = pd.DataFrame({"reporting_unit": [], "kind": []})
    doc = Document(str(_write(tmp_path, coverage, none)))
    section = doc.sections[0]
    sizes = [section.page_width, section.page_height, section.top_margin, section.left_margin]
    assert [round(s.mm) for s in sizes] == [210, 297, 37, 28]  # A4, stored in twips

    def east_asian(paragraph):
        return {r._element.rPr.rFonts.get(qn("w:eastAsia")) for r in paragraph.runs}

    paragraphs = doc.paragraphs
    assert east_asian(paragraphs[0]) == {"方正小标宋简体"}
    assert paragraphs[0].runs[0].font.size.pt == 22
    assert east_asian(next(p for p in paragraphs if p.text == "一、总体情况")) == {"黑体"}
    body = next(p for p in paragraphs if p.text.startswith("截至2019年9月30日，全区"))
    assert east_asian(body) == {"仿宋_GB2312"} and body.runs[0].font.size.pt == 16
    assert "所有报送单位均已报送。" in [p.text for p in paragraphs]
    footer = section.footer.paragraphs[0]._element.xml
    assert "PAGE" in footer and "— " in section.footer.paragraphs[0].text
    header_row = doc.tables[0].rows[0]._tr.xml
    assert "w:tblHeader" in header_row
