"""Benchmark: a filled template read by position vs the same rows found by header search."""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook as XlsxWorkbook

from analysis.campaign import Campaign, load_campaign
from analysis.model import TABLE_FIELDS
from analysis.readers import read_workbook
from analysis.tables import find_tables
from analysis.templates import COLUMN_LABELS, SELF_LABEL, detect, read_tables
from analysis.templates.fill import fill_template
from analysis.templates.writer import write_template

UNIT = "长阳镇总工会"


def bench_rows(campaign: Campaign, n_rows: int, unions: list[str]) -> list[dict]:
    """`n_rows` plausible activity rows dated inside the campaign's first round."""
    round_ = campaign.rounds[0]
    span = (round_.end - round_.start).days + 1
    items = campaign.work_items
    rows = []
    for i in range(n_rows):
        item = items[i % len(items)]
        rows.append(
            {
                "seq": i + 1,
                "grassroots_unit": unions[i % len(unions)],
                "date": round_.start + dt.timedelta(days=i % span),
                "work_item": item.name,
                "form": item.form_names[i % len(item.form_names)],
                "participants": 10 + i % 90,
                "title": f"学习活动{i + 1}",
                "note": None,
            }
        )
    return rows


def _best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def bench_template_vs_freeform(
    n_rows: int = 200, repeat: int = 5, work_dir: Path | None = None
) -> dict:
    """Seconds to read `n_rows` from a filled template vs the same rows in a free-form workbook.

    Times the file read (readers.read_workbook) and the table step (detect() +
    read_tables() vs tables.find_tables) separately, best of `repeat`; the ratios
    are free-form time / template time.
    """
    campaign = load_campaign()
    round_ = campaign.rounds[0]
    unions = [f"长阳镇第{i}村股份经济合作社工会" for i in range(1, 21)] + [SELF_LABEL]
    rows = bench_rows(campaign, n_rows, unions)
    header = {"report_date": round_.deadline, "contact": "张三", "phone": "010-69301234"}
    with tempfile.TemporaryDirectory(dir=work_dir) as tmp:
        template = write_template(
            Path(tmp) / "template.xlsx", campaign, UNIT, "town", round_, unions
        )
        fill_template(template, rows, header)
        freeform = Path(tmp) / "freeform.xlsx"
        wb = XlsxWorkbook()
        ws = wb.active
        ws.append([f"{campaign.short_name}活动情况报送表"])
        ws.append(["填报单位：", UNIT, None, "填报日期：", round_.deadline])
        ws.append([])
        ws.append([COLUMN_LABELS[f] for f in TABLE_FIELDS])
        for r in rows:
            ws.append([r[f] for f in TABLE_FIELDS])
        wb.save(freeform)

        template_wb, freeform_wb = read_workbook(template), read_workbook(freeform)

        def template_tables() -> list:
            marker = detect(template_wb)
            return read_tables(template_wb, marker, campaign, template.name) if marker else []

        def freeform_tables() -> list:
            return [t for s in freeform_wb.sheets for t in find_tables(s, campaign, freeform.name)]

        result = {
            "n_rows": n_rows,
            "repeat": repeat,
            "template_rows": sum(len(t.rows) for t in template_tables()),
            "freeform_rows": sum(len(t.rows) for t in freeform_tables()),
            "template_read_s": _best(lambda: read_workbook(template), repeat),
            "freeform_read_s": _best(lambda: read_workbook(freeform), repeat),
            "template_tables_s": _best(template_tables, repeat),
            "freeform_tables_s": _best(freeform_tables, repeat),
        }
    result["ratio_tables"] = result["freeform_tables_s"] / max(result["template_tables_s"], 1e-9)
    result["ratio_total"] = (result["freeform_read_s"] + result["freeform_tables_s"]) / max(
        result["template_read_s"] + result["template_tables_s"], 1e-9
    )
    return result


if __name__ == "__main__":
    for key, value in bench_template_vs_freeform().items():
        print(f"{key}: {value:.6f}" if isinstance(value, float) else f"{key}: {value}")
