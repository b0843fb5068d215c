"""Every issue code the package emits is a named constant (model.IssueCode) and has a
sentence in the one message catalogue (messages.MESSAGES); no other module keeps its own
catalogue.

The emitted codes are read from the source with ast: the `code` argument of every call
that makes an issue or a rejection (Issue, FileRejected and the modules' helpers), and the
codes the cell-value cleaners return (clean.py, publicity.py, materials/)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from analysis.messages import MESSAGES, message, message_text
from analysis.model import IssueCode

SRC = Path(__file__).resolve().parents[1] / "src" / "analysis"
CODE = re.compile(r"^[a-z]+(?:_[a-z0-9]+)*$")
# Call name -> the position of its code argument.
CODE_ARGUMENT = {
    "Issue": 5,  # Issue(file, sheet, row, column, severity, code, message)
    "FileRejected": 0,
    "note": 1,  # ledger: note(errors|warnings, code, column, message)
    "warn": 0,  # templates/reader.py
    "problem": 2,  # roster.py
    "_issue": 1,  # archives.py
    "_material_issue": 2,  # materials/table.py
    "_file_issue": 2,  # ledger.py
    "_record": 4,  # publicity.py: a record's reason
    "message": 0,  # messages.message: the issue-code sentence
    "DocumentError": 0,  # materials/documents.py
    "PhotoError": 0,  # materials/photos.py
}
# Cleaners return their codes (or append them to a list) rather than make issues.
CLEANER_PREFIXES = ("participants_", "date_", "work_item_", "form_", "publicity_")
CLEANERS = ("clean.py", "publicity.py")
# Row reasons without an issue of their own (the row's state says it all).
REASONS_ONLY = {"total_row", "note_row", "date_unreadable_round_known"}


def _const(node: ast.AST) -> str | None:
    """A code written as a string, or as IssueCode.NAME."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and CODE.match(node.value):
        return node.value
    if (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "IssueCode"
    ):
        return IssueCode[node.attr].value
    return None


def emitted_codes() -> dict[str, set[str]]:
    """Code -> the files (relative to the package) that emit it."""
    found: dict[str, set[str]] = {}
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        if rel.startswith("demo/"):
            continue  # the demo generator plants codes it expects; it emits none
        cleaner = rel.startswith(CLEANERS)
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            codes: list[str | None] = []
            if isinstance(node, ast.Call):
                func = node.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
                position = CODE_ARGUMENT.get(name)
                if position is not None and len(node.args) > position:
                    codes.append(_const(node.args[position]))
                for keyword in node.keywords:
                    if keyword.arg == "code":
                        codes.append(_const(keyword.value))
                    if keyword.arg == "error" and isinstance(keyword.value, ast.Tuple):
                        codes.append(_const(keyword.value.elts[0]))  # materials: (code, detail)
            elif (
                isinstance(node, ast.Assign)
                and rel == "ingest.py"
                and any(
                    isinstance(target, ast.Name) and target.id == "code" for target in node.targets
                )
            ):
                codes.append(_const(node.value))  # code = "file_locked"
            elif (
                isinstance(node, ast.Assign)
                and isinstance(node.value, ast.Tuple)
                and any(
                    getattr(target, "attr", None) in ("error", "rejected")
                    for target in node.targets
                )
            ):
                codes.append(_const(node.value.elts[0]))  # facts.error = (code, detail)
                # and parsed.rejected = (code, message)
            elif cleaner and isinstance(node, ast.Constant):
                value = _const(node)
                if (
                    value
                    and value.startswith(CLEANER_PREFIXES)
                    and value not in MESSAGES_KEYS_NOT_CODES
                ):
                    codes.append(value)
            for code in codes:
                if code:
                    found.setdefault(code, set()).add(rel)
    return found


# Catalogue keys that are parts of sentences, not codes (cleaner files may name them).
MESSAGES_KEYS_NOT_CODES = {"cell_generic", "work_item_unknown_listed", "form_item_mismatch_named"}


def test_the_walk_finds_codes_of_every_stage():
    codes = emitted_codes()
    # one from each stage: reading, tables, cells, names, roster, files, archives, materials
    for code in ["zip_bomb", "column_missing", "participants_range", "alias_conflict",
                 "roster_kind_mixed", "superseded", "archive_rar", "material_duplicate",
                 "publicity_count_range", "template_altered", "round_unknown"]:  # fmt: skip
        assert code in codes, code
    assert len(codes) > 90
    assert {"file_locked", "file_vanished", "material_bomb"} <= set(codes)


def test_every_emitted_code_is_a_named_constant():
    missing = sorted(set(emitted_codes()) - set(IssueCode))
    assert missing == []


def test_every_emitted_code_has_a_catalogue_sentence():
    missing = sorted(c for c in emitted_codes() if c not in MESSAGES and c not in REASONS_ONLY)
    assert missing == []


def test_every_named_code_is_emitted_or_a_reason():
    unused = sorted(set(IssueCode) - set(emitted_codes()) - REASONS_ONLY)
    assert unused == []


def test_no_module_keeps_its_own_catalogue():
    for path in SRC.rglob("*.py"):
        if path.name == "messages.py":
            continue
        tree = ast.parse(path.read_text("utf-8"))
        names = {t.id for n in ast.walk(tree) if isinstance(n, ast.Assign) for t in n.targets
                 if isinstance(t, ast.Name)}  # fmt: skip
        assert "MESSAGES" not in names, path


def test_message_fills_placeholders_and_names_unknown_codes():
    assert message("duplicate_file", file="甲.xlsx", original="乙.xlsx") == (
        "文件“甲.xlsx”与“乙.xlsx”内容完全相同，未重复计入。"
    )
    # an unknown code never crashes a run: a generic sentence that names it
    assert (
        message("no_such_code", file="甲.xlsx") == "文件“甲.xlsx”有问题（no_such_code）；请核对。"
    )
    assert message("no_such_code", row=7, column="参加人数", value="x", effect="已计入") == (
        "第7行“参加人数”的值“x”有疑问（no_such_code）；该行已计入，请核对。"
    )


def test_message_text_needs_every_placeholder():
    assert message_text("too_many_sheets", file="甲.xlsx", sheets=300, limit=255) == (
        "文件“甲.xlsx”有 300 个工作表，超过上限 255 个，未读取；请删除无关工作表后重新报送。"
    )
    with pytest.raises(KeyError):
        message_text("too_many_sheets", file="甲.xlsx")


def test_sheet_messages_name_the_file_when_the_caller_gives_it():
    assert message("sheet_no_table", sheet="说明", file="submissions/甲.xlsx") == (
        "文件“submissions/甲.xlsx”的工作表“说明”有内容，但没有找到活动明细表的表头，未读取；"
        "请核对该表是否应当统计。"
    )
    assert message("sheet_hidden_skipped", sheet="旧表") == (
        "工作表“旧表”是隐藏的，其中的内容未读取；如需统计，请取消隐藏后重新运行。"
    )


def test_unknown_work_item_lists_the_campaigns_work_items():
    from analysis.campaign import load_campaign
    from analysis.clean import message as cell_message

    campaign = load_campaign()
    assert len(campaign.work_items) == 5
    assert cell_message("work_item_unknown", " 学习活动 ", campaign) == (
        "工作类别“学习活动”无法对应到通知中的工作类别（“切实抓好学习”“加强宣讲培训”"
        "“精心组织宣传”“狠抓工作落实”“做好相关资料上报”），计入“其他”；请从中选择一项填写。"
    )


# Modules whose Chinese sentences all come from the catalogue (the others write report
# prose, chart labels, template content or demo data).
CATALOGUED = ["readers.py", "names.py", "roster.py", "tables.py", "submissions.py", "clean.py",
              "campaign.py", "cli.py", "lab.py", "publicity.py", "archives.py",
              "templates/reader.py", "templates/fill.py", "templates/layout.py",
              "materials/table.py", "materials/intake.py", "materials/attribution.py",
              "materials/photos.py", "materials/detect.py", "materials/cache.py",
              "ledger.py", "ingest.py"]  # fmt: skip
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("module", CATALOGUED)
def test_no_sentence_is_built_inline(module):
    """No f-string with Chinese text: a sentence with fields is a catalogue entry."""
    tree = ast.parse((SRC / module).read_text("utf-8"))
    inline = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.JoinedStr)
        and CJK.search("".join(v.value for v in node.values if isinstance(v, ast.Constant)))
    ]
    assert inline == []
