"""Documents: their text (docx, pdf, txt), title, own date, and the totals a summary states.

A stage summary often states totals ("共开展活动35场次", "参与职工1200余人次",
"覆盖基层工会28家") that the analyst checks by hand against the unit's tables;
`stated_totals` finds them with the patterns in `TOTAL_PATTERNS` (one table, tested
over real phrasings). `.doc`/`.wps` (OLE2 Word binary) have no well-kept pure
Python reader: they are listed as documents, their text is not read.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field

from analysis.clean import chinese_number
from analysis.messages import error_detail, message_text
from analysis.model import IssueCode

SUMMARY_MARK = "总结"
# A plain-text file (.txt) named as a written report is a material, not a table saved as
# text: the marks of a report, and of a table (which win: “总结阶段报送表.txt” is a table).
REPORT_MARKS = (SUMMARY_MARK, "小结", "汇报", "经验材料", "典型材料", "事迹材料", "心得体会",
                "工作报告", "情况报告", "情况说明")  # fmt: skip
_TABLE_NAME = re.compile(r"(?:报送|统计|明细|汇总|登记|一览|情况|信息)表|台账|清单")
TEXT_LIMIT = 200_000  # characters kept from one document (a summary is a few pages)

# figure -> patterns; each pattern's group "n" is the number. Order matters only
# within a figure (the first pattern that matches wins).
_NUM = r"(?P<n>[0-9０-９][0-9０-９,，]*|[零〇一二两三四五六七八九十百千万]+)"
_ABOUT = r"\s*(?:余|多|余个|多个)?\s*"
_GAP = r"[^，。；;,\n0-9０-９]{0,14}?"
TOTAL_PATTERNS: dict[str, tuple[str, ...]] = {
    "activities": (
        rf"(?:共|累计|合计|总计|共计)(?:组织|开展|举办|举行)?{_GAP}(?:活动){_GAP}{_NUM}{_ABOUT}(?:场次|场|次|项)",
        rf"(?:共|累计|合计|总计|共计){_GAP}(?:开展|组织|举办|举行){_GAP}{_NUM}{_ABOUT}(?:场次|场)",
        rf"(?:开展|组织|举办){_GAP}活动{_NUM}{_ABOUT}(?:场次|场)",
    ),
    "participants": (
        rf"(?:参与|参加|参学|受教育|覆盖)(?:的)?(?:职工|会员|干部职工|工会干部|人员|群众)?(?:人数)?(?:达|达到|共|共计|累计|约|近|超过)?{_NUM}{_ABOUT}(?:人次|名|人)",
        rf"(?:职工|会员|干部职工)(?:参与|参加|参学)(?:人数)?(?:达|达到|共|共计|累计|约|近|超过)?{_NUM}{_ABOUT}(?:人次|名|人)",
        rf"(?:共|累计|共计|合计){_NUM}{_ABOUT}(?:人次|名职工|人)(?:参与|参加|参学)",
    ),
    "units": (
        rf"覆盖(?:全部|所属)?(?:基层工会|基层单位|单位|企业)?{_NUM}{_ABOUT}(?:家|个)",
        rf"{_NUM}{_ABOUT}(?:家|个)基层(?:工会|单位)(?:参与|参加|开展)",
    ),
}
_COMPILED = {k: tuple(re.compile(p) for p in v) for k, v in TOTAL_PATTERNS.items()}


def _number(text: str) -> int | None:
    text = (
        text.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
        .replace(",", "")
        .replace("，", "")
    )
    if text.isdigit():
        return int(text)
    return chinese_number(text)


def stated_totals(text: str) -> dict[str, int]:
    """The totals a summary states: activities, participants, units (each the first found)."""
    found: dict[str, int] = {}
    flat = re.sub(r"[ \t\u3000]+", "", text)
    for figure, patterns in _COMPILED.items():
        for pattern in patterns:
            match = pattern.search(flat)
            if match:
                value = _number(match.group("n"))
                if value is not None:
                    found[figure] = value
                    break
    return found


@dataclass
class DocumentFacts:
    title: str = ""
    text: str = ""
    own_date: dt.date | None = None
    totals: dict[str, int] = field(default_factory=dict)
    meta_title: str = ""  # the title in the file's properties (Word: 文件 > 属性 > 标题)


class DocumentError(Exception):
    def __init__(self, code: str, detail: str = ""):
        super().__init__(code)
        self.code, self.detail = code, detail


# A Word file whose parts would inflate beyond this, or compress better than the
# ratio (over 1 MiB), is refused before python-docx reads it (its XML is parsed whole).
# zipfile never inflates a member beyond the size its header declares, so the
# declared sizes bound what is read.
DOCX_MAX_BYTES = 100 * 2**20
DOCX_MAX_RATIO = 200


def _check_unpacked(data: bytes) -> None:
    """Refuse a zip-based document (docx, ofd) that would unpack too large (`DOCX_MAX_BYTES`,
    `DOCX_MAX_RATIO`) before its XML is read."""
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        infos = zf.infolist()
    total = sum(i.file_size for i in infos)
    ratio = max((i.file_size / max(i.compress_size, 1) for i in infos if i.file_size > 2**20),
                default=0)  # fmt: skip
    if total > DOCX_MAX_BYTES or ratio > DOCX_MAX_RATIO:
        raise DocumentError(
            IssueCode.MATERIAL_BOMB, message_text("detail_unpacked_mb", size_mb=total / 2**20)
        )


# A document's title is looked for among its first few non-empty lines: official
# documents put a 文号, “附件2”, a 密级 or the issuing office's 版头 above it.
TITLE_LINES = 5
_PREAMBLE = re.compile(
    r"^(?:.{0,30}[〔\[［【(（]\s*\d{4}\s*[〕\]］】)）]\s*第?\s*\d+\s*号.{0,10}"  # 房工发〔2019〕12号
    r"|附\s*件\s*[0-9０-９一二三四五六七八九十]*\s*[:：]?"
    r"|(?:密级|紧急程度|签发人|特急|加急|急件|秘密|机密|绝密|内部资料|发文字号).{0,30}"
    r"|.{2,24}(?:工会|委员会|办公室|党委|党组|政府|局|委)文件"  # 版头: 北京市房山区总工会文件
    r"|[0-9０-９]{4}\s*年\s*[0-9０-９]{1,2}\s*月\s*[0-9０-９]{1,2}\s*日"
    r"|[〇零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日"
    r"|[-—－\s]*[0-9０-９]+[-—－\s]*"  # a page number
    r")$"
)
_HEADING_STYLES = ("heading", "title", "标题")
# A numbered section heading (一、基本情况; （一）; 1.; 第一部分) is not the document's title.
_SECTION = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十0-9０-９]+[)）]"
                      r"|[0-9０-９]+[、.．]|第[一二三四五六七八九十]+[部章节])")  # fmt: skip


def _is_heading(paragraph, styles: dict[str | None, bool] | None = None) -> bool:
    """Whether a Word paragraph is styled as a heading or title (by style or outline level).

    `styles`: the document's answers by style id so far (paragraphs share a few styles,
    and each lookup searches every style the document defines)."""
    from docx.oxml.ns import qn

    style_id = paragraph._p.style
    styled = None if styles is None else styles.get(style_id)
    if styled is None:
        styled = False
        style = paragraph.style
        for _ in range(10):  # a style is based on another: a few levels (never a loop's end)
            if style is None:
                break
            if (style.name or "").strip().lower().startswith(_HEADING_STYLES):
                styled = True
                break
            style = style.base_style
        if styles is not None:
            styles[style_id] = styled
    if styled:
        return True
    ppr = paragraph._p.pPr
    return ppr is not None and ppr.find(qn("w:outlineLvl")) is not None


def _title_heading(line: str, paragraph, styles: dict[str | None, bool] | None = None) -> bool:
    """Whether a line near the top is a heading that titles the document."""
    return not _PREAMBLE.match(line) and not _SECTION.match(line) and _is_heading(paragraph, styles)


def _docx(data: bytes) -> tuple[list[str], dt.date | None, str, str]:
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE

    _check_unpacked(data)
    document = docx.Document(io.BytesIO(data))
    lines, heading, seen = [], "", 0
    styles: dict[str | None, bool] = {}
    for paragraph in document.paragraphs:
        line = paragraph.text.strip()
        lines.append(line)
        if line and seen < TITLE_LINES:
            seen += 1
            if not heading and _title_heading(line, paragraph, styles):
                heading = line
    for table in document.tables:
        for row in table.rows:
            lines.append(" ".join(c.text.strip() for c in row.cells))
    try:  # a file without document properties: python-docx would make some, dated now
        document.part.package.part_related_by(RELATIONSHIP_TYPE.CORE_PROPERTIES)
    except KeyError:
        return lines, None, "", heading
    props = document.core_properties
    own_date = _w3cdtf_date(_core_text(props, "created")) or _w3cdtf_date(
        _core_text(props, "modified")
    )
    return lines, own_date, props.title or "", heading


# The units and the analyst are in China, all of it on Beijing time (UTC+8): a time
# written with its zone (Word and WPS write UTC, "…Z") is dated as a clock there shows it.
BEIJING = dt.timezone(dt.timedelta(hours=8))


def _beijing_date(when: dt.datetime) -> dt.date:
    """The date a clock in Beijing shows at `when`; the date as written without a zone."""
    return when.astimezone(BEIJING).date() if when.tzinfo is not None else when.date()


def _core_text(props, name: str) -> str:
    """The text of a Word core property (dcterms:created …) as written in the file
    (python-docx turns every time into UTC and a time without a zone with it)."""
    from docx.oxml.ns import qn

    element = props._element.find(qn(f"dcterms:{name}"))
    return (element.text or "") if element is not None else ""


def _w3cdtf_date(text: str) -> dt.date | None:
    """The Beijing date of a Word property's time ("2019-06-30T23:30:00Z" → 1 July)."""
    try:
        return _beijing_date(dt.datetime.fromisoformat(text.strip()))
    except ValueError:
        return None


def _pdf_date(metadata, name: str) -> dt.date | None:
    """The Beijing date of a PDF's `creation_date` or `modification_date` as pypdf reads
    it ("D:20190630233000Z" → 1 July; "+08'00'" as written); None when absent or unreadable."""
    try:
        when = getattr(metadata, name, None)
    except ValueError:  # a date pypdf cannot read ("unknown")
        return None
    return _beijing_date(when) if isinstance(when, dt.datetime) else None


def _pdf(data: bytes) -> tuple[list[str], dt.date | None, str, str]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        # Most "encrypted" PDFs have only an owner password (no printing, no copying):
        # they open for anyone, with the empty user password. Only a PDF that asks for
        # a password to be opened is refused; one whose cipher this machine lacks (AES
        # without the `cryptography` package) is listed without its text.
        try:
            opened = reader.decrypt("")
        except Exception:  # noqa: BLE001 - pypdf's DependencyError and damaged keys
            return [], None, "", ""
        if not opened:
            raise DocumentError(IssueCode.MATERIAL_ENCRYPTED)
    lines: list[str] = []
    size = 0
    for page in reader.pages[:50]:
        text = page.extract_text() or ""
        lines += [line.strip() for line in text.splitlines()]
        size += len(text)
        if size > TEXT_LIMIT:
            break
    metadata = reader.metadata or {}
    # The document's own dates, as for a .docx: created, else last modified (never the
    # file system's modification time).
    own_date = _pdf_date(metadata, "creation_date") or _pdf_date(metadata, "modification_date")
    return lines, own_date, str(metadata.get("/Title") or ""), ""


def names_a_report(stem: str) -> bool:
    """Whether a plain-text file's name (without suffix) says it is a written report."""
    return any(mark in stem for mark in REPORT_MARKS) and not _TABLE_NAME.search(stem)


# A table saved as text splits its lines into columns at one of these.
_TEXT_DELIMITERS = ("\t", ",", ";", "|")


def reads_as_prose(head: bytes) -> bool:
    """Whether a text file's first bytes read as prose rather than a table.

    A table (CSV, tab-separated, a WPS "text" export) has at least two lines cut into
    the same number (one or more) of columns by one delimiter; prose has not. Bytes in
    no known encoding are left to the spreadsheet readers, which say what they are.
    """
    from analysis.textfiles import decode_or_none, lines_cut_alike

    text = None
    for cut in range(4):  # a multi-byte character cut at the end of `head`
        text = decode_or_none(head[: len(head) - cut] if cut else head)
        if text is not None:
            break
    if text is None:
        return False
    lines = [line for line in text.splitlines()[:40] if line.strip()]
    return not any(lines_cut_alike(lines, d)[1] for d in _TEXT_DELIMITERS)


def _txt(data: bytes) -> tuple[list[str], dt.date | None, str, str]:
    from analysis.textfiles import decode_or_none

    text = decode_or_none(data) or ""  # in no known encoding: listed, with no text
    return [line.strip() for line in text.splitlines()], None, "", ""


def _ofd_local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _ofd(data: bytes) -> tuple[list[str], dt.date | None, str, str]:
    """An OFD file (a zip of XML): title and creation date from OFD.xml's DocInfo, text
    from the TextCode elements of its pages in page order."""
    import zipfile

    from defusedxml import ElementTree

    _check_unpacked(data)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        info = {_ofd_local(e.tag): (e.text or "").strip()
                for e in ElementTree.fromstring(zf.read("OFD.xml")).iter()}  # fmt: skip
        pages = sorted(
            (
                n
                for n in zf.namelist()
                if n.lower().endswith("content.xml") and "/pages/" in n.lower()
            ),
            key=lambda n: [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", n)],
        )
        lines: list[str] = []
        for name in pages:
            root = ElementTree.fromstring(zf.read(name))
            lines += [
                (e.text or "").strip() for e in root.iter() if _ofd_local(e.tag) == "TextCode"
            ]
    try:
        own = dt.date.fromisoformat(info.get("CreationDate", "")[:10])
    except ValueError:
        own = None
    return lines, own, info.get("Title", ""), ""


_READERS = {"docx": _docx, "pdf": _pdf, "txt": _txt, "ofd": _ofd}


def document_facts(data: bytes, fmt: str) -> DocumentFacts:
    """Title, text, own date and stated totals of a docx/pdf/txt; nothing for other formats."""
    if not data:
        raise DocumentError(IssueCode.MATERIAL_EMPTY)
    if fmt not in _READERS:
        return DocumentFacts()
    try:
        lines, own_date, meta_title, heading = _READERS[fmt](data)
    except DocumentError:
        raise
    except Exception as exc:  # noqa: BLE001 - damaged documents raise many types
        raise DocumentError(IssueCode.MATERIAL_CORRUPT, error_detail(exc)) from None
    lines = [line for line in lines if line]
    text = "\n".join(lines)[:TEXT_LIMIT]
    title = heading or title_of(lines)
    return DocumentFacts(title=title[:200], text=text, own_date=own_date,
                         totals=stated_totals(text), meta_title=meta_title[:200])  # fmt: skip


def title_of(lines: list[str]) -> str:
    """A document's title from its non-empty lines: the first of the first few that is not
    a 文号, “附件2”, 密级, 版头, date or page number; else its first line."""
    return next((line for line in lines[:TITLE_LINES] if not _PREAMBLE.match(line)),
                lines[0] if lines else "")  # fmt: skip


def unit_written(text: str) -> str:
    """The 填报单位 a document states ("填报单位：长阳镇总工会"), else ''."""
    match = re.search(r"(?:填报单位|报送单位|单位名称)\s*[:：]\s*([^\s，。；,]{2,40})", text)
    return match.group(1) if match else ""
