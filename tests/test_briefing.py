"""The briefing driver: which data, which round, which folder; the notebook helpers; and a
run on a tiny district written in the test (notebook execution stubbed; the full run
with kernels is marked slow)."""

from __future__ import annotations

import datetime as dt
import json
import time
import zipfile

import pandas as pd
import pytest
from conftest import write_xlsx
from pptx import Presentation
from test_charts import small_figures

from analysis import briefing, charts, config

CONTACT, PHONE = "李建国", "13912345678"


class NoNotebooks:
    """Stands in for briefing.NotebookRuns: records what would run, runs nothing."""

    started: list[tuple[str, dict]] = []

    def begin(self, folder, parameters, html_page, title):
        NoNotebooks.started.extend((name, parameters) for name in briefing.NOTEBOOKS)

    def wait(self):
        return []

    def close(self):
        pass


@pytest.mark.parametrize(
    ("rounds_submitted", "as_of", "expected"),
    [
        (["r1", "r2"], None, "r2"),
        (["r1", "r3"], None, "r3"),
        ([], None, "r1"),
        (["r1", "r2", "r3"], dt.date(2019, 8, 1), "r2"),  # r3 had not started
        ([], dt.date(2019, 11, 1), "r3"),  # nothing yet: the round the date falls in
    ],
)
def test_default_round_is_latest_round_with_a_submission(
    campaign, rounds_submitted, as_of, expected
):
    submissions = pd.DataFrame({"round": rounds_submitted, "state": "current"})
    assert briefing.default_round(campaign, submissions, as_of) == expected


def test_default_round_ignores_reports_dated_after_as_of(campaign):
    submissions = pd.DataFrame(
        {"round": ["r1", "r2"], "state": "current", "report_date": ["2019-07-02", "2019-10-08"]}
    )
    assert briefing.default_round(campaign, submissions, dt.date(2019, 9, 30)) == "r1"
    assert briefing.default_round(campaign, submissions, dt.date(2019, 10, 9)) == "r2"


def test_default_round_is_not_decided_by_an_undated_report_of_a_later_round(campaign):
    """At 07-20 r1's deadline has passed and r2 has only an undated file: the briefing
    is r1's, whose overdue units the leaders need; with no dated report, undated ones count."""
    submissions = pd.DataFrame(
        {"round": ["r1", "r1", "r2", "r3"], "state": "current",
         "report_date": ["2019-07-02", "2019-07-04", None, ""]}
    )  # fmt: skip
    assert briefing.default_round(campaign, submissions, dt.date(2019, 7, 20)) == "r1"
    assert briefing.default_round(campaign, submissions, dt.date(2019, 11, 1)) == "r1"
    assert briefing.default_round(campaign, submissions, None) == "r3"  # all of it: the latest
    undated = submissions.assign(report_date=None)
    assert briefing.default_round(campaign, undated, dt.date(2019, 7, 20)) == "r2"


def test_default_round_ignores_rejected_files(campaign):
    submissions = pd.DataFrame({"round": ["r1", "r3"], "state": ["current", "rejected"]})
    assert briefing.default_round(campaign, submissions, None) == "r1"


def test_run_folder_says_date_and_round(tmp_path):
    assert briefing.run_folder(tmp_path, small_figures()) == tmp_path / "2019-09-30_r2"


def test_latest_activity_date_uses_accepted_rows_only():
    rows = pd.DataFrame(
        {"state": ["accepted", "rejected", "accepted"], "date": ["2019-06-03", "2019-12-30", ""]}
    )
    assert briefing.latest_activity_date(rows) == dt.date(2019, 6, 3)


def test_resolve_dirs_defaults_to_demo_without_a_roster(monkeypatch, tmp_path):
    monkeypatch.setattr(config, "RAW_DATA_DIR", tmp_path / "raw")
    raw, processed, is_demo = briefing.resolve_dirs()
    assert (raw, processed, is_demo) == (config.DEMO_RAW_DIR, config.DEMO_PROCESSED_DIR, True)
    assert "演示数据" in briefing.data_note(raw, is_demo)
    assert "分析人员的数据" in briefing.data_note(tmp_path, False)


def test_alias_candidates_lists_written_and_closest_names():
    message = (
        "第{row}行的基层工会“{w}”在名册中找不到（最接近的名称：{s}、北京甲公司工会），该行未计入统计；"
        "请核对名称，或在 aliases.csv 中添加“报送名称,名册名称”对应关系后重新运行。"
    )
    issues = pd.DataFrame(
        {
            "file": ["a.xlsx", "b.xlsx", "a.xlsx", "c.xlsx"],
            "code": ["unit_unresolved", "unit_unresolved", "unit_unresolved", "date_unreadable"],
            "message": [
                message.format(row=5, w="长阳镇卫生院工委", s="长阳镇卫生院工会"),
                message.format(row=9, w="长阳镇卫生院工委", s="长阳镇卫生院工会"),
                "第7行的基层工会“某某工会”在名册中找不到，该行未计入统计；请核对名称。",
                "第3行的活动日期“六月”无法识别",
            ],
            "value": ["长阳镇卫生院工委", "长阳镇卫生院工委", "某某工会", "六月"],
            "suggestions": [
                "长阳镇卫生院工会、北京甲公司工会",
                "长阳镇卫生院工会、北京甲公司工会",
                "",
                "",
            ],
        }
    )
    table = briefing.alias_candidates(issues)
    assert table.to_dict("records") == [
        {
            "报送名称": "长阳镇卫生院工委",
            "名册名称": "长阳镇卫生院工会",
            "出现次数": 2,
            "示例文件": "a.xlsx",
        },
        {
            "报送名称": "某某工会",
            "名册名称": "（请填写名册中的名称）",
            "出现次数": 1,
            "示例文件": "a.xlsx",
        },
    ]


def test_problems_summary_counts_codes_with_an_example():
    issues = pd.DataFrame(
        {
            "severity": ["warning", "error", "warning"],
            "code": ["participants_unreadable", "unit_unresolved", "participants_unreadable"],
            "message": ["甲", "乙", "丙"],
        }
    )
    table = briefing.problems_summary(issues)
    assert table.to_dict("records") == [
        {"severity": "error", "code": "unit_unresolved", "count": 1, "message": "乙"},
        {"severity": "warning", "code": "participants_unreadable", "count": 2, "message": "甲"},
    ]
    # With the issues' files, the example's file is beside its message.
    table = briefing.problems_summary(issues.assign(file=["a.xlsx", "b.xlsx", "c.xlsx"]))
    assert table[["code", "file", "message"]].values.tolist() == [
        ["unit_unresolved", "b.xlsx", "乙"],
        ["participants_unreadable", "a.xlsx", "甲"],
    ]
    assert list(table.columns) == ["severity", "code", "count", "file", "message"]


def test_files_table_never_shows_contact_or_phone():
    subs = pd.DataFrame(
        {
            "file": ["a.xlsx"],
            "reporting_unit": ["长阳镇总工会"],
            "contact": [CONTACT],
            "phone": [PHONE],
        }
    )
    assert list(briefing.files_table(subs).columns) == ["file", "reporting_unit"]


def test_work_item_table_has_kinds_and_short_item_names():
    table = briefing.work_item_table(small_figures())
    assert list(table.columns) == ["学习", "宣讲培训", "宣传", "落实", "资料上报"]
    assert table.loc["全区", "学习"] == "55.6%"  # 5 of 9 unions


def test_key_figures_table_matches_hand_figures():
    table = briefing.key_figures_table(small_figures())
    assert table.loc["基层工会覆盖率", "数值"] == "55.6%"
    assert table.loc["本期报送率", "较上期"] == "较上期提高25.0个百分点"


# --------------------------------------------------------------------------- a tiny district


@pytest.fixture
def tiny_raw(tmp_path, small_roster_rows):
    """Roster of conftest (7 unions) and two submissions of 长阳镇 (r1, r2) with contacts."""
    raw = tmp_path / "raw"
    write_xlsx(raw / "roster" / "名册.xlsx", small_roster_rows)
    header = ["序号", "基层工会名称", "活动日期", "工作类别", "活动形式", "参加人数", "备注"]
    for round_code, day, unit in (
        ("第一阶段", "2019-06-03", "长阳镇第一小学工会"),
        ("第二阶段", "2019-08-12", "长阳镇卫生院工会"),
    ):
        write_xlsx(
            raw / "submissions" / f"长阳镇总工会{round_code}.xlsx",
            [
                [
                    "填报单位：长阳镇总工会",
                    None,
                    "填报日期：2019-07-01" if round_code == "第一阶段" else "填报日期：2019-10-08",
                ],
                [f"联系人：{CONTACT}", None, f"联系电话：{PHONE}", None, f"报送期次：{round_code}"],
                header,
                [1, unit, day, "切实抓好学习", "讨论会", 30, ""],
                [2, "本级", day, "精心组织宣传", "微信", 12, ""],
            ],
        )
    return raw


def _texts_of_zip(path) -> str:
    with zipfile.ZipFile(path) as z:
        return "".join(
            z.read(n).decode("utf-8", "ignore") for n in z.namelist() if n.endswith(".xml")
        )


def test_run_writes_charts_deck_and_workbook_into_dated_folder(
    tiny_raw, tmp_path, monkeypatch, capsys
):
    monkeypatch.setattr(briefing, "NotebookRuns", NoNotebooks)
    monkeypatch.setattr(charts, "PNG_DPI", 40)  # test_charts checks the 200 dpi files
    status = briefing.run(tiny_raw, tmp_path / "out", tmp_path / "reports")
    assert status == 0
    folder = tmp_path / "reports" / "2019-08-12_r2"  # latest activity, latest round reported
    out = capsys.readouterr().out
    assert "使用分析人员的数据" in out and str(folder) in out
    assert (folder / "charts" / "01_unit_coverage.png").exists()
    assert len(list((folder / "charts").glob("*.svg"))) == 6
    deck = Presentation(str(folder / "情况通报.pptx"))
    assert len(deck.slides) == 9
    # 2 of 7 unions covered (长阳镇第一小学, 长阳镇卫生院): 28.6%
    assert "截至2019年8月12日，全区7家基层工会中已有2家" in (folder / "情况通报.txt").read_text(
        "utf-8"
    )
    for export in (folder / "情况通报.pptx", folder / "通报表.xlsx"):
        text = _texts_of_zip(export)
        assert CONTACT not in text and PHONE not in text
    for svg in (folder / "charts").glob("*.svg"):
        assert CONTACT not in svg.read_text("utf-8")
    saved = (folder / "figures.pkl").read_bytes()  # what the notebooks read
    assert CONTACT.encode() not in saved and PHONE.encode() not in saved
    # Stage seconds for `make bench`; the notebooks overlap the charts and exports.
    timings = json.loads((folder / "timings.json").read_text("utf-8"))
    stages = ("ingest", "load", "notebooks", "charts", "exports")
    assert all(isinstance(timings[k], float) and timings[k] >= 0 for k in (*stages, "total"))
    assert timings["total"] >= timings["ingest"] + timings["load"] + timings["charts"]


def test_run_with_unknown_round_exits_nonzero_in_chinese(tiny_raw, tmp_path, capsys):
    status = briefing.run(tiny_raw, tmp_path / "out", tmp_path / "reports", round_code="r9")
    assert status == 2
    assert "报送期次“r9”不存在" in capsys.readouterr().err


def test_run_for_a_round_not_started_by_the_as_of_date_exits_in_chinese(tiny_raw, tmp_path, capsys):
    status = briefing.run(tiny_raw, tmp_path / "out", tmp_path / "reports",
                          as_of=dt.date(2019, 5, 10), round_code="r2")  # fmt: skip
    assert status == 2
    err = capsys.readouterr().err
    assert "报送期次“r2”（第二阶段）从 2019-07-01 开始，统计截止日期 2019-05-10 时还没有开始" in err
    assert not (tmp_path / "reports").exists()  # nothing half-made


@pytest.mark.parametrize("as_of", [dt.date(2019, 5, 7), dt.date(2010, 1, 1)])
def test_run_as_of_before_the_campaign_exits_in_chinese(tiny_raw, tmp_path, capsys, as_of):
    """The campaign starts 2019-05-08: nothing to report yet (it was a pandas traceback)."""
    status = briefing.run(tiny_raw, tmp_path / "out", tmp_path / "reports", as_of=as_of)
    assert status == 2
    err = capsys.readouterr().err.strip()
    assert err == (
        f"统计截止日期 {as_of.isoformat()} 早于“学习宣传贯彻北京市工会第十四次代表大会精神”的"
        "开始日期 2019-05-08，还没有可以通报的内容；请把 --as-of 改为 2019-05-08 以后的日期，"
        "或去掉 --as-of（按已收到的报送统计）。"
    )
    assert not (tmp_path / "reports").exists()


def test_briefing_ingest_is_the_incremental_ingest_without_a_stamp(tiny_raw, tmp_path):
    first = briefing.ingest(tiny_raw, tmp_path / "out")
    again = briefing.ingest(tiny_raw, tmp_path / "out")
    assert (first.files_parsed, again.files_parsed) == (2, 0)  # the parse cache decides
    assert len(again.rows) == len(first.rows) == 4
    write_xlsx(
        tiny_raw / "submissions" / "琉璃河镇总工会第二阶段.xlsx",
        [["填报单位：琉璃河镇总工会"],
         ["序号", "基层工会名称", "活动日期", "工作类别", "活动形式", "参加人数"],
         [1, "琉璃河镇中心小学工会", "2019-08-20", "切实抓好学习", "讨论会", 25]],
    )  # fmt: skip
    third = briefing.ingest(tiny_raw, tmp_path / "out")
    assert third.files_parsed == 1 and len(third.rows) == 5
    assert not list((tmp_path / "out").glob(".briefing_stamp*"))


# What the analyst must never see in a rendered notebook or the HTML page.
NOT_ON_SCREEN = ("NaN", "True", "False", "rows ×", "<NA>", "NBVAL")


def _screen_text(html: str) -> str:
    """The text a reader sees in an HTML page (no styles, scripts or tags)."""
    import re

    body = re.sub(r"<head>.*?</head>|<style.*?</style>|<script.*?</script>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", body)


def _absolute_paths(text: str, *roots) -> list[str]:
    return [str(r) for r in roots if str(r) in text]


@pytest.mark.slow
def test_run_executes_notebooks_and_writes_html_without_code(tiny_raw, tmp_path):
    from nbconvert import HTMLExporter

    status = briefing.run(tiny_raw, tmp_path / "out", tmp_path / "reports")
    folder = tmp_path / "reports" / "2019-08-12_r2"
    assert status == 0
    assert sorted(p.name for p in (folder / "notebooks").iterdir()) == list(briefing.NOTEBOOKS)
    page = (folder / "情况通报.html").read_text("utf-8")
    assert page.count('src="data:image/png;base64') == 6
    assert "briefing.load" not in page and CONTACT not in page and PHONE not in page
    # The page opens with the briefing's title and date, not the notebook's working heading.
    text = _screen_text(page)
    from analysis.campaign import load_campaign

    name = load_campaign(tiny_raw / config.CAMPAIGN_FILE).name
    assert text.strip().startswith(f"{name}第二阶段情况通报")
    assert "03 情况通报" not in text and "make briefing" not in text
    # The rendered outputs of every notebook and the page: no NaN, True/False, footers,
    # markers or absolute paths.
    exporter = HTMLExporter(exclude_input=True)
    for name in briefing.NOTEBOOKS:
        body, _ = exporter.from_filename(str(folder / "notebooks" / name))
        for shown in (_screen_text(body), text):
            assert [w for w in NOT_ON_SCREEN if w in shown] == [], name
            assert _absolute_paths(shown, tmp_path, config.PROJ_ROOT) == [], name


def test_show_renders_yes_no_blanks_and_one_header_row(capsys):
    from IPython.display import HTML

    shown = []
    frame = pd.DataFrame(
        {"file": [f"{config.PROJ_ROOT}/data/raw/a.xlsx", "/elsewhere/x/b.xlsx"],
         "on_time": [True, False], "rows_read": [3, float("nan")]},
    ).set_index(pd.Index(["x", "y"], name="单位"))  # fmt: skip
    import analysis.display as screen

    original = screen.show
    try:
        screen.show = lambda f, chinese=True: shown.append(HTML(screen.table(f).to_html()))
        briefing.show(frame)
    finally:
        screen.show = original
    html = shown[0].data
    text = _screen_text(html)
    assert [w for w in NOT_ON_SCREEN if w in text] == []
    assert "data/raw/a.xlsx" in text and str(config.PROJ_ROOT) not in text
    assert "b.xlsx" in text and "/elsewhere" not in text
    assert ">是<" in html and ">否<" in html
    # The named index became a column: one header row, not an index-name row under it.
    assert html.count("<tr>", 0, html.index("</thead>")) == 1
    briefing.show(frame.iloc[0:0])
    assert capsys.readouterr().out == "（无）\n"


def test_plain_shows_paths_relative_to_the_project():
    text = f"详见 {config.PROJ_ROOT}/data/demo/processed/issues.csv。（/tmp/abc/raw）"
    assert briefing.plain(text) == "详见 data/demo/processed/issues.csv。（raw）"


def test_notebooks_mark_checked_cells_by_tag_and_store_only_their_outputs():
    import nbformat

    for name in briefing.NOTEBOOKS:
        nb = nbformat.read(str(config.NOTEBOOKS_DIR / name), as_version=4)
        for cell in nb.cells:
            assert "NBVAL" not in cell.source
            if cell.cell_type != "code":
                continue
            checked = briefing.CHECK_TAG in cell.metadata.get("tags", [])
            # nbval compares stored outputs of the tagged cells; every other cell is clean.
            assert bool(cell.outputs) == checked, (name, cell.source[:40])


def test_run_without_any_submission_still_writes_the_briefing(
    tmp_path, small_roster_rows, monkeypatch
):
    write_xlsx(tmp_path / "raw" / "roster" / "名册.xlsx", small_roster_rows)
    monkeypatch.setattr(briefing, "NotebookRuns", NoNotebooks)
    monkeypatch.setattr(charts, "PNG_DPI", 40)
    assert briefing.run(tmp_path / "raw", tmp_path / "out", tmp_path / "reports") == 0
    folder = tmp_path / "reports" / "2019-06-30_r1"  # no activity: the first round's end
    assert len(list((folder / "charts").glob("*.png"))) == 6
    assert (
        (folder / "情况通报.txt")
        .read_text("utf-8")
        .startswith("截至2019年6月30日，全区7家基层工会中已有0家开展学习宣传活动，覆盖率0.0%")
    )
    # Three ranked units (two towns, one system), all at 0%: no leader, all below 50%;
    # the direct union is counted on its own.
    lines = (folder / "情况通报.txt").read_text("utf-8").splitlines()
    assert "分单位看，各单位覆盖率均为0.0%，3个单位均低于50%。" in lines
    assert "直属基层工会1家，已开展活动0家，尚未开展1家：北京燕房物流有限公司工会。" in lines


def test_run_loads_campaign_and_roster_once_and_computes_coverage_once(
    tiny_raw, tmp_path, monkeypatch
):
    from analysis import campaign, coverage, figures, roster

    calls: dict[str, int] = {}

    def counting(module, name):
        original = getattr(module, name)

        def counted(*args, **kwargs):
            calls[name] = calls.get(name, 0) + 1
            return original(*args, **kwargs)

        monkeypatch.setattr(module, name, counted)

    counting(campaign, "campaign_from_dict")  # every load_campaign ends here
    counting(roster, "load_roster")  # reading the roster workbook
    counting(coverage, "compute_tables")  # the ingest's coverage tables
    counting(coverage, "_coverage")  # any coverage table, whoever asks
    monkeypatch.setattr(briefing, "NotebookRuns", NoNotebooks)
    monkeypatch.setattr(charts, "PNG_DPI", 30)
    NoNotebooks.started.clear()
    assert briefing.run(tiny_raw, tmp_path / "out", tmp_path / "reports") == 0
    # One campaign, one roster read, the ingest's coverage; the one other coverage table
    # is the previous round's (coverage as of r1's end, which the ingest does not compute).
    assert calls == {"campaign_from_dict": 1, "load_roster": 1, "compute_tables": 1,
                     "_coverage": 2}  # fmt: skip
    # The notebooks get the figures the run saved, with where the charts are drawn.
    folder = tmp_path / "reports" / "2019-08-12_r2"
    assert [name for name, _ in NoNotebooks.started] == list(briefing.NOTEBOOKS)
    saved = NoNotebooks.started[-1][1]["figures_file"]
    assert saved == str(folder / figures.FIGURES_FILE)
    shown = briefing.prepare(saved)
    assert shown.as_of == dt.date(2019, 8, 12) and shown.summary.startswith("读取报送文件 2 个")
    assert shown.charts_dir == folder / "charts"
    # A second run with the same inputs: nothing parsed or recomputed by the ingest (its
    # tables stand), the roster taken from its cache; only the previous round's coverage.
    calls.clear()
    assert briefing.run(tiny_raw, tmp_path / "out", tmp_path / "reports") == 0
    assert calls == {"campaign_from_dict": 1, "_coverage": 1}


def test_notebook_run_alone_computes_the_same_figures(tiny_raw, tmp_path, monkeypatch):
    monkeypatch.setattr(briefing, "NotebookRuns", NoNotebooks)
    monkeypatch.setattr(charts, "PNG_DPI", 30)
    briefing.run(tiny_raw, tmp_path / "out", tmp_path / "reports")
    saved = briefing.prepare(tmp_path / "reports" / "2019-08-12_r2" / "figures.pkl")
    alone = briefing.prepare(None, tiny_raw, tmp_path / "out2")
    pd.testing.assert_frame_equal(alone.ranking, saved.ranking)
    pd.testing.assert_frame_equal(alone.coverage, saved.coverage)
    assert (alone.round_code, alone.as_of) == (saved.round_code, saved.as_of)


def test_show_chart_shows_the_rendered_png_else_draws(tmp_path):
    figures = small_figures()
    figures.charts_dir = tmp_path / "charts"
    figures.charts_dir.mkdir()
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 16
    (figures.charts_dir / "01_unit_coverage.png").write_bytes(png)
    image = briefing.show_chart(figures, "01_unit_coverage")
    assert image.data == png  # the file as rendered, not drawn again
    assert image.metadata == {"alt": "全区基层工会覆盖率达55.6%，直属领先、系统偏低"}
    # Not rendered (and not waited for): drawn here, a real PNG of the same chart.
    drawn = briefing.show_chart(figures, "02_participation", wait=0, dpi=20)
    assert drawn.data.startswith(b"\x89PNG") and len(drawn.data) > 1000
    assert drawn.metadata == {"alt": "全区每百名会员参加活动100人次，乡镇最高（117人次）"}
    # The run's drawing failed: the notebook stops waiting at once and draws the chart.
    (figures.charts_dir / briefing.CHARTS_FAILED).touch()
    started = time.monotonic()
    assert briefing.show_chart(figures, "05_coverage_curve", dpi=20).data.startswith(b"\x89PNG")
    assert time.monotonic() - started < 60  # not the 120 s wait


def test_briefing_processes_skip_the_iri_grammar_and_still_validate_notebooks():
    import subprocess
    import sys

    code = (
        "from analysis import briefing; briefing.skip_unused_grammar()\n"
        "import sys, nbformat, papermill\n"
        "nbformat.validate(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('1')]))\n"
        "print(sys.modules['rfc3987_syntax'] is None)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"


def test_figures_from_the_parquet_tables_equal_those_from_the_ingest_in_memory(tiny_raw, tmp_path):
    from analysis import figures
    from analysis.campaign import load_campaign

    result = briefing.ingest(tiny_raw, tmp_path / "out")
    roster = briefing._roster(tiny_raw, tmp_path / "out")
    campaign = load_campaign()
    in_memory = figures.compute(campaign, roster, figures.tables_of(result))
    from_disk = figures.compute(campaign, roster, figures.read_tables(tmp_path / "out"))
    pd.testing.assert_frame_equal(from_disk.ranking, in_memory.ranking)
    pd.testing.assert_frame_equal(from_disk.not_reached, in_memory.not_reached)
    # 长阳镇: 2 of its 3 unions covered (第一小学 in r1, 卫生院 in r2)
    assert in_memory.ranking.set_index("group").loc["长阳镇总工会", "units_covered"] == 2


def test_files_table_names_rounds_when_given_the_campaign(campaign):
    subs = pd.DataFrame({"file": ["a.xlsx", "b.csv", "c.txt"], "round": ["r2", "r1;r2", ""]})
    assert briefing.files_table(subs)["round"].tolist() == ["r2", "r1;r2", ""]
    named = briefing.files_table(subs, campaign)["round"].tolist()
    assert named == ["第二阶段", "第一阶段、第二阶段", ""]


def test_materials_after_the_as_of_date_are_not_in_that_dates_briefing(tmp_path):
    columns = ["file", "reporting_unit", "kind", "round", "material", "taken_date", "state",
               "duplicate_of"]  # fmt: skip
    pd.DataFrame(
        [
            ("a/1.jpg", "长阳镇总工会", "town", "r1", "photo", "2019-06-20", "current", ""),
            ("a/2.jpg", "长阳镇总工会", "town", "r2", "photo", "2019-07-21", "current", ""),
            ("a/总结.docx", "长阳镇总工会", "town", "r1", "summary", "2019-07-03", "current", ""),
            ("a/3.jpg", "长阳镇总工会", "town", "r1", "photo", "", "current", ""),
        ],
        columns=columns,
    ).to_csv(tmp_path / "materials.csv", index=False, encoding="utf-8-sig")
    kept = {}
    for as_of in (dt.date(2019, 7, 3), None):
        figures = small_figures()
        briefing.attach_run_context(figures, tmp_path, as_of)
        kept[as_of] = figures.tables["materials"]["file"].tolist()
    # Taken on or before the date, or undated; without a date, everything received.
    assert kept[dt.date(2019, 7, 3)] == ["a/1.jpg", "a/总结.docx", "a/3.jpg"]
    assert kept[None] == ["a/1.jpg", "a/2.jpg", "a/总结.docx", "a/3.jpg"]


def test_a_failing_notebook_is_told_by_notebook_and_cell_in_chinese():
    """A cell the analyst broke: the notebook, the cell and Python's own line, framed in
    Chinese with what to do; never papermill's class name."""
    from papermill.exceptions import PapermillExecutionError

    from analysis.messages import briefing_line
    from analysis.notebook_runs import _failure

    exc = PapermillExecutionError(
        cell_index=7, exec_count=5, source="figures.totl", ename="AttributeError",
        evalue="'Figures' object has no attribute 'totl'", traceback=[],
    )  # fmt: skip
    reason = _failure("03_briefing.ipynb", exc)
    assert reason == (
        "03_briefing.ipynb 第5个代码单元格（AttributeError: 'Figures' object has no attribute 'totl'）"
    )
    line = briefing_line("notebook_failed", failure=reason)
    assert "Papermill" not in line and "撤销修改" in line
    assert _failure("01_ingest.ipynb", RuntimeError("Kernel died")) == (
        "01_ingest.ipynb（RuntimeError: Kernel died）"
    )


def test_a_second_briefing_with_nothing_new_says_so_on_screen(tiny_raw, tmp_path, monkeypatch,
                                                              capsys):  # fmt: skip
    """The screen compares with the last run (README): run again with nothing new, it
    says nothing changed, not the first run's news again."""
    monkeypatch.setattr(briefing, "NotebookRuns", NoNotebooks)
    monkeypatch.setattr(charts, "PNG_DPI", 40)
    assert briefing.run(tiny_raw, tmp_path / "out", tmp_path / "reports") == 0
    (tiny_raw / "submissions" / "琉璃河镇.csv").write_text(
        "填报单位：琉璃河镇总工会\n基层工会名称,活动日期,参加人数\n琉璃河镇中心小学工会,2019-06-12,9\n",
        encoding="utf-8",
    )
    assert briefing.run(tiny_raw, tmp_path / "out", tmp_path / "reports") == 0
    capsys.readouterr()
    assert briefing.run(tiny_raw, tmp_path / "out", tmp_path / "reports") == 0
    out = capsys.readouterr().out
    assert "新增文件" not in out and "没有变化" in out
