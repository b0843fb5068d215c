"""Chinese text renders with a real CJK font: no 'Glyph … missing' warning, ever."""

from __future__ import annotations

import warnings

import matplotlib.pyplot as plt
from matplotlib import font_manager

from analysis import style


def test_cjk_family_is_a_cjk_font():
    family = style.cjk_family()
    assert family in style.PREFERRED_FAMILIES
    path = font_manager.findfont(
        font_manager.FontProperties(family=family), fallback_to_default=False
    )
    assert "DejaVu" not in path


def test_bundled_font_is_available_without_system_fonts():
    files = style.bundled_font_files()
    assert files, "mplfonts should ship Noto Sans CJK SC"
    assert files[0].stat().st_size > 10_000_000


def test_chart_with_chinese_labels_has_no_missing_glyphs(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph … missing from font(s)" becomes a failure
        with style.house_style():
            fig, ax = plt.subplots()
            ax.bar(["长阳镇总工会", "琉璃河镇总工会", "霞云岭乡总工会"], [0.82, 0.5, -0.1])
            ax.set_title("学习宣传覆盖率：长阳镇领先（８２％）")
            ax.set_ylabel("覆盖率（%）")
            fig.savefig(tmp_path / "chart.png")
            fig.savefig(tmp_path / "chart.svg")
            plt.close(fig)
    assert (tmp_path / "chart.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = (tmp_path / "chart.svg").read_text("utf-8")
    assert "长阳镇总工会" in svg  # svg.fonttype none keeps the text as text


def test_missing_glyph_is_detected_by_this_test_setup():
    """Guard: with a Latin-only font the same chart warns, so the test above can fail."""
    import pytest

    with (
        pytest.warns(UserWarning, match="missing from font"),
        plt.rc_context({"font.family": "DejaVu Sans"}),
    ):
        fig, ax = plt.subplots()
        ax.set_title("覆盖率")
        fig.canvas.draw()
        plt.close(fig)
