"""Files damaged byte by byte (a flipped bit, a cut record, a broken date) never stop a run.

Each case is a file a mutational search of the inputs found to raise inside the
program; built here from a valid file, it must now get its Chinese issue (or be
read), with every other file read as before and no internal error.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from pathlib import Path

import pytest
from hostile import harness
from hostile import make_corpus as corpus

from analysis.model import FileRejected

CJK = re.compile(r"[\u4e00-\u9fff]")
FIXTURES = Path(__file__).parent / "fixtures"


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def _archive() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("长阳镇总工会/说明.txt", "活动照片见附件。".encode())
    return buffer.getvalue()


def zip_version(data: bytes, version: int = 119) -> bytes:
    """`data` with every central-directory entry saying it needs zip `version` (11.9):
    what one flipped byte does; Python's zipfile refuses such an entry with
    NotImplementedError rather than BadZipFile."""
    out = bytearray(data)
    for match in re.finditer(rb"PK\x01\x02", bytes(out)):
        out[match.start() + 6] = version
    return bytes(out)


def ingest_with(tmp_path, files: dict[str, bytes]):
    raw = harness.build_raw(tmp_path / "raw")
    for rel, data in files.items():
        (raw / rel).parent.mkdir(parents=True, exist_ok=True)
        (raw / rel).write_bytes(data)
    out = tmp_path / "out"
    tables = harness.ingest(raw, out)
    codes = set(tables.issues["code"])
    assert not codes & {"internal_error", "file_internal_error"}, tables.issues
    assert "Traceback" not in (out / "ingest.log").read_text(encoding="utf-8")
    valid = tables.rows[tables.rows["file"] == corpus.VALID_FILE]
    assert (valid["state"] == "accepted").sum() == 4
    return tables, out


def issues_of(tables, rel: str):
    mine = tables.issues[tables.issues["file"].str.startswith(rel)]
    assert len(mine) and all(CJK.search(m) for m in mine["message"]), tables.issues
    return mine


@pytest.mark.parametrize(
    ("rel", "build"),
    [
        ("submissions/区教委工会_第二阶段.xlsx", lambda: corpus.xlsx_bytes(corpus.l_rows())),
        ("submissions/区教委工会总结.docx", _docx),
        ("submissions/区教委工会材料.zip", _archive),
    ],
)
def test_a_zip_that_says_it_needs_an_unknown_zip_version_is_told_as_damaged(tmp_path, rel, build):
    tables, _ = ingest_with(tmp_path, {rel: zip_version(build())})
    issues_of(tables, rel)


def biff_record_cut(data: bytes, record: int, length: int = 0) -> bytes:
    """An .xls whose first `record` (a BIFF record type) says its body is `length` bytes:
    the stream keeps its size, the old body's bytes read as the next record's header."""
    import olefile

    with olefile.OleFileIO(io.BytesIO(data)) as ole:
        stream = bytearray(ole.openstream("Workbook").read())
    pos = 0
    while pos + 4 <= len(stream):
        kind, size = struct.unpack_from("<HH", stream, pos)
        if kind == record:
            struct.pack_into("<H", stream, pos + 2, length)
            break
        pos += 4 + size
    else:
        raise AssertionError(f"no record {record:#x}")
    out = io.BytesIO(data)
    with olefile.OleFileIO(out, write_mode=True) as ole:
        ole.write_stream("Workbook", bytes(stream))
    return out.getvalue()


def test_an_xls_that_makes_calamine_panic_is_refused_as_damaged(tmp_path):
    """A DATEMODE record cut to no body: calamine (Rust) panics, which Python raises as a
    BaseException that no `except Exception` catches; it stopped the whole run."""
    rel = "submissions/区教委工会_第二阶段.xls"
    data = biff_record_cut((FIXTURES / "lo_submission.xls").read_bytes(), 0x22)
    tables, _ = ingest_with(tmp_path, {rel: data})
    (issue,) = issues_of(tables, rel).itertuples()
    assert issue.severity == "error" and issue.code == "corrupt"
    (sub,) = tables.submissions[tables.submissions["file"] == rel].itertuples()
    assert sub.state == "rejected"


def test_a_calamine_panic_prints_nothing_on_the_console(tmp_path):
    """Rust prints the panic's message on standard error itself: English text that reads
    like a crash. The analyst's console holds the summary only."""
    raw = harness.build_raw(tmp_path / "raw")
    data = biff_record_cut((FIXTURES / "lo_submission.xls").read_bytes(), 0x22)
    (raw / "submissions/区教委工会_第二阶段.xls").write_bytes(data)
    run = harness.run_cli(raw, tmp_path / "out")
    assert run.returncode == 0
    assert run.stderr == "" and "panicked at" not in run.stdout, run.stderr


def fat_loop(data: bytes) -> bytes:
    """A compound file whose directory's sector chain points back at its first sector
    (one wrong number in the file allocation table)."""
    (fat_sector,) = struct.unpack_from("<I", data, 0x4C)  # the first FAT sector
    (directory,) = struct.unpack_from("<I", data, 0x30)  # the directory's first sector
    fat = (fat_sector + 1) * 512
    last = directory
    while (after := struct.unpack_from("<I", data, fat + 4 * last)[0]) < 0xFFFFFFFA:
        last = after
    out = bytearray(data)
    struct.pack_into("<I", out, fat + 4 * last, directory)
    return bytes(out)


def read_in_little_memory(path: Path) -> str:
    """read_workbook(path) in a child process held to 1.5 GB: the FileRejected code, or
    "read"; a reader that asks for more fails this test instead of the machine."""
    import subprocess
    import sys

    script = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (1536 * 2**20, 1536 * 2**20))\n"
        "from analysis.model import FileRejected\n"
        "from analysis.readers import read_workbook\n"
        "try:\n"
        "    read_workbook(sys.argv[1])\n"
        "    print('read')\n"
        "except FileRejected as exc:\n"
        "    print(exc.code)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script, str(path)], capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr[-2000:]
    return run.stdout.strip()


def test_an_xls_whose_sector_chain_runs_in_a_circle_is_refused_within_little_memory(tmp_path):
    """calamine follows a chain until it ends, collecting sectors: a circle made it take
    tens of gigabytes until the system killed the run."""
    path = tmp_path / "区教委工会_第二阶段.xls"
    path.write_bytes(fat_loop((FIXTURES / "publicity.xls").read_bytes()))
    assert read_in_little_memory(path) == "corrupt"


def biff_cell_moved(data: bytes, row: int, col: int) -> bytes:
    """An .xls whose first LABELSST cell says it is at (`row`, `col`): BIFF8 stops at
    column 256, a damaged record does not."""
    import olefile

    with olefile.OleFileIO(io.BytesIO(data)) as ole:
        stream = bytearray(ole.openstream("Workbook").read())
    pos = 0
    while True:
        kind, size = struct.unpack_from("<HH", stream, pos)
        if kind == 0x00FD:  # LABELSST
            struct.pack_into("<HH", stream, pos + 4, row, col)
            break
        pos += 4 + size
    out = io.BytesIO(data)
    with olefile.OleFileIO(out, write_mode=True) as ole:
        ole.write_stream("Workbook", bytes(stream))
    return out.getvalue()


def test_an_xls_cell_far_beyond_the_sheet_is_refused_before_the_grid_is_made(tmp_path):
    """calamine makes the sheet one dense grid: a cell record at row 65535, column 65535
    asked for 100 GB and aborted the process (the whole run)."""
    path = tmp_path / "区教委工会_第二阶段.xls"
    path.write_bytes(biff_cell_moved((FIXTURES / "lo_submission.xls").read_bytes(), 65535, 65535))
    assert read_in_little_memory(path) == "too_large"
    tables, _ = ingest_with(tmp_path, {"submissions/区教委工会_第二阶段.xls": path.read_bytes()})
    (issue,) = issues_of(tables, "submissions/区教委工会_第二阶段.xls").itertuples()
    assert issue.code == "too_large" and "上限" in issue.message


def test_an_xls_read_as_before_when_its_cells_are_in_range(tmp_path):
    path = tmp_path / "区教委工会_第二阶段.xls"
    path.write_bytes(biff_cell_moved((FIXTURES / "lo_submission.xls").read_bytes(), 300, 200))
    assert read_in_little_memory(path) == "read"


WIDE_HEADER = (
    "填报单位,区教委工会,,填报日期,2019/10/8\n"
    "序号,基层工会名称,活动日期,工作类别,活动形式,参加人数\n"
)
WIDE_ROWS = (
    "1,区教委机关工会,2019-08-05,切实抓好学习,讨论会,30\n"
    "2,房山区实验中学工会,2019-08-12,加强宣讲培训,宣讲,45\n"
)


def test_a_row_of_sixteen_thousand_cells_under_the_header_is_read_in_little_time(tmp_path):
    """Each column of the row under the header was compared with every column before it
    (a two-row header's parts): 16,000 cells took 19 s, 300,000 hours."""
    import time

    from analysis import ingest
    from analysis.campaign import load_campaign

    path = tmp_path / "区教委工会_第二阶段.csv"
    path.write_text(WIDE_HEADER + "长," * 16_000 + "\n" + WIDE_ROWS, encoding="utf-8")
    start = time.process_time()
    parsed = ingest.parse_file(path, "submissions/区教委工会_第二阶段.csv", load_campaign())
    assert time.process_time() - start < 5
    assert parsed.rejected is None


def test_a_row_wider_than_excel_is_refused_with_its_width(tmp_path):
    rel = "submissions/区教委工会_第二阶段.csv"
    text = WIDE_HEADER + "长," * 300_000 + "\n" + WIDE_ROWS
    tables, _ = ingest_with(tmp_path, {rel: text.encode("utf-8")})
    (issue,) = issues_of(tables, rel).itertuples()
    assert issue.code == "too_large" and "300001 列" in issue.message and "16384" in issue.message
    (sub,) = tables.submissions[tables.submissions["file"] == rel].itertuples()
    assert sub.state == "rejected"


def _spreadsheetml(table: str) -> str:
    return (
        '<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
        '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
        'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">'
        f'<Worksheet ss:Name="活动情况"><Table>{table}</Table></Worksheet></Workbook>'
    )


def _row(*cells: str) -> str:
    return "<Row>" + "".join(f'<Cell><Data ss:Type="String">{c}</Data></Cell>' for c in cells)


def test_an_xml_spreadsheet_with_rows_nested_in_rows_is_refused_in_little_time(tmp_path):
    """Each row's cells were looked for among everything below it: 50,000 rows one inside
    the other took minutes, and a nested row's cells were read into every row around it."""
    import time

    from analysis.readers import read_workbook

    path = tmp_path / "区教委工会_第二阶段.xls"
    path.write_text(_spreadsheetml("<Row>" * 50_000 + "</Row>" * 50_000), encoding="utf-8")
    start = time.process_time()
    with pytest.raises(FileRejected) as caught:
        read_workbook(path)
    assert time.process_time() - start < 5
    assert caught.value.code == "corrupt" and CJK.search(caught.value.message)
    path.write_text(
        _spreadsheetml(_row("序号", "基层工会名称") + _row("1", "区教委机关工会") + "</Row></Row>"),
        encoding="utf-8",
    )
    with pytest.raises(FileRejected):
        read_workbook(path)


def test_an_xml_spreadsheet_as_excel_writes_it_is_read_row_by_row(tmp_path):
    from analysis.readers import read_workbook

    path = tmp_path / "区教委工会_第二阶段.xls"
    table = _row("序号", "基层工会名称") + "</Row>" + _row("1", "区教委机关工会") + "</Row>"
    path.write_text(_spreadsheetml(table), encoding="utf-8")
    (sheet,) = read_workbook(path).sheets
    assert sheet.rows == [["序号", "基层工会名称"], ["1", "区教委机关工会"]]


def test_an_xls_cut_inside_its_last_cell_record_is_told_not_crashed(tmp_path):
    """The last record (the sheet's EOF) turned into a cell record longer than what is
    left of the stream: the cells' extent is read from what is there."""
    import olefile

    data = (FIXTURES / "lo_submission.xls").read_bytes()
    with olefile.OleFileIO(io.BytesIO(data)) as ole:
        stream = bytearray(ole.openstream("Workbook").read())
    assert stream[-4:] == struct.pack("<HH", 0x000A, 0)  # EOF
    stream[-4:] = struct.pack("<HH", 0x00FD, 10)  # LABELSST, its 10 bytes missing
    out = io.BytesIO(data)
    with olefile.OleFileIO(out, write_mode=True) as ole:
        ole.write_stream("Workbook", bytes(stream))
    rel = "submissions/区教委工会_第二阶段.xls"
    tables, _ = ingest_with(tmp_path, {rel: out.getvalue()})
    assert rel in set(tables.submissions["file"])


def test_a_web_page_row_of_thousands_of_cells_beside_a_rowspan_is_read_in_little_time(tmp_path):
    """Each cell of a row looked for its column from the row's first one, past every cell
    already placed: 8,000 cells beside a tall rowspan took seconds, growing as the square."""
    import time

    from analysis.readers import read_workbook

    cells = "".join(f"<td>{k}</td>" for k in range(8_000))
    page = (
        "<html><body><table><tr><td rowspan=3>序号</td><td>基层工会名称</td></tr>"
        f"<tr>{cells}</tr><tr><td>区教委机关工会</td><td>30</td></tr></table></body></html>"
    )
    path = tmp_path / "区教委工会_第二阶段.xls"
    path.write_text(page, encoding="utf-8")
    start = time.process_time()
    (sheet,) = read_workbook(path).sheets
    assert time.process_time() - start < 2
    assert sheet.rows[0][:2] == ["序号", "基层工会名称"]
    assert sheet.rows[1][:3] == [None, "0", "1"] and sheet.rows[1][8_000] == "7999"
    assert sheet.rows[2][:3] == [None, "区教委机关工会", "30"]
