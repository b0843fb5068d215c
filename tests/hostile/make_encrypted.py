"""Save a small workbook with an open password through LibreOffice (run with /usr/bin/python3).

Usage: /usr/bin/python3 tests/hostile/make_encrypted.py OUT.xls

Needs `soffice` and python3-uno (Debian: libreoffice-calc-nogui, python3-uno). The
result is an OLE2 .xls whose Workbook stream starts with a FilePass record (RC4
encryption), as Excel and WPS write a legacy workbook with an open password. A
private profile and pipe keep it apart from any other LibreOffice running.
"""

import contextlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import uno
from com.sun.star.beans import PropertyValue

# LibreOffice 7.4 encrypts legacy .xls (BIFF8 FilePass, RC4 CryptoAPI) when given a
# Password; its OOXML export ignores the password, so the .xlsx case is built by hand.
FILTERS = {".xls": "MS Excel 97", ".xlsx": "Calc MS Excel 2007 XML"}


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def main(out: str) -> int:
    out_path = Path(out).resolve()
    out_path.parent.mkdir(parents=True, exist_ok=True)
    profile = tempfile.mkdtemp(prefix="lo_hostile_")
    pipe = f"hostile_{os.getpid()}"
    office = subprocess.Popen(
        [
            "soffice",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            f"-env:UserInstallation=file://{profile}",
            f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local
        )
        ctx = None
        for _ in range(120):
            try:
                ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:
                time.sleep(0.5)
        if ctx is None:
            print("could not connect to soffice", file=sys.stderr)
            return 1
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL(
            "private:factory/scalc", "_blank", 0, (prop("Hidden", True),)
        )
        sheet = doc.Sheets.getByIndex(0)
        values = [
            ["填报单位：长阳镇总工会"],
            ["序号", "基层工会名称", "活动日期", "参加人数"],
            ["1", "长阳镇第一小学工会", "2019-06-03", "40"],
        ]
        for r, row in enumerate(values):
            for c, v in enumerate(row):
                sheet.getCellByPosition(c, r).setString(v)
        doc.storeToURL(
            uno.systemPathToFileUrl(str(out_path)),
            (prop("FilterName", FILTERS[out_path.suffix.lower()]), prop("Password", "secret")),
        )
        doc.close(True)
        with contextlib.suppress(Exception):
            desktop.terminate()
        return 0
    finally:
        try:
            office.wait(timeout=20)
        except subprocess.TimeoutExpired:
            office.kill()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
