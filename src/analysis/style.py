"""The house style of every chart: a real CJK font, sizes and colours in one place.

Font choice, in order: the fonts an analyst's own machine has (Microsoft YaHei,
SimHei on Windows; PingFang SC on macOS), a system Noto/Source Han CJK font on
Linux, and finally Noto Sans CJK SC shipped by the `mplfonts` package from PyPI,
so that a fresh machine without any CJK font still renders Chinese. Font files
are registered with `fontManager.addfont`, which does not depend on matplotlib's
font cache having seen them.
"""

from __future__ import annotations

import importlib.util
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import matplotlib
from matplotlib import font_manager, ft2font

# Families tried in order; the first one present becomes the chart font.
PREFERRED_FAMILIES: tuple[str, ...] = (
    "Microsoft YaHei",
    "PingFang SC",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Noto Sans SC",
    "WenQuanYi Micro Hei",
    "SimHei",
)
# The family name of the font bundled by mplfonts.
BUNDLED_FAMILY = "Noto Sans CJK SC"

# A restrained palette in the manner of Chinese government reports: a deep red
# for the headline series, greys for context, a blue for contrast.
COLORS = {
    "primary": "#C0272D",
    "secondary": "#1F4E79",
    "accent": "#E2A93B",
    "good": "#2E7D32",
    "warn": "#E2A93B",
    "bad": "#C0272D",
    "muted": "#9E9E9E",
    "grid": "#D9D9D9",
    "text": "#262626",
}
KIND_COLORS = {
    "town": "#C0272D",
    "street": "#1F4E79",
    "system": "#E2A93B",
    "yanshan": "#5B8C5A",
    "zone": "#7E57C2",
    "direct": "#8D6E63",
}
# 16:9 slide-sized figure, in inches.
SLIDE_FIGSIZE = (12.8, 7.2)


def bundled_font_files() -> list[Path]:
    """CJK font files shipped by the mplfonts package, if it is installed."""
    spec = importlib.util.find_spec("mplfonts")
    if spec is None or not spec.submodule_search_locations:
        return []
    fonts_dir = Path(next(iter(spec.submodule_search_locations))) / "fonts"
    return sorted(fonts_dir.glob("NotoSansCJKsc-*.otf"))


@cache
def cjk_family() -> str:
    """The CJK font family charts use; registers the bundled font when needed."""
    available = {f.name for f in font_manager.fontManager.ttflist}
    for family in PREFERRED_FAMILIES:
        if family in available:
            return family
    for path in bundled_font_files():
        font_manager.fontManager.addfont(str(path))
    available = {f.name for f in font_manager.fontManager.ttflist}
    if BUNDLED_FAMILY in available:
        return BUNDLED_FAMILY
    raise RuntimeError(
        "未找到可显示中文的字体：请运行 `make test` 或 `make briefing` 重新安装环境（会安装 mplfonts 字体包）。"
    )


@cache
def bold_weight() -> str:
    """'bold' when the chart font has a bold face, else 'normal' (no findfont fallback noise)."""
    family = cjk_family()
    weights = [f.weight for f in font_manager.fontManager.ttflist if f.name == family]
    has_bold = any(
        (w if isinstance(w, int) else font_manager.weight_dict.get(str(w), 400)) >= 600
        for w in weights
    )
    return "bold" if has_bold else "normal"


@cache
def _charmap(path: str) -> frozenset[int]:
    return frozenset(ft2font.FT2Font(path).get_charmap())


@cache
def _drawable_codes() -> frozenset[int]:
    """Code points every face of the chart font has a glyph for.

    Only the CJK family counts: text asks for the generic "sans-serif", which
    matplotlib resolves to that one font, without falling back along the list.
    """
    family = cjk_family()
    paths = {f.fname for f in font_manager.fontManager.ttflist if f.name == family}
    if not paths:
        prop = font_manager.FontProperties(family=family)
        paths = {font_manager.findfont(prop, fallback_to_default=False)}
    return frozenset.intersection(*(_charmap(p) for p in sorted(paths)))


def drawable(text: str) -> str:
    """`text` without the characters the chart fonts cannot draw (an emoji in a unit name).

    Such a character would be drawn as an empty box, and matplotlib would print an
    English "Glyph ... missing from font(s)" warning on the analyst's console. Line
    breaks are kept (matplotlib lays them out, it does not look them up).
    """
    codes = _drawable_codes()
    if all(ord(c) in codes for c in text):
        return text
    return "".join(c for c in text if c == "\n" or ord(c) in codes)


def rc_params() -> dict:
    """matplotlib settings of the house style."""
    family = cjk_family()
    return {
        "font.family": "sans-serif",
        "font.sans-serif": [family, "DejaVu Sans"],
        "axes.unicode_minus": False,  # CJK fonts often lack U+2212
        "font.size": 12,
        "axes.titlesize": 16,
        "axes.titleweight": bold_weight(),
        "axes.titlelocation": "left",
        "axes.labelsize": 12,
        "axes.edgecolor": COLORS["muted"],
        "axes.labelcolor": COLORS["text"],
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": False,
        "grid.color": COLORS["grid"],
        "xtick.color": COLORS["text"],
        "ytick.color": COLORS["text"],
        "text.color": COLORS["text"],
        "figure.figsize": SLIDE_FIGSIZE,
        "figure.dpi": 100,
        "savefig.dpi": 200,
        "savefig.bbox": "tight",
        "svg.fonttype": "none",  # keep text as text in SVG
        # Text is text: a name holding two "$" (a roster's 上级工会, a unit's name) is
        # not TeX; with math parsing on it drew as a formula, or stopped the briefing
        # with matplotlib's English ParseSyntaxException when it was not valid TeX.
        "text.parse_math": False,
        "pdf.fonttype": 42,
        "legend.frameon": False,
    }


def apply() -> None:
    """Make the house style the default for this process (notebooks call this)."""
    matplotlib.rcParams.update(rc_params())


@contextmanager
def house_style():
    """Temporarily use the house style."""
    with matplotlib.rc_context(rc_params()):
        yield
