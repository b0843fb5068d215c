"""Reading submission files: formats by magic bytes, true cell positions, merged ranges,
CSV encodings, and rejection of empty, corrupt, encrypted, oversized and hostile files."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import struct
import time
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook as XlsxBook

from analysis import readers
from analysis.campaign import Limits
from analysis.model import FileRejected
from analysis.readers import detect_format, read_workbook
from analysis.tables import find_tables

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SMALL = Limits(
    max_uncompressed_bytes=2 * 2**20, max_rows_per_sheet=1000, max_cells_per_workbook=50_000
)


def xlsx(
    path: Path, cells: dict[str, object], sheet: str = "Sheet1", merge: tuple[str, ...] = ()
) -> Path:
    wb = XlsxBook()
    ws = wb.active
    ws.title = sheet
    for ref, value in cells.items():
        ws[ref] = value
    for rng in merge:
        ws.merge_cells(rng)
    wb.save(path)
    return path


def rewrite_member(src: Path, dst: Path, member: str, change) -> Path:
    """Copy an xlsx, passing one member's bytes through `change`."""
    with (
        zipfile.ZipFile(src) as zin,
        zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zout,
    ):
        for info in zin.infolist():
            data = zin.read(info.filename)
            zout.writestr(info, change(data) if info.filename == member else data)
    return dst


def compound_file(streams: list[str]) -> bytes:
    """A minimal OLE2 compound file whose directory lists `streams` (empty streams)."""
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIII", header, 0x2C, 1, 1, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
    struct.pack_into("<109I", header, 0x4C, 0, *([0xFFFFFFFF] * 108))
    fat = struct.pack("<128I", 0xFFFFFFFD, 0xFFFFFFFE, *([0xFFFFFFFF] * 126))
    directory = bytearray(512)
    names = ["Root Entry", *streams]
    none = 0xFFFFFFFF  # no sibling / child
    for k, name in enumerate(names):
        encoded = name.encode("utf-16le") + b"\x00\x00"
        directory[k * 128 : k * 128 + len(encoded)] = encoded
        struct.pack_into("<HBB", directory, k * 128 + 64, len(encoded), 5 if k == 0 else 2, 1)
        # The tree: the root's child is the first stream, each stream's right sibling the next.
        child = 1 if k == 0 and streams else none
        right = k + 1 if 0 < k < len(names) - 1 else none
        struct.pack_into("<III", directory, k * 128 + 0x44, none, right, child)
        struct.pack_into("<II", directory, k * 128 + 0x74, 0xFFFFFFFE, 0)  # empty stream
    return bytes(header) + fat + bytes(directory)


# --- formats --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("lo_submission.xlsx", "xlsx"),
        ("lo_submission.xls", "xls"),
        ("lo_submission.ods", "ods"),
    ],
)
def test_detect_format_from_real_files(name, expected):
    assert detect_format(FIXTURES / name) == expected


def test_detect_format_ignores_misleading_extension(tmp_path):
    real = xlsx(tmp_path / "a.xlsx", {"A1": "x"})
    disguised = tmp_path / "a.csv"
    disguised.write_bytes(real.read_bytes())
    assert detect_format(disguised) == "xlsx"
    et = tmp_path / "wps.et"
    et.write_bytes((FIXTURES / "lo_submission.xls").read_bytes())
    assert detect_format(et) == "xls"
    assert read_workbook(et).sheets[0].name == "活动情况"


def test_detect_format_xlsm_by_extension_or_vba(tmp_path):
    src = xlsx(tmp_path / "a.xlsx", {"A1": "x"})
    renamed = tmp_path / "a.xlsm"
    renamed.write_bytes(src.read_bytes())
    assert detect_format(renamed) == "xlsm"
    with zipfile.ZipFile(src, "a") as zf:
        zf.writestr("xl/vbaProject.bin", b"\x00" * 10)
    assert detect_format(src) == "xlsm"


# --- grids ----------------------------------------------------------------------------


def test_read_workbook_keeps_true_cell_positions_and_merges(tmp_path):
    path = xlsx(tmp_path / "a.xlsx", {"C3": "标题", "D5": 5}, merge=("C3:E3",))
    [sheet] = read_workbook(path).sheets
    assert sheet.rows[2][2] == "标题"  # row 3, column C: not shifted to the first used cell
    assert sheet.rows[4][3] == 5
    assert sheet.rows[0][0] is None and len(sheet.rows) == 5
    assert sheet.merged == [(2, 2, 2, 4)]


def test_read_workbook_flags_hidden_sheets(tmp_path):
    wb = XlsxBook()
    wb.active["A1"] = "可见"
    hidden = wb.create_sheet("隐藏")
    hidden["A1"] = "x"
    hidden.sheet_state = "hidden"
    wb.save(tmp_path / "h.xlsx")
    book = read_workbook(tmp_path / "h.xlsx")
    assert [(s.name, s.hidden) for s in book.sheets] == [("Sheet", False), ("隐藏", True)]


@pytest.mark.parametrize("name", ["lo_submission.xlsx", "lo_submission.xls", "lo_submission.ods"])
def test_read_workbook_libreoffice_fixture_same_grid_and_table(name, campaign):
    book = read_workbook(FIXTURES / name)
    sheet, hidden = book.sheets
    assert (sheet.name, sheet.hidden, hidden.name, hidden.hidden) == (
        "活动情况",
        False,
        "旧表",
        True,
    )
    assert sheet.rows[0][0] == "长阳镇总工会学习宣传市工会十四大精神活动统计表"
    assert sheet.rows[4][2] in (dt.date(2019, 6, 3), dt.datetime(2019, 6, 3))
    assert sheet.rows[4][5] == 45 and sheet.rows[5][5] == "约30人"
    assert (
        (0, 0, 0, 6) in sheet.merged
        and (2, 5, 2, 6) in sheet.merged
        and (2, 0, 3, 0) in sheet.merged
    )
    [table] = find_tables(sheet, campaign, name)
    assert table.header_row == 4 and table.columns["participants"] == 5
    assert table.header.reporting_unit == "长阳镇总工会"
    assert table.header.report_date == "2019年7月3日"
    assert [(r.row, r.kind) for r in table.rows] == [(5, "data"), (6, "data"), (8, "total")]


def test_read_workbook_xls_written_by_xlwt(tmp_path):
    import xlwt

    book = xlwt.Workbook()
    ws = book.add_sheet("活动")
    ws.write_merge(0, 0, 0, 3, "标题")
    ws.write(2, 1, "长阳镇卫生院工会")
    ws.write(2, 2, 30)
    book.save(str(tmp_path / "a.xls"))
    [sheet] = read_workbook(tmp_path / "a.xls").sheets
    assert sheet.rows[0][0] == "标题" and sheet.rows[2][1:3] == ["长阳镇卫生院工会", 30]
    assert sheet.merged == [(0, 0, 0, 3)]


def test_xls_container_parsed_once(tmp_path, monkeypatch):
    """A legacy workbook's compound file is parsed once a read: the format check (and
    password check) hands its BIFF stream to the strike-through and hidden-row checks,
    which each parsed the container again before."""
    import olefile
    import xlrd.compdoc
    import xlwt

    parses = []
    for owner, label in ((olefile.OleFileIO, "olefile"), (xlrd.compdoc.CompDoc, "compdoc")):
        original = owner.__init__

        def spy(self, *args, _original=original, _label=label, **kwargs):
            parses.append(_label)
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(owner, "__init__", spy)

    book = xlwt.Workbook()
    ws = book.add_sheet("活动")
    ws.write(0, 0, "基层工会名称")
    ws.write(1, 0, "长阳镇卫生院工会")
    ws.write(1, 1, 30)
    book.save(str(tmp_path / "plain.xls"))
    [sheet] = read_workbook(tmp_path / "plain.xls").sheets
    assert sheet.rows[1][:2] == ["长阳镇卫生院工会", 30] and not sheet.struck
    assert parses == ["olefile"]

    # With a struck cell and a hidden row, both are still found from the stream handed on
    # (xlrd then opens the file for its formatting, as before).
    book = xlwt.Workbook()
    ws = book.add_sheet("活动")
    struck = xlwt.easyxf("font: struck_out on")
    ws.write(0, 0, "基层工会名称")
    ws.write(1, 0, "长阳镇卫生院工会", struck)
    ws.write(2, 0, "长阳镇中心小学工会")
    ws.row(2).hidden = True
    book.save(str(tmp_path / "marked.xls"))
    workbook = read_workbook(tmp_path / "marked.xls")
    assert workbook.sheets[0].struck == frozenset({(1, 0)})
    assert [i.code for i in workbook.issues] == ["rows_hidden"]


def escaped_xlsx(path: Path, shared: list[str], inline: list[str]) -> Path:
    """A workbook written by hand: column A the shared strings, column B the inline ones,
    each text put into the XML as given (escapes and all)."""
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    rows = "".join(
        f'<row r="{k + 1}"><c r="A{k + 1}" t="s"><v>{k}</v></c>'
        f'<c r="B{k + 1}" t="inlineStr"><is><t>{text}</t></is></c></row>'
        for k, text in enumerate(inline)
    )
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            f'<workbook {ns} xmlns:r="{rel}"><sheets>'
            '<sheet name="活动" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>"
        ),
        "xl/sharedStrings.xml": f"<sst {ns}>"
        + "".join(f"<si><t>{text}</t></si>" for text in shared)
        + "</sst>",
        "xl/worksheets/sheet1.xml": f"<worksheet {ns}><sheetData>{rows}</sheetData></worksheet>",
    }
    with zipfile.ZipFile(path, "w") as zf:
        for name, text in parts.items():
            zf.writestr(name, '<?xml version="1.0" encoding="UTF-8"?>' + text)
    return path


def test_ooxml_escapes_read_as_excel_shows_them(tmp_path):
    """`_xHHHH_` in shared and inline strings is the character HHHH (ECMA-376 ST_Xstring,
    as Excel shows it); `_x005F_` is an underscore, so `_x005F_x4E2D_` is the text
    `_x4E2D_`. calamine decodes only up to _x00FF_; the higher ones were left as written."""
    texts = [
        "长阳镇卫生院工会_xFFFE_",  # a character XML cannot hold, as Excel writes it
        "_x957F__x9633_镇总工会",  # 长阳 escaped by an exporting system
        "_x005F_x4E2D_",  # an escaped underscore: the text stays _x4E2D_
        "a_x000D_b",  # what calamine already decoded
        "_xD83D__xDE00_",  # a surrogate pair: one character
        "_xD83D_",  # a lone surrogate is no character: kept as written
        "B2_x4E2D",  # no escape
    ]
    shown = [
        "长阳镇卫生院工会\ufffe",
        "长阳镇总工会",
        "_x4E2D_",
        "a\rb",
        "\U0001f600",
        "_xD83D_",
        "B2_x4E2D",
    ]
    [sheet] = read_workbook(escaped_xlsx(tmp_path / "a.xlsx", texts, texts)).sheets
    assert [row[0] for row in sheet.rows] == shown
    assert [row[1] for row in sheet.rows] == shown


def test_read_workbook_ods_written_by_pandas(tmp_path):
    path = tmp_path / "a.ods"
    pd.DataFrame({"基层工会名称": ["长阳镇卫生院工会"], "参加人数": [30]}).to_excel(
        path, engine="odf", index=False
    )
    book = read_workbook(path)
    assert book.format == "ods"
    assert book.sheets[0].rows == [["基层工会名称", "参加人数"], ["长阳镇卫生院工会", 30]]


CSV_TEXT = "基层工会名称,活动日期,参加人数\n长阳镇卫生院工会,2019年6月3日,约50人\n,,\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_read_workbook_csv_encodings(tmp_path, encoding):
    path = tmp_path / "长阳镇总工会.csv"
    path.write_bytes(CSV_TEXT.encode(encoding))
    book = read_workbook(path)
    assert book.format == "csv"
    [sheet] = book.sheets
    assert sheet.name == "长阳镇总工会"
    assert sheet.rows[:2] == [
        ["基层工会名称", "活动日期", "参加人数"],
        ["长阳镇卫生院工会", "2019年6月3日", "约50人"],
    ]
    assert sheet.rows[2] == [None, None, None]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_read_workbook_utf16_csv_without_a_bom(tmp_path, encoding):
    """Some export tools write UTF-16 without the byte order mark Excel writes."""
    text = "基层工会名称,活动日期,参加人数\r\n长阳镇卫生院工会,2019-06-03,20\r\n"
    path = tmp_path / "报送表.csv"
    path.write_bytes(text.encode(encoding))
    rows = read_workbook(path).sheets[0].rows
    assert rows == [
        ["基层工会名称", "活动日期", "参加人数"],
        ["长阳镇卫生院工会", "2019-06-03", "20"],
    ]


def test_a_csv_with_a_few_undecodable_bytes_is_read_and_those_rows_named(tmp_path):
    """A name pasted from a GBK file into a UTF-8 one, a GBK file cut inside a character:
    the rest is read; the rows with characters no encoding reads are named."""
    lines = ["基层工会名称,活动日期,参加人数", "长阳镇卫生院工会,2019-06-03,20"]
    lines += [f"长阳镇第一小学工会,2019-06-{day:02d},30" for day in range(5, 9)]
    utf8 = "\r\n".join(lines).encode("utf-8")
    mixed = utf8.replace("卫生院".encode(), "卫生院".encode("gbk"))
    path = tmp_path / "报送表.csv"
    path.write_bytes(mixed)
    book = read_workbook(path)
    rows = book.sheets[0].rows
    assert (
        rows[0] == ["基层工会名称", "活动日期", "参加人数"] and rows[2][0] == "长阳镇第一小学工会"
    )
    assert "\ufffd" in rows[1][0] and rows[1][1:] == ["2019-06-03", "20"]
    (issue,) = book.issues
    assert (issue.code, issue.severity, issue.row) == ("text_undecodable", "warning", 2)
    assert "第2行有文字无法识别" in issue.message
    cut = "\r\n".join([*lines, "本级,2019-06-09,30人"]).encode("gbk")[:-1]  # 人 cut in half
    path.write_bytes(cut)
    book = read_workbook(path)
    assert book.sheets[0].rows[1] == ["长阳镇卫生院工会", "2019-06-03", "20"]
    assert book.sheets[0].rows[6] == ["本级", "2019-06-09", "30\ufffd"]
    assert [i.row for i in book.issues] == [7]


def test_bytes_mostly_in_no_encoding_are_still_not_a_spreadsheet(tmp_path):
    path = tmp_path / "报送表.csv"
    path.write_bytes(("基层工会名称,参加人数\r\n" * 3).encode() + bytes(range(0x80, 0x100)) * 4)
    with pytest.raises(FileRejected) as caught:
        read_workbook(path)
    assert caught.value.code == "not_a_spreadsheet"


def test_read_workbook_tab_separated_text(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(CSV_TEXT.replace(",", "\t"), encoding="utf-8")
    assert read_workbook(path).sheets[0].rows[1][2] == "约50人"


def test_read_workbook_formula_cached_value_only(tmp_path):
    path = xlsx(tmp_path / "f.xlsx", {"A1": 2, "A2": 3, "A3": "=SUM(A1:A2)"})
    book = read_workbook(path)
    assert book.sheets[0].rows[:2] == [[2], [3]]
    assert len(book.sheets[0].rows) == 2 or book.sheets[0].rows[2] == [None]  # never evaluated
    [issue] = book.issues
    assert (issue.code, issue.sheet, issue.row, issue.column, issue.severity) == (
        "formula_no_value",
        "Sheet1",
        3,
        "A",
        "warning",
    )


def test_read_workbook_never_writes_the_file(tmp_path):
    path = FIXTURES / "lo_submission.xlsx"
    before = (path.stat().st_mtime_ns, path.read_bytes())
    read_workbook(path)
    assert (path.stat().st_mtime_ns, path.read_bytes()) == before


# --- rejected files -----------------------------------------------------------------------


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("empty.xlsx", b"", "empty"),
        ("random.xlsx", bytes(range(256)) * 40, "not_a_spreadsheet"),
        ("report.xlsx", docx_bytes(), "not_a_spreadsheet"),
        ("scan.xlsx", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "not_a_spreadsheet"),
        ("photo.xls", b"\xff\xd8\xff\xe0" + bytes(100), "not_a_spreadsheet"),
        (
            "encrypted.xlsx",
            compound_file(["EncryptionInfo", "EncryptedPackage"]),
            "password_protected",
        ),
        ("letter.xls", compound_file(["WordDocument"]), "not_a_spreadsheet"),
        ("other.zip.xlsx", b"PK\x05\x06" + bytes(18), "not_a_spreadsheet"),
    ],
)
def test_read_workbook_rejects_bad_file(tmp_path, name, content, code):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(FileRejected) as info:
        read_workbook(path)
    assert info.value.code == code
    assert name in info.value.message and "请" in info.value.message  # says what to do, in Chinese


def test_read_workbook_rejects_truncated_xlsx(tmp_path):
    whole = (FIXTURES / "lo_submission.xlsx").read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(FileRejected) as info:
        read_workbook(path)
    assert info.value.code == "corrupt"


@pytest.mark.parametrize("name", ["password.xls", "名单.xlsx", "名单.et", "名单.csv"])
def test_read_workbook_rejects_password_xls_fixture_whatever_its_name(tmp_path, name):
    """An encrypted legacy workbook is told by its bytes: renamed, it is not 'damaged'."""
    path = tmp_path / name
    path.write_bytes((FIXTURES / "password.xls").read_bytes())
    with pytest.raises(FileRejected) as info:
        read_workbook(path)
    assert info.value.code == "password_protected"
    # The same workbook without a password reads, under any of those names.
    path.write_bytes((FIXTURES / "lo_submission.xls").read_bytes())
    assert read_workbook(path).format == "xls"


def test_read_workbook_rejects_file_over_size_limit(tmp_path):
    path = xlsx(tmp_path / "a.xlsx", {"A1": "x"})
    with pytest.raises(FileRejected) as info:
        read_workbook(path, Limits(max_file_bytes=1000))
    assert info.value.code == "too_large"


def _bomb(path: Path, size: int) -> Path:
    """A valid xlsx whose sheet XML is padded with `size` bytes of whitespace (compresses ~1000x)."""
    src = xlsx(path.with_name("src.xlsx"), {"A1": "x"})
    return rewrite_member(
        src,
        path,
        "xl/worksheets/sheet1.xml",
        lambda d: d.replace(b"<sheetData>", b"<sheetData>" + b" " * size),
    )


def test_read_workbook_rejects_zip_over_uncompressed_limit(tmp_path):
    path = _bomb(
        tmp_path / "big.xlsx", 3 * 2**20
    )  # 3 MiB declared, limit 2 MiB; ratio limit raised
    with pytest.raises(FileRejected) as info:
        read_workbook(path, Limits(max_uncompressed_bytes=2 * 2**20, max_compression_ratio=10_000))
    assert info.value.code == "too_large"


def test_read_workbook_rejects_zip_bomb_ratio(tmp_path):
    path = _bomb(tmp_path / "bomb.xlsx", 4 * 2**20)  # under the size limits, over the ratio limit
    with pytest.raises(FileRejected) as info:
        read_workbook(path)
    assert info.value.code == "zip_bomb"


@pytest.mark.slow
def test_read_workbook_rejects_big_zip_bomb_fast(tmp_path):
    path = _bomb(tmp_path / "bomb.xlsx", 400 * 2**20)
    assert path.stat().st_size < 3 * 2**20
    start = time.perf_counter()
    with pytest.raises(FileRejected) as info:
        read_workbook(path)
    assert info.value.code == "zip_bomb"
    assert time.perf_counter() - start < 1.0  # decided from the central directory, nothing inflated


def test_read_workbook_rejects_member_larger_than_declared(tmp_path):
    src = _bomb(tmp_path / "honest.xlsx", 100_000)
    data = bytearray(src.read_bytes())
    with zipfile.ZipFile(src) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
    # Lower the declared size in the central directory (and local header) only.
    old, new = struct.pack("<I", info.file_size), struct.pack("<I", 1000)
    data = data.replace(old, new)
    lying = tmp_path / "lying.xlsx"
    lying.write_bytes(bytes(data))
    with pytest.raises(FileRejected) as info:
        read_workbook(lying)
    assert info.value.code in ("zip_bomb", "corrupt")


@pytest.mark.parametrize(
    ("doctype", "entity"),
    [
        (
            '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
            '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>',
            "&lol3;",
        ),
        ('<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', "&xxe;"),
    ],
    ids=["billion_laughs", "xxe"],
)
def test_read_workbook_refuses_xml_entities(tmp_path, doctype, entity):
    src = xlsx(tmp_path / "src.xlsx", {"A1": "MARK"})

    def inject(xml: bytes) -> bytes:
        xml = xml.split(b"?>", 1)[-1] if xml.startswith(b"<?xml") else xml
        return b'<?xml version="1.0"?>' + doctype.encode() + xml.replace(b"MARK", entity.encode())

    path = rewrite_member(src, tmp_path / "evil.xlsx", "xl/worksheets/sheet1.xml", inject)
    with pytest.raises(FileRejected) as info:
        read_workbook(path)
    assert info.value.code == "hostile_xml"
    assert "root:" not in info.value.message


def test_read_workbook_refuses_ods_entities(tmp_path):
    path = tmp_path / "a.ods"
    pd.DataFrame({"a": ["MARK"]}).to_excel(path, engine="odf", index=False)
    evil = rewrite_member(
        path,
        tmp_path / "evil.ods",
        "content.xml",
        lambda x: (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            + x.split(b"?>", 1)[-1].replace(b"MARK", b"&xxe;")
        ),
    )
    with pytest.raises(FileRejected) as info:
        read_workbook(evil)
    assert info.value.code in ("corrupt", "hostile_xml")


def test_openpyxl_uses_defusedxml():
    assert openpyxl.DEFUSEDXML is True


@pytest.mark.parametrize(
    "change",
    [
        lambda d: re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', d),
        # No dimension, but a real cell at XFD1048576: calamine would allocate 17 billion cells.
        lambda d: re.sub(rb'<dimension ref="[^"]*"/>', b"", d).replace(
            b"</row>", b'</row><row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row>'
        ),
    ],
    ids=["declared", "actual"],
)
def test_read_workbook_rejects_whole_sheet_extent(tmp_path, change):
    src = xlsx(tmp_path / "src.xlsx", {"A1": "x"})
    path = rewrite_member(src, tmp_path / "huge.xlsx", "xl/worksheets/sheet1.xml", change)
    with pytest.raises(FileRejected) as info:
        read_workbook(path)
    assert info.value.code == "too_large"
    assert "1048576" in info.value.message


_FAR_ROW = b'<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row>'


@pytest.mark.parametrize(
    "change",
    [
        # The dimension and the last row agree (A1:B3), a row in between lies.
        lambda d: d.replace(b'<row r="3">', _FAR_ROW + b'<row r="3">'),
        # The last row below the declared range.
        lambda d: d.replace(b"</sheetData>", _FAR_ROW + b"</sheetData>"),
        # No dimension, references in single quotes (XML allows them, and calamine).
        lambda d: re.sub(rb'<dimension ref="[^"]*"/>', b"", d).replace(
            b'<row r="3">', _FAR_ROW.replace(b'"', b"'") + b'<row r="3">'
        ),
        # A row in between, after an attribute ending in r (operator="between").
        lambda d: d.replace(
            b'<row r="3">',
            b'<row r="2" spans="1:2" operator="between"/>' + _FAR_ROW + b'<row r="3">',
        ),
    ],
    ids=["row_in_between", "last_row_below", "single_quotes", "after_operator"],
)
def test_read_workbook_rejects_cells_beyond_a_lying_dimension(tmp_path, change, monkeypatch):
    # Refused before calamine allocates a grid for them (it would abort the process).
    from analysis import readers

    src = xlsx(tmp_path / "src.xlsx", {"A1": "x", "B3": 2})
    path = rewrite_member(src, tmp_path / "lying.xlsx", "xl/worksheets/sheet1.xml", change)
    monkeypatch.setattr(readers, "_open_book", lambda *a: pytest.fail("calamine reached"))
    with pytest.raises(FileRejected) as info:
        read_workbook(path)
    assert info.value.code == "too_large"


@pytest.mark.parametrize(
    ("xml", "bound"),
    [
        # Declared A1:H880: 3 digits and 1 letter bound the sheet at 999 rows, 26 columns.
        (b'<dimension ref="A1:H880"/><sheetData><row r="880"><c r="H880"/></row></sheetData>',
         (999, 26)),
        # No dimension: the last row (r=12, cells up to AB) gives the bound.
        (b'<sheetData><row r="1"><c r="A1"/></row><row r="12"><c r="AB12"/></row></sheetData>',
         (99, 702)),
        # Disagreeing, or beyond the bound somewhere: no bound, every reference is read.
        (b'<dimension ref="A1:H8"/><sheetData><row r="12"><c r="A12"/></row></sheetData>', None),
        (b'<dimension ref="A1:H8"/><sheetData><row r="2"><c r="AA2"/></row>'
         b'<row r="8"><c r="A8"/></row></sheetData>', None),
        (b'<sheetData><row r="100"><c r="A100"/></row><row r="9"><c r="A9"/></row></sheetData>',
         None),
        (b"<dimension ref=\"A1:B2\"/><sheetData></sheetData>", None),  # no row element
        # An attribute ending in r is no reference (a data validation's operator="between"
        # over a bound of one letter), but a reference beyond the bound after it is.
        (b'<dimension ref="A1:H8"/><sheetData><row r="8"><c r="H8"/></row></sheetData>'
         b'<dataValidations><dataValidation operator="between" sqref="C2"/></dataValidations>',
         (9, 26)),
        (b'<dimension ref="A1:H8"/><sheetData><row r="8"><c r="H8"/></row></sheetData>'
         b'<dataValidations><dataValidation operator="between" sqref="C2"/></dataValidations>'
         b'<x r="AB12"/>', None),
    ],
)  # fmt: skip
def test_declared_extent_bounds_or_defers_to_full_scan(xml, bound):
    from analysis import readers

    dimension = re.search(rb'<dimension\b[^>]*\bref="[A-Z]*[0-9]*:?([A-Z]{1,3})([0-9]{1,7})"', xml)
    assert readers._declared_extent(xml, dimension) == bound
    if bound is not None:  # an upper bound of what the full scan measures
        height, width = readers._scanned_extent(xml)
        assert height <= bound[0] and width <= bound[1]


def test_read_workbook_loose_bound_falls_back_to_exact_extent(tmp_path):
    # 1001 rows: the bound (9999 rows) is over SMALL's 1000-row limit, so the rows are
    # counted exactly and the message says 1001. 999 rows: the bound (999) passes.
    path = xlsx(tmp_path / "long.xlsx", {"A1": "x", "A1001": "y"})
    with pytest.raises(FileRejected) as info:
        read_workbook(path, SMALL)
    assert info.value.code == "too_large" and "1001 行" in info.value.message
    path = xlsx(tmp_path / "ok.xlsx", {"A1": "x", "A999": "y"})
    assert len(read_workbook(path, SMALL).sheets[0].rows) == 999


def test_read_workbook_rejects_too_many_cells(tmp_path):
    wb = XlsxBook()
    ws = wb.active
    for i in range(1, 300):
        ws.cell(i, 200, i)
    ws["A1"] = "x"
    wb.save(tmp_path / "wide.xlsx")
    with pytest.raises(FileRejected) as info:
        read_workbook(tmp_path / "wide.xlsx", SMALL)
    assert info.value.code == "too_large"


def test_read_workbook_later_sheet_measured_against_the_true_extent_of_earlier_ones(tmp_path):
    """A first sheet passed on its declared bound (A1:E100: at most 999 x 26 cells) and a
    later sheet whose declared range is wrong (A1, so its cells are counted): the total
    is of true extents, not of the first sheet's bound, in the verdict and the message."""

    def workbook(path: Path, rows: int, cols: int) -> Path:
        wb = XlsxBook()
        first = wb.active
        first.title = "第一页"
        for r in range(1, 101):
            for c in range(1, 6):
                first.cell(r, c, 1)
        later = wb.create_sheet("明细")
        later["A1"] = "x"
        for r in range(1, rows + 1):
            later.cell(r, cols, r)
        wb.save(tmp_path / "made.xlsx")
        return rewrite_member(
            tmp_path / "made.xlsx", path, "xl/worksheets/sheet2.xml",
            lambda xml: re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1"/>', xml),
        )  # fmt: skip

    # 500 + 300 x 100 cells: under SMALL's 50,000 (the bound made it 55,974).
    book = read_workbook(workbook(tmp_path / "fits.xlsx", 300, 100), SMALL)
    assert [(s.name, len(s.rows)) for s in book.sheets] == [("第一页", 100), ("明细", 300)]
    with pytest.raises(FileRejected) as info:  # 500 + 300 x 200 cells
        read_workbook(workbook(tmp_path / "wide.xlsx", 300, 200), SMALL)
    assert info.value.code == "too_large" and "约 60500 个" in info.value.message
    with pytest.raises(FileRejected) as info:  # too many rows: the later sheet is named
        read_workbook(workbook(tmp_path / "long.xlsx", 1001, 2), SMALL)
    assert "工作表“明细”有 1001 行" in info.value.message


def test_read_workbook_rejects_csv_over_row_limit(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text("a,b\n" + "1,2\n" * 1500, encoding="utf-8")
    with pytest.raises(FileRejected) as info:
        read_workbook(path, SMALL)
    assert info.value.code == "too_large"


@pytest.mark.slow
def test_read_workbook_speed_close_to_calamine(tmp_path):
    """Our checks cost little next to calamine's own parse (a 2000-row submission)."""
    import python_calamine as pc

    wb = XlsxBook()
    ws = wb.active
    ws.append(["序号", "基层工会名称", "活动日期", "工作类别", "活动形式", "参加人数"])
    for i in range(2000):
        ws.append([i, f"第{i}工会", dt.date(2019, 6, 3), "切实抓好学习", "座谈会", 50])
    wb.save(tmp_path / "big.xlsx")
    path = tmp_path / "big.xlsx"

    def best(fn, n=5):
        times = []
        for _ in range(n):
            t = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t)
        return min(times)

    ours = best(lambda: read_workbook(path))
    bare = best(lambda: pc.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python())
    assert ours < bare * 3 + 0.01, (ours, bare)


def test_read_workbook_warns_on_macro_and_external_link(tmp_path):
    src = xlsx(tmp_path / "m.xlsm", {"A1": 30})
    with zipfile.ZipFile(src, "a") as zf:
        zf.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0" + b"Sub Auto_Open()\n")
        zf.writestr("xl/externalLinks/externalLink1.xml", "<externalLink/>")
    book = read_workbook(src)
    assert book.format == "xlsm" and book.sheets[0].rows == [[30]]
    assert [(i.code, i.severity) for i in book.issues] == [
        ("macro_ignored", "warning"),
        ("external_link_ignored", "warning"),
    ]


class _FakeSheet:
    def __init__(self, rows):
        self.rows = rows

    def to_python(self, skip_empty_area=True):
        return [list(r) for r in self.rows]


@pytest.mark.parametrize(
    "row, expected",
    [
        (["", "", ""], [None, None, None]),
        (["a", "", 0, "", False, ""], ["a", None, 0, None, False, None]),
        ([0, 0.0, False, " ", "x"], [0, 0.0, False, " ", "x"]),
        ([], []),
        ([dt.date(2019, 6, 3), ""], [dt.date(2019, 6, 3), None]),
    ],
)
def test_grid_empty_strings_become_none_and_nothing_else(row, expected):
    from analysis.readers import _grid

    [got] = _grid(_FakeSheet([row]))
    assert got == expected
    assert [type(v) for v in got] == [type(v) for v in expected]


def test_read_workbook_blank_cells_are_none_between_values(tmp_path):
    book = XlsxBook()
    book.active.append(["a", None, 0, None, False, "b"])
    book.active.append([None, None, "c"])
    book.save(tmp_path / "b.xlsx")
    [sheet] = read_workbook(tmp_path / "b.xlsx").sheets
    assert sheet.rows == [["a", None, 0, None, False, "b"], [None, None, "c", None, None, None]]


@pytest.mark.parametrize(
    ("sample", "second_row"),
    [
        ("序号,单位,人数\n1,长阳镇,50\n2,本级,30\n", ["1", "长阳镇", "50"]),
        ("序号\t单位\t人数\n1\t长阳镇\t50\n", ["1", "长阳镇", "50"]),
        ("a;b;c\n1;2;3\n4;5;6\n", ["1", "2", "3"]),
        ('"a","b"\n"1","2"\n', ["1", "2"]),
        ("只有一列\n第二行\n", ["第二行"]),
    ],
)
def test_csv_delimiter_sniffed(tmp_path, sample, second_row):
    path = tmp_path / "t.csv"
    path.write_text(sample, encoding="utf-8")
    assert read_workbook(path).sheets[0].rows[1] == second_row


_BLOCK = ["填报单位{d}长阳镇总工会", "填报日期{d}2019-07-01",
          "基层工会名称{d}活动日期{d}参加人数", "长阳镇第一小学{d}2019-06-03{d}30"]  # fmt: skip


@pytest.mark.parametrize("delimiter", ["\t", ";", ","])
def test_csv_with_a_header_block_is_split_at_its_delimiter(tmp_path, delimiter):
    """Lines of two cells above the table leave the sniffer without a consistent
    delimiter (Excel's tab-delimited text export of the template, a WPS export with
    semicolons): the delimiter is the one found on most lines, never one column."""
    path = tmp_path / "报送表.txt"
    path.write_text("\n".join(_BLOCK).format(d=delimiter) + "\n", encoding="utf-8")
    rows = read_workbook(path).sheets[0].rows
    assert rows[0] == ["填报单位", "长阳镇总工会"]
    assert rows[3] == ["长阳镇第一小学", "2019-06-03", "30"]


def test_prose_saved_as_csv_is_not_cut_at_its_chinese_commas(tmp_path):
    path = tmp_path / "说明.csv"
    text = "活动情况说明\n\n各基层工会认真组织学习，广泛宣传，取得实效。\n职工参与，反响热烈，效果良好。\n"
    path.write_text(text, encoding="utf-8")
    assert read_workbook(path).sheets[0].rows[2] == ["各基层工会认真组织学习，广泛宣传，取得实效。"]


def test_csv_with_commas_in_its_text_keeps_the_tab_it_is_split_at(tmp_path):
    lines = [*_BLOCK[:2], "基层工会名称{d}活动形式{d}参加人数", "长阳镇一小{d}学习,讨论{d}30"]
    path = tmp_path / "t.txt"
    path.write_text("\n".join(lines).format(d="\t"), encoding="utf-8")
    assert read_workbook(path).sheets[0].rows[3] == ["长阳镇一小", "学习,讨论", "30"]


def test_gc_paused_turns_the_collector_off_inside_and_restores_it():
    import gc

    from analysis.model import gc_paused

    seen = []

    @gc_paused
    def work(fail: bool) -> int:
        seen.append(gc.isenabled())
        if fail:
            raise ValueError("boom")
        return 7

    assert gc.isenabled()
    assert work(False) == 7 and seen == [False] and gc.isenabled()
    with pytest.raises(ValueError):
        work(True)
    assert seen == [False, False] and gc.isenabled()
    gc.disable()  # a caller that turned it off keeps it off
    try:
        assert work(False) == 7 and not gc.isenabled()
    finally:
        gc.enable()
    assert work.__name__ == "work"


def _dialect(sniffer, sample: str, delimiters: str | None):
    try:
        d = sniffer.sniff(sample, delimiters=delimiters)
    except csv.Error as exc:
        return str(exc)
    return (d.delimiter, d.skipinitialspace, d.quotechar, d.doublequote, d.lineterminator)


@settings(max_examples=400, deadline=None)
@given(
    lines=st.lists(
        st.text(alphabet=st.sampled_from(list("a1,;\t， \"'x|:")), max_size=14), max_size=25
    ),
    delimiters=st.sampled_from([readers.CSV_DELIMITERS, None, ",;", "|:"]),
)
def test_csv_sniffer_answers_as_the_standard_one(lines, delimiters):
    sample = "\n".join(lines)
    mine = _dialect(readers._Sniffer(), sample, delimiters)
    assert mine == _dialect(csv.Sniffer(), sample, delimiters)


def test_csv_sniffer_picks_the_consistent_delimiter():
    sample = "单位;日期;人数\n甲, 乙;7月1日;12\n丙;7月2日;5\n"
    assert readers._Sniffer().sniff(sample, delimiters=readers.CSV_DELIMITERS).delimiter == ";"
    # Comma and tab both split every line the same number of times: the preferred comma.
    sample = "a,b\tc\nd,e\tf\n"
    assert readers._Sniffer().sniff(sample, delimiters=readers.CSV_DELIMITERS).delimiter == ","


def test_a_csv_cell_longer_than_the_csv_modules_limit_is_read(tmp_path):
    """A 备注 of 200,000 characters (pasted from a document): the file is read, not
    refused as an internal error by the csv module's 128 KiB cell limit."""
    long_note = "学" * 200_000
    path = tmp_path / "长阳镇.csv"
    path.write_text(
        "基层工会名称,活动日期,参加人数,备注\n"
        f"长阳镇中学工会,2019-06-03,30,{long_note}\n"
        "长阳镇卫生院工会,2019-06-04,12,\n",
        encoding="utf-8",
    )
    (sheet,) = read_workbook(path).sheets
    assert [row[:3] for row in sheet.rows[1:]] == [
        ["长阳镇中学工会", "2019-06-03", "30"],
        ["长阳镇卫生院工会", "2019-06-04", "12"],
    ]
    assert len(sheet.rows[1][3]) == 200_000


def test_a_csv_with_lines_ended_by_a_lone_carriage_return_is_read(tmp_path):
    """An old Mac export ends its lines with \\r alone: the csv module refuses such a
    text unless it is read as lines; the file is read, not refused."""
    path = tmp_path / "长阳镇.csv"
    path.write_bytes("基层工会名称,活动日期\r长阳镇中学工会,2019-06-03\r".encode())
    (sheet,) = read_workbook(path).sheets
    assert sheet.rows == [["基层工会名称", "活动日期"], ["长阳镇中学工会", "2019-06-03"]]


def test_a_quote_doubled_inside_a_quoted_csv_cell_is_one_quote(tmp_path):
    """Excel writes `a"b` as `"a""b"`. The dialect is guessed from the first 8 KB: when
    they hold a quoted cell but no doubled quote, the sniffer answers "quotes are not
    doubled", and a name with a quote further down was read `a"b"`, so it never matched."""
    path = tmp_path / "名册.csv"
    plain = "".join(f"{i},长阳镇第{i}小学工会,长阳镇总工会\n" for i in range(2, 400))
    path.write_text(
        '序号,基层工会名称,上级工会\n1,"长阳镇中学工会,初中部",长阳镇总工会\n'
        f'{plain}400,"北京""燕房""物流公司工会","@HYPERLINK(""http://x"")总工会"\n',
        encoding="utf-8",
    )
    (sheet,) = read_workbook(path).sheets
    assert sheet.rows[1] == ["1", "长阳镇中学工会,初中部", "长阳镇总工会"]
    assert sheet.rows[-1] == ["400", '北京"燕房"物流公司工会', '@HYPERLINK("http://x")总工会']


# --- spreadsheets saved as a web page or as Excel 2003 XML ----------------------------------

SUBMISSION = [
    ["填报单位：长阳镇总工会", "", "填报日期：2019-07-01"],
    ["序号", "基层工会名称", "活动日期", "工作类别", "活动形式", "参加人数"],
    [1, "长阳镇第一小学工会", "2019-06-03", "切实抓好学习", "理论中心组学习", 40],
    [2, "长阳镇卫生院工会", "2019-06-10", "加强宣讲培训", "宣讲", 55],
]


def web_page(rows: list[list[object]], charset: str = "gb2312") -> str:
    """A table as a statistics system (or Excel's “save as web page”) writes it as “.xls”."""
    body = "".join(
        "<tr>" + "".join(f"<td class=xl65 x:str>{c}</td>" for c in row) + "</tr>\n" for row in rows
    )
    return (
        '<html xmlns:x="urn:schemas-microsoft-com:office:excel">\n'
        f'<head><meta http-equiv=Content-Type content="text/html; charset={charset}">'
        "<style>td {mso-number-format:General}</style></head>\n"
        f"<body><table border=0><tr><td colspan=6 align=center>活动情况统计表</td></tr>\n{body}"
        "</table></body></html>"
    )


def spreadsheetml(rows: list[list[object]], hidden: bool = False) -> str:
    """A table in Excel 2003's XML spreadsheet format (XML 电子表格 2003)."""
    cells = "".join(
        "<Row>"
        + "".join(
            f'<Cell><Data ss:Type="{"Number" if isinstance(c, int) else "String"}">{c}</Data></Cell>'
            for c in row
        )
        + "</Row>\n"
        for row in rows
    )
    options = (
        '<WorksheetOptions xmlns="urn:schemas-microsoft-com:office:excel">'
        "<Visible>SheetHidden</Visible></WorksheetOptions>"
        if hidden
        else ""
    )
    return (
        '<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
        '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
        'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">\n'
        '<Worksheet ss:Name="活动情况"><Table>\n'
        '<Row><Cell ss:MergeAcross="5"><Data ss:Type="String">活动情况统计表</Data></Cell></Row>\n'
        f'<Row ss:Index="3"><Cell><Data ss:Type="String">备注</Data></Cell></Row>\n{cells}'
        f"</Table></Worksheet>\n"
        f'<Worksheet ss:Name="旧表"><Table><Row><Cell><Data ss:Type="String">x</Data></Cell></Row>'
        f"</Table>{options}</Worksheet></Workbook>"
    )


@pytest.mark.parametrize("name", ["报送表.xls", "报送表.xlsx", "报送表.et"])
def test_read_workbook_reads_a_web_page_saved_as_a_spreadsheet(tmp_path, name):
    """Excel and WPS open it as a workbook: the unit sent a table, so it is read as one."""
    path = tmp_path / name
    path.write_bytes(web_page(SUBMISSION).encode("gbk"))
    book = read_workbook(path)
    assert book.format == "html"
    (sheet,) = book.sheets
    assert sheet.rows[0][0] == "活动情况统计表" and sheet.merged == [(0, 0, 0, 5)]
    assert sheet.rows[2] == ["序号", "基层工会名称", "活动日期", "工作类别", "活动形式", "参加人数"]
    assert sheet.rows[3] == [
        "1",
        "长阳镇第一小学工会",
        "2019-06-03",
        "切实抓好学习",
        "理论中心组学习",
        "40",
    ]


def test_a_table_laid_out_inside_another_tables_cell_is_a_block_of_its_own(tmp_path):
    """OA pages wrap the data table in a layout table: its rows must stay rows."""
    inner = web_page(SUBMISSION).split("<body>")[1].split("</body>")[0]
    page = f"<html><body><table><tr><td>系统导出{inner}第1页</td><td>打印</td></tr></table></body></html>"
    path = tmp_path / "报送表.xls"
    path.write_text(page, encoding="utf-8")
    (sheet,) = read_workbook(path).sheets
    assert sheet.rows[0][:2] == ["系统导出\n第1页", "打印"] and sheet.rows[1] == [None] * 6
    assert sheet.rows[2][0] == "活动情况统计表" and sheet.merged == [(2, 0, 2, 5)]
    assert sheet.rows[5] == [
        "1",
        "长阳镇第一小学工会",
        "2019-06-03",
        "切实抓好学习",
        "理论中心组学习",
        "40",
    ]


def test_a_single_file_web_page_is_read_from_its_html_part(tmp_path):
    import quopri

    html = quopri.encodestring(web_page(SUBMISSION).encode("gb2312")).decode("ascii")
    mht = (
        'MIME-Version: 1.0\nX-Document-Type: Workbook\nContent-Type: multipart/related; boundary="B"\n\n'
        "--B\nContent-Transfer-Encoding: quoted-printable\n"
        f'Content-Type: text/html; charset="gb2312"\n\n{html}\n--B--\n'
    )
    path = tmp_path / "报送表.xls"
    path.write_bytes(mht.encode("ascii"))
    assert read_workbook(path).sheets[0].rows[3][1] == "长阳镇第一小学工会"


def test_read_workbook_reads_an_excel_2003_xml_spreadsheet(tmp_path):
    path = tmp_path / "报送表.xls"
    path.write_bytes(spreadsheetml(SUBMISSION, hidden=True).encode("utf-8"))
    book = read_workbook(path)
    assert book.format == "xml2003"
    first, old = book.sheets
    assert (first.name, first.hidden, old.name, old.hidden) == ("活动情况", False, "旧表", True)
    assert first.merged == [(0, 0, 0, 5)]
    assert first.rows[2][0] == "备注" and first.rows[1] == [None] * 6
    assert first.rows[5] == [
        1.0,
        "长阳镇第一小学工会",
        "2019-06-03",
        "切实抓好学习",
        "理论中心组学习",
        40.0,
    ]


@pytest.mark.parametrize(
    "content",
    [
        "<html><body><table>"
        + '<tr><td rowspan="900" colspan="900">x</td></tr>' * 80
        + "</table></body></html>",
        '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
        'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="s"><Table>'
        '<Row ss:Index="900000"><Cell ss:Index="16000"><Data ss:Type="String">x</Data></Cell></Row>'
        "</Table></Worksheet></Workbook>",
    ],
)
def test_markup_spreadsheets_past_the_limits_are_refused_before_a_grid_is_made(tmp_path, content):
    path = tmp_path / "大表.xls"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(FileRejected) as caught:
        read_workbook(path, SMALL)
    assert caught.value.code == "too_large"


def test_an_xml_spreadsheet_with_entities_is_refused_unexpanded(tmp_path):
    path = tmp_path / "报送表.xls"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>'
        '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet><Table><Row>'
        "<Cell><Data>&a;</Data></Cell></Row></Table></Worksheet></Workbook>",
        encoding="utf-8",
    )
    with pytest.raises(FileRejected) as caught:
        read_workbook(path)
    assert caught.value.code == "hostile_xml"


@pytest.mark.parametrize("kind", ["web_page", "spreadsheetml"])
def test_a_submission_or_roster_saved_as_markup_is_counted(tmp_path, small_roster_rows, kind):
    from analysis import ingest

    write = web_page if kind == "web_page" else spreadsheetml
    raw = tmp_path / "raw"
    (raw / "roster").mkdir(parents=True)
    (raw / "roster" / "名册.xls").write_bytes(write(small_roster_rows[1:]).encode("gbk"))
    (raw / "submissions").mkdir()
    (raw / "submissions" / "长阳镇总工会.xls").write_bytes(write(SUBMISSION).encode("gbk"))
    result = ingest.run(raw, tmp_path / "out", progress=False, full=True)
    (sub,) = result.submissions.itertuples()
    assert (sub.reporting_unit, sub.state, sub.rows_accepted) == ("长阳镇总工会", "current", 2)
    assert list(result.rows["participants"]) == [40, 55]
    assert set(result.rows["sheet"]) == ({""} if kind == "web_page" else {"活动情况"})


def test_an_undefined_entity_in_excel_2003_xml_is_unreadable_not_hostile(tmp_path):
    """&nbsp; in an Excel 2003 XML file is a parse error, not a DTD or entity declaration:
    the file is unreadable, and not called a malicious file."""
    path = tmp_path / "报送表.xls"
    text = spreadsheetml(SUBMISSION).replace("长阳镇第一小学工会", "长阳镇&nbsp;第一小学工会")
    path.write_bytes(text.encode("utf-8"))
    with pytest.raises(FileRejected) as caught:
        read_workbook(path)
    assert caught.value.code != "hostile_xml"


@pytest.mark.parametrize("hops", [0, 1, 2, 64])
@pytest.mark.parametrize(
    "xml",
    [
        b"",
        b"<f>SUM(A1)</f>",
        b"ff<fo><f",  # the last "f" starts the only formula element
        b'<sheetFormatPr defaultRowHeight="15"/><c r="A1"><f t="shared" si="0"/></c>',
        b"<font/><fill/><foo>" * 40,  # many "f" and no formula element
        b"<font/>" * 40 + b"<f>1</f>",
        b'<row r="3" hidden="1">',
        b'<sheetPr><outlinePr summaryBelow="1"/></sheetPr><row r="2" ht="15" hidden="0"/>',
        b'<pageMargins header="0.5"/>' * 80,
    ],
)
def test_contains_finds_what_the_search_finds(monkeypatch, xml, hops):
    from analysis import readers

    monkeypatch.setattr(readers, "_HOPS", hops)
    for pattern, byte, offset in ((readers._FORMULA, b"f", 1), (readers._HIDDEN, b"h", 0)):
        assert readers._contains(xml, pattern, byte, offset) == bool(pattern.search(xml))


def test_declared_extent_beyond_search_matches_the_plain_rule():
    # "More than `letters` letters, or up to 3 letters and more than `digits` digits",
    # over references of every shape near the bound.
    from analysis import readers

    refs = [
        a + d
        for a in ("", "A", "Z", "AB", "ab", "ABC", "ABCD")
        for d in ("", "9", "99", "999", "1000", "12345", "1234567")
    ]
    for letters, digits in ((1, 1), (1, 3), (2, 2), (3, 4), (3, 7)):
        for ref in refs:
            xml = (b'<sheetData><row r="%s"><c r="%s"/></row><x r="%s"/></sheetData>'
                   % (b"9" * digits, b"Z" * letters + b"9" * digits, ref.encode()))  # fmt: skip
            plain = re.search(
                rb'r="(?:[A-Za-z]{%d}|[A-Za-z]{0,3}[0-9]{%d})' % (letters + 1, digits + 1), xml
            )
            bound = readers._declared_extent(xml, None)
            assert (bound is None) == bool(plain), (letters, digits, ref)


def test_read_workbook_reads_on_past_a_stale_size(tmp_path, monkeypatch):
    # The file grew after its size was checked: read to its end (or the limit), as
    # one read of the limit did.
    import os

    path = tmp_path / "grew.csv"
    path.write_text("单位,人数\n长阳镇,50\n本级,30\n", encoding="utf-8")
    real_stat = Path.stat

    def stale_stat(self, *args, **kwargs):
        st = real_stat(self, *args, **kwargs)
        return os.stat_result((*st[:6], 5, *st[7:])) if self == path else st

    monkeypatch.setattr(Path, "stat", stale_stat)
    assert path.stat().st_size == 5
    assert read_workbook(path).sheets[0].rows[-1] == ["本级", "30"]


def test_beyond_pattern_finds_what_the_plain_rule_finds():
    import random

    from analysis import readers

    rng = random.Random(3)
    noise = b"AZaz09\"' =r<>_.-"
    for _ in range(3000):
        letters, digits = rng.randint(1, 3), rng.randint(1, 7)
        plain = re.compile(
            rb'r="(?:[A-Za-z]{%d}|[A-Za-z]{0,3}[0-9]{%d})' % (letters + 1, digits + 1)
        )
        parts = []
        for _ in range(rng.randint(1, 6)):
            if rng.random() < 0.5:
                parts.append(
                    b'r="'
                    + bytes(rng.choice(b"ABCXYZabz_") for _ in range(rng.randint(0, 5)))
                    + bytes(rng.choice(b"0123456789") for _ in range(rng.randint(0, 9)))
                    + rng.choice([b'"', b"'", b"A", b"", b"9", b"_"])
                )
            else:
                parts.append(bytes(rng.choice(noise) for _ in range(rng.randint(0, 8))))
        xml = b"".join(parts)
        ours = re.compile(readers._beyond_pattern(letters, digits))
        assert [m.start() for m in ours.finditer(xml)] == [
            m.start() for m in plain.finditer(xml)
        ], (xml, letters, digits)
