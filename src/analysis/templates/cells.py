"""The template's cell styles (openpyxl objects): only the writing side imports this."""

from __future__ import annotations

from openpyxl.styles import Border, PatternFill, Protection, Side

THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
LOCKED_FILL = PatternFill("solid", fgColor="E7E6E6")
INPUT_FILL = PatternFill("solid", fgColor="FFF9DB")
HEAD_FILL = PatternFill("solid", fgColor="D9E1F2")
UNLOCKED = Protection(locked=False)
