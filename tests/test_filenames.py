"""Every file and folder the project writes has a name Windows accepts, on a short enough path."""

from __future__ import annotations

import os
import sys
import warnings
from pathlib import Path, PurePosixPath, PureWindowsPath
from types import SimpleNamespace

import pytest
from conftest import write_xlsx

from analysis import briefing, charts
from analysis.campaign import default_campaign_text
from analysis.filenames import (
    DESKTOP_PROJECT,
    MAX_NAME_CHARS,
    disk_path,
    shown_name,
    unique_names,
    windows_name,
    windows_path_fits,
    windows_problems,
)
from analysis.templates import batch

FORBIDDEN = '\\/:*?"<>|'


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("长阳镇总工会", "长阳镇总工会"),  # legal names are kept as they are
        ("A/B:公司*工会", "A_B_公司_工会"),
        ('区教委"工会"<2>|?', "区教委_工会__2___"),
        ("长阳镇总工会. ", "长阳镇总工会"),  # Windows drops a trailing dot or space
        (" .隐藏", "隐藏"),
        ("CON", "CON_"),
        ("con.txt", "con_.txt"),
        ("LPT9", "LPT9_"),
        ("COM1 ", "COM1_"),
        ("CONSOLE", "CONSOLE"),  # only the exact device names are reserved
        ("a\tb\x01c", "a_b_c"),
        ("", "_"),
        ("...", "_"),
    ],
)
def test_windows_name_table(text, expected):
    assert windows_name(text) == expected
    assert windows_problems(windows_name(text)) == []


def test_windows_name_cuts_long_names_deterministically_and_uniquely():
    first = "北京市房山区" + "某某" * 60 + "第一分公司工会委员会"
    second = "北京市房山区" + "某某" * 60 + "第二分公司工会委员会"
    a, b = windows_name(first, suffix=".xlsx"), windows_name(second, suffix=".xlsx")
    assert len(a) == len(b) == MAX_NAME_CHARS
    assert a != b and a.endswith(".xlsx") and "~" in a
    assert a == windows_name(first, suffix=".xlsx")  # the same text, the same name
    assert a[:20] == first[:20]


@pytest.mark.parametrize("char", ["😀", "𠀀"])
def test_windows_name_counts_characters_beyond_the_bmp_twice(tmp_path, char):
    """An emoji or 𠀀 is two UTF-16 units on Windows and four bytes on Linux (UOS, Kylin),
    where a name may take 255 bytes: 80 of them (320 bytes) could not be written."""
    name = windows_name("区" + char * 90 + "工会", suffix=".xlsx")
    assert len(name.encode("utf-16-le")) // 2 <= MAX_NAME_CHARS
    assert len(name.encode("utf-8")) <= 255 and name.endswith(".xlsx") and "~" in name
    assert name.startswith("区" + char * 30)
    assert windows_problems(name) == []
    (tmp_path / name).write_bytes(b"")  # the file system takes it
    assert not windows_path_fits("reports/" + "😀" * 115)  # 230 units, though 115 characters
    assert "longer than 255 bytes (Linux)" in windows_problems("😀" * 64)


def test_unique_names_numbers_repeats_ignoring_case():
    names = ["A_B.xlsx", "a_b.xlsx", "A_B.xlsx", "C.xlsx"]
    assert unique_names(names) == ["A_B.xlsx", "a_b (2).xlsx", "A_B (3).xlsx", "C.xlsx"]


def test_windows_path_fits_counts_from_a_desktop_folder():
    assert len(str(DESKTOP_PROJECT)) == 30
    assert windows_path_fits("reports/" + "x" * 200)
    assert not windows_path_fits("reports/" + "x" * 230)


def test_run_folder_name_is_legal_for_any_round_code(tmp_path):
    for code in ("r2", "CON", "第二/阶段:补报?", "x" * 300):
        figures = SimpleNamespace(
            as_of=briefing.dt.date(2019, 9, 30), round_code=code, is_demo=False
        )
        name = briefing.run_folder(tmp_path, figures).name
        assert windows_problems(name) == [], name
    figures = SimpleNamespace(as_of=briefing.dt.date(2019, 9, 30), round_code="r2", is_demo=False)
    assert briefing.run_folder(tmp_path, figures).name == "2019-09-30_r2"


# --------------------------------------------------------------------------- whole runs

# Reporting units (上级工会) and unions whose names hold every character Windows refuses,
# trailing dots and spaces, device names, and a name far too long for a path.
LONG = "北京市房山区" + "长阳镇工业开发区管理委员会" * 12 + "工会"
HOSTILE_ROSTER = [
    ["序号", "基层工会名称", "上级工会", "类别", "会员人数"],
    [1, "长阳镇第一小学工会", "长阳镇/总工会", "乡镇", 40],
    [2, "长阳镇卫生院工会", "长阳镇/总工会", "乡镇", 60],
    [3, "琉璃河镇中心小学工会", "琉璃河镇:总工会", "乡镇", 30],
    [4, "区教委机关工会", '区教委*工会?"<>|', "系统", 50],
    [5, "房山区实验中学工会", '区教委*工会?"<>|', "系统", 20],
    [6, "城关街道工会", "城关街道总工会. ", "街道", 25],
    [7, "燕山工会", "CON", "燕山", 15],
    [8, "长沟镇工会", "长阳镇\\总工会", "乡镇", 12],  # as a file name, the same as 长阳镇/总工会
    [9, "某开发区工会", LONG, "乡镇", 10],
    [10, "北京燕房物流有限公司工会：", "", "直属", 30],
]


def _written_names(root: Path) -> list[PurePosixPath]:
    return sorted(PurePosixPath(p.relative_to(root).as_posix()) for p in root.rglob("*"))


def _assert_windows_legal(root: Path, base: str) -> None:
    names = _written_names(root)
    assert names
    for rel in names:
        for part in rel.parts:
            assert windows_problems(part) == [], (rel, part)
            with warnings.catch_warnings():  # is_reserved is deprecated from Python 3.13
                warnings.simplefilter("ignore", DeprecationWarning)
                assert not PureWindowsPath(part).is_reserved(), part
            assert PureWindowsPath(part).name == part
        assert windows_path_fits(PurePosixPath(base) / rel), rel


def _hostile_raw(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    write_xlsx(raw / "roster" / "名册.xlsx", HOSTILE_ROSTER)
    (raw / "submissions").mkdir()
    # A round's code goes into the tables and must be Latin letters and digits (a code
    # "r2:补报?" is refused: test_a_round_code_a_file_name_cannot_hold_is_refused); its
    # name, which goes into the templates' names, may hold anything.
    text = default_campaign_text().replace('name = "第二阶段"', 'name = "第二阶段/补报*"', 1)
    (raw / "campaign.toml").write_text(text, encoding="utf-8")
    return raw


def test_a_round_code_a_file_name_cannot_hold_is_refused(tmp_path):
    from analysis.campaign import CampaignError, load_campaign

    path = tmp_path / "campaign.toml"
    path.write_text(default_campaign_text().replace('code = "r2"', 'code = "r2:补报?"', 1), "utf-8")
    with pytest.raises(CampaignError, match="报送期次的代码 code = “r2:补报\\?”不能使用"):
        load_campaign(path)


def test_templates_for_hostile_names_are_legal_and_one_per_unit(tmp_path, monkeypatch):
    raw = _hostile_raw(tmp_path)
    monkeypatch.setattr(batch.config, "REPORTS_DIR", tmp_path / "reports")
    run = batch.run(roster=raw / "roster", round_code="r2", campaign_path=raw / "campaign.toml")
    assert run.out_dir == tmp_path / "reports" / "templates" / "r2"
    _assert_windows_legal(tmp_path / "reports", "reports")
    reporting_units = {row[2] or row[1] for row in HOSTILE_ROSTER[1:]}
    assert len(run.files) == len(set(run.files)) == len(reporting_units) == 8
    assert all(p.exists() for p in run.files)
    (long_file,) = [p for p in run.files if "开发区" in p.name]
    assert len(long_file.name) <= MAX_NAME_CHARS
    names = {p.name for p in run.files}
    assert {
        "长阳镇_总工会_第二阶段_补报__报送表.xlsx",
        "长阳镇_总工会_第二阶段_补报__报送表 (2).xlsx",
    } <= names
    # A full-width colon is an ordinary character to Windows: it stays.
    assert {
        "CON_第二阶段_补报__报送表.xlsx",
        "北京燕房物流有限公司工会：_第二阶段_补报__报送表.xlsx",
        "城关街道总工会._第二阶段_补报__报送表.xlsx",  # a dot inside a name is fine
    } <= names


def test_briefing_folder_for_hostile_names_is_legal(tmp_path, monkeypatch):
    raw = _hostile_raw(tmp_path)
    monkeypatch.setattr(briefing, "execute_notebooks", lambda folder, parameters: [])
    monkeypatch.setattr(charts, "PNG_DPI", 40)
    reports = tmp_path / "reports"
    assert briefing.run(raw, tmp_path / "out", reports, round_code="r2") == 0
    (folder,) = reports.iterdir()
    assert folder.name == "2019-09-30_r2"
    assert (folder / "通报表.xlsx").exists() and (folder / "charts").is_dir()
    _assert_windows_legal(reports, "reports")
    _assert_windows_legal(tmp_path / "out", "data/processed")


# --------------------------------------------------------------------------- names not in UTF-8


def test_shown_name_decodes_names_saved_in_gbk_name_by_name():
    gbk = os.fsdecode("照片".encode("gbk"))  # as Linux lists a file a Windows tool named
    assert shown_name(f"submissions/长阳镇总工会/{gbk}.jpg") == "submissions/长阳镇总工会/照片.jpg"
    assert shown_name("submissions/长阳镇.xlsx") == "submissions/长阳镇.xlsx"
    assert shown_name(os.fsdecode(b"a/\xff.csv")) == "a/\ufffd.csv"  # neither: marked, written


@pytest.mark.skipif(sys.platform != "linux", reason="only Linux keeps names that are not UTF-8")
def test_ingest_reads_files_and_a_roster_named_in_gbk(tmp_path):
    """A GBK-named roster and submission (unzipped on UOS or Kylin) are read, and the
    tables name them in Chinese; the run does not stop on their names."""
    from analysis import ingest

    raw = tmp_path / "raw"
    roster = [
        ["基层工会名称", "上级工会", "类别", "会员人数"],
        ["长阳镇卫生院工会", "长阳镇总工会", "乡镇", 60],
    ]
    write_xlsx(raw / "roster" / os.fsdecode("名册.xlsx".encode("gbk")), roster)
    write_xlsx(raw / "submissions" / os.fsdecode("长阳镇总工会_第一阶段.xlsx".encode("gbk")), [
        ["填报单位：长阳镇总工会"],
        ["基层工会名称", "活动日期", "工作类别", "活动形式", "参加人数"],
        ["长阳镇卫生院工会", "2019-06-03", "切实抓好学习", "讨论会", 20],
    ])  # fmt: skip
    result = ingest.run(raw, tmp_path / "out", progress=False)
    assert result.rows["file"].tolist() == ["submissions/长阳镇总工会_第一阶段.xlsx"]
    assert result.rows["state"].tolist() == ["accepted"]
    written = (tmp_path / "out" / "submissions.csv").read_text(encoding="utf-8-sig")
    assert "submissions/长阳镇总工会_第一阶段.xlsx" in written
    # The second run reads the same names again.
    assert ingest.run(raw, tmp_path / "out", progress=False).rows["state"].tolist() == ["accepted"]


@pytest.mark.skipif(sys.platform != "linux", reason="only Linux keeps names that are not UTF-8")
def test_a_gbk_named_photo_is_opened_again_by_its_shown_name(tmp_path):
    """The album and the deck open a photo by the name materials.csv shows."""
    from analysis.campaign import load_campaign
    from analysis.materials.intake import MaterialReader

    folder = tmp_path / "submissions" / "长阳镇总工会"
    folder.mkdir(parents=True)
    (folder / os.fsdecode("照片.jpg".encode("gbk"))).write_bytes(b"jpeg")
    rel = "submissions/长阳镇总工会/照片.jpg"
    assert disk_path(tmp_path, rel).read_bytes() == b"jpeg"
    assert MaterialReader(tmp_path, load_campaign().limits).read(rel) == b"jpeg"
    assert not disk_path(tmp_path, "submissions/长阳镇总工会/别的.jpg").exists()


@pytest.mark.skipif(sys.platform != "linux", reason="only Linux keeps names that are not UTF-8")
def test_a_gbk_named_roster_beside_another_file_is_named_in_chinese(tmp_path):
    """The warning that the roster folder holds two files named the GBK roster with its
    undecodable bytes, and issues.csv could not be written: the run stopped."""
    from analysis import ingest

    raw = tmp_path / "raw"
    roster = [
        ["基层工会名称", "上级工会", "类别", "会员人数"],
        ["长阳镇卫生院工会", "长阳镇总工会", "乡镇", 60],
    ]
    write_xlsx(raw / "roster" / "旧名册.xlsx", roster)
    newest = raw / "roster" / os.fsdecode("名册.xlsx".encode("gbk"))
    write_xlsx(newest, roster)
    os.utime(raw / "roster" / "旧名册.xlsx", (1_000_000_000, 1_000_000_000))  # the GBK one is used
    (raw / "submissions").mkdir()
    result = ingest.run(raw, tmp_path / "out", progress=False)
    (warning,) = result.issues.loc[result.issues["code"] == "roster_several_files", "message"]
    assert "名册.xlsx" in warning and "旧名册.xlsx" in warning
    assert "名册.xlsx" in (tmp_path / "out" / "issues.csv").read_text(encoding="utf-8-sig")


def test_a_message_never_holds_undecodable_bytes():
    from analysis.messages import message_text

    gbk = os.fsdecode("名册.xlsx".encode("gbk"))
    text = message_text("roster_several_files", count=2, used=gbk, others="“a.xlsx”")
    assert "名册.xlsx" in text
    text.encode("utf-8")  # writable to a table and a terminal


@pytest.mark.skipif(sys.platform != "linux", reason="only Linux keeps names that are not UTF-8")
def test_gbk_names_that_happen_to_be_valid_utf8_are_shown_in_chinese(tmp_path):
    """图片 and 通知 in GBK (CD BC C6 AC, CD A8 D6 AA) are also valid UTF-8 (“ͼƬ”, “֪ͨ”):
    a folder unzipped on UOS or Kylin from a Windows zip is named so on disk. It is shown
    in Chinese, as the same name inside a zip is (archives.member_names), and opened again
    by that name; a name in UTF-8 (Chinese, or accented Latin) stays as it is."""
    import pandas as pd

    from analysis import ingest
    from tests.fixtures import make_materials as mm

    assert shown_name(os.fsdecode("图片/通知.docx".encode("gbk"))) == "图片/通知.docx"
    assert shown_name("submissions/长阳镇/图片.jpg") == "submissions/长阳镇/图片.jpg"
    assert shown_name("résumé.docx") == "résumé.docx"
    raw = tmp_path / "raw"
    write_xlsx(raw / "roster" / "名册.xlsx", [
        ["基层工会名称", "上级工会", "类别", "会员人数"],
        ["长阳镇卫生院工会", "长阳镇总工会", "乡镇", 60],
    ])  # fmt: skip
    folder = os.fsencode(raw / "submissions" / "长阳镇" / "第一阶段") + b"/" + "图片".encode("gbk")
    os.makedirs(folder)
    with open(folder + b"/" + "合影.jpg".encode("gbk"), "wb") as fh:
        fh.write(mm.jpeg(mm.picture(1)))
    with open(folder + b"/" + "通知.jpg".encode("gbk"), "wb") as fh:
        fh.write(mm.jpeg(mm.picture(2)))
    ingest.run(raw, tmp_path / "out", progress=False)
    table = pd.read_csv(tmp_path / "out" / "materials.csv", dtype=str, keep_default_na=False)
    assert table[["file", "reporting_unit", "round", "state"]].values.tolist() == [
        ["submissions/长阳镇/第一阶段/图片/合影.jpg", "长阳镇总工会", "r1", "current"],
        ["submissions/长阳镇/第一阶段/图片/通知.jpg", "长阳镇总工会", "r1", "current"],
    ]
    assert disk_path(raw, "submissions/长阳镇/第一阶段/图片/通知.jpg").is_file()
