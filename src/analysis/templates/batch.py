"""A round's templates for every reporting unit, their zip and checklist; the CLI entry point."""

from __future__ import annotations

import csv
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook as XlsxWorkbook
from openpyxl.styles import Font

from analysis import config, safety
from analysis.campaign import Campaign, Round, load_campaign
from analysis.filenames import unique_names, windows_name
from analysis.messages import message_text
from analysis.model import (
    Issue,
)
from analysis.roster import Roster, load_roster
from analysis.templates.cells import BORDER, HEAD_FILL
from analysis.templates.writer import (
    _round,
    safe_filename,
    self_label,
    template_filename,
    union_choices,
    write_template,
)


@dataclass
class TemplateRun:
    """What `run` wrote; its str() is the Chinese summary the command line prints."""

    round_name: str
    out_dir: Path
    files: list[Path]
    zip_path: Path
    checklist_xlsx: Path
    checklist_csv: Path
    roster_source: str = ""
    issues: list[Issue] = field(default_factory=list)
    demo_roster: bool = False  # no roster in data/raw: the demo's was used
    removed: list[Path] = field(default_factory=list)  # earlier templates of units now gone

    def __str__(self) -> str:
        return message_text(
            "templates_written", count=len(self.files), round=self.round_name,
            folder=self.out_dir, zip=self.zip_path.name, checklist=self.checklist_xlsx.name,
        ) + (message_text("templates_demo_roster") if self.demo_roster else "") + (
            message_text("templates_removed", count=len(self.removed),
                         names="、".join(p.name for p in self.removed[:5]))
            if self.removed
            else ""
        ) + (
            message_text("templates_roster_problems", count=len(self.issues), roster=self.roster_source)
            if self.issues
            else ""
        )  # fmt: skip


def write_templates(
    roster: Roster, campaign: Campaign, round_code: str, out_dir: Path
) -> list[Path]:
    """One template per reporting unit for `round_code`, plus the zip and checklist beside them."""
    round_ = _round(campaign, round_code)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    units = list(roster.reporting_units.itertuples(index=False))  # tens, not rows of data
    names = unique_names(template_filename(ru.reporting_unit, round_) for ru in units)
    for ru, name in zip(units, names, strict=True):
        path = out_dir / name  # two units named alike once Windows' characters are replaced
        write_template(
            path,
            campaign,
            ru.reporting_unit,
            ru.kind,
            round_,
            union_choices(roster, ru.reporting_unit, self_label(campaign)),
        )
        paths.append(path)
    write_bundle(paths, round_, out_dir)
    write_checklist(roster, paths, round_, out_dir)
    return paths


def remove_stale(out_dir: Path, round_: Round, written: list[Path]) -> list[Path]:
    """Remove this round's templates an earlier run wrote for units the roster no longer
    has (renamed or gone): they must not be sent out again. Only files of the
    templates' name that carry the template marker of this round are removed."""
    from analysis.readers import read_workbook
    from analysis.templates.reader import detect

    kept = {p.name for p in written}
    removed = []
    for path in sorted(Path(out_dir).glob(f"*_{safe_filename(round_.name)}_报送表.xlsx")):
        if path.name in kept:
            continue
        try:
            marker = detect(read_workbook(path))
        except Exception:  # noqa: BLE001 - not a template of ours: left alone
            continue
        if marker and marker.get("round") == round_.code:
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def bundle_path(round_: Round, out_dir: Path) -> Path:
    return Path(out_dir) / (safe_filename(f"{round_.name}_报送模板") + ".zip")


def checklist_paths(round_: Round, out_dir: Path) -> tuple[Path, Path]:
    stem = safe_filename(f"{round_.name}_报送清单")
    return Path(out_dir) / f"{stem}.xlsx", Path(out_dir) / f"{stem}.csv"


def write_bundle(paths: list[Path], round_: Round, out_dir: Path) -> Path:
    """A zip of the round's templates (UTF-8 names, which Windows' Explorer shows correctly)."""
    zip_path = bundle_path(round_, out_dir)
    with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for p in paths:
            zf.write(p, arcname=p.name)
    return zip_path


CHECKLIST_COLUMNS = ("报送单位", "类别", "文件名", "联系人", "是否已交")


def write_checklist(
    roster: Roster, paths: list[Path], round_: Round, out_dir: Path
) -> tuple[Path, Path]:
    """The sending checklist (报送单位, 类别, 文件名, 联系人, 是否已交) as .xlsx and .csv."""
    xlsx_path, csv_path = checklist_paths(round_, out_dir)
    rows = [
        [ru.reporting_unit, config.KIND_NAMES.get(ru.kind, ru.kind), p.name, "", ""]
        for ru, p in zip(roster.reporting_units.itertuples(index=False), paths, strict=True)
    ]
    wb = XlsxWorkbook()
    ws = wb.active
    ws.title = "报送清单"
    ws.append([f"{round_.name}报送清单（截止日期 {round_.deadline:%Y-%m-%d}）"])
    ws["A1"].font = Font(size=14, bold=True)
    ws.append(list(CHECKLIST_COLUMNS))
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.fill = HEAD_FILL
        cell.border = BORDER
    for row in rows:
        ws.append(row)
    for col, width in zip("ABCDE", (30, 10, 48, 14, 10), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A3"
    ws.print_title_rows = "2:2"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    safety.protect_workbook(wb)
    wb.save(xlsx_path)
    with csv_path.open("w", encoding="utf-8-sig", newline="") as fh:  # BOM: Excel opens it right
        writer = csv.writer(fh)
        writer.writerow(CHECKLIST_COLUMNS)
        writer.writerows(safety.csv_rows(rows))
    return xlsx_path, csv_path


def default_roster_path() -> Path:
    """data/raw/roster when the analyst has put a roster there, else the demo roster."""
    if config.has_real_roster(config.RAW_DATA_DIR):
        return config.RAW_DATA_DIR / config.ROSTER_SUBDIR
    return config.DEMO_RAW_DIR / config.ROSTER_SUBDIR


def _campaign_beside(roster_path: Path) -> Path:
    """RAW/campaign.toml for a roster at RAW/roster or RAW/roster/名册.xlsx."""
    folder = roster_path if roster_path.is_dir() else roster_path.parent
    return folder.parent / config.CAMPAIGN_FILE


def run(
    roster: Path | None = None,
    round_code: str | None = None,
    out_dir: Path | None = None,
    campaign_path: Path | None = None,
) -> TemplateRun:
    """`python -m analysis template`: templates for every reporting unit of one round.

    Without `campaign_path`, the campaign.toml of the raw folder the roster is in
    (data/raw/campaign.toml beside data/raw/roster/), as the ingest reads it; else
    the built-in campaign.
    """
    roster_path = Path(roster) if roster is not None else default_roster_path()
    campaign = load_campaign(campaign_path or _campaign_beside(roster_path))
    round_ = _round(campaign, round_code)
    loaded = load_roster(roster_path)
    safety.xml_safe_fields(loaded)  # the names go into xlsx cells and file names
    out = Path(out_dir) if out_dir else config.REPORTS_DIR / "templates" / windows_name(round_.code)
    paths = write_templates(loaded, campaign, round_.code, out)
    removed = remove_stale(out, round_, paths)
    xlsx_path, csv_path = checklist_paths(round_, out)
    return TemplateRun(
        round_.name,
        out,
        paths,
        bundle_path(round_, out),
        xlsx_path,
        csv_path,
        loaded.source,
        list(loaded.issues),
        demo_roster=roster is None and roster_path == config.DEMO_RAW_DIR / config.ROSTER_SUBDIR,
        removed=removed,
    )
