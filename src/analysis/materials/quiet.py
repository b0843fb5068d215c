"""The libraries that read materials kept off the analyst's console.

pypdf logs "EOF marker not found" (and more) when it reads a damaged PDF, Pillow and
fontTools log or warn about odd images and fonts: in English, on stderr, beside our
Chinese summary, and saying nothing the analyst can act on (what is wrong with a file
is in issues.csv, in Chinese). Their loggers get a handler that drops every record and
do not pass them up (so a logging set-up elsewhere does not bring them back), and the
warnings they emit while a material is read are ignored. Our own messages are not log
records nor warnings: they are untouched.
"""

from __future__ import annotations

import contextlib
import logging
import warnings
from collections.abc import Iterator

LIBRARY_LOGGERS = ("pypdf", "PyPDF2", "PIL", "fontTools", "pillow_heif", "docx", "pptx",
                   "olefile", "py7zr", "rarfile", "multivolumefile")  # fmt: skip


def silence_library_logs() -> None:
    """Drop the log records of the libraries that read materials (idempotent)."""
    for name in LIBRARY_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
            logger.addHandler(logging.NullHandler())
        logger.propagate = False


@contextlib.contextmanager
def quiet_libraries() -> Iterator[None]:
    """Read a material with its libraries silent: no log line, no warning on stderr.

    A filter set inside (Pillow's decompression-bomb warning raised as an error in
    `photos`) still applies: the innermost filter comes first.
    """
    silence_library_logs()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield
