"""Command line: `python -m analysis {demo,ingest,briefing,template,lab}`.

Exit status 0 whenever results were produced, whatever problems the input had;
non-zero, with one Chinese line on stderr and no traceback, when the run could not
produce results at all (no roster, unreadable roster, bad arguments).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import logging
import os
import re
import sys
from pathlib import Path

from analysis import config
from analysis.messages import message_text
from analysis.model import UsageError as UsageError  # defined below the demo generator


class _Formatter(argparse.HelpFormatter):
    """argparse's help with its one fixed English word in Chinese ("usage: ")."""

    def add_usage(self, usage, actions, groups, prefix=None):
        return super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


# What each option's value is, for the help's "--raw 目录" (argparse writes "--raw RAW").
# ASCII: argparse aligns the help by characters, and a Chinese one is two columns wide.
METAVARS = {"raw": "DIR", "out": "DIR", "reports": "DIR", "as_of": "YYYY-MM-DD",
            "round": "ROUND", "roster": "PATH", "campaign": "FILE", "seed": "N", "port": "PORT"}  # fmt: skip


class _Parser(argparse.ArgumentParser):
    """argparse with a one-line Chinese error instead of usage text and exit code 2.

    Its help is Chinese too (the error line tells the analyst to run `--help`).
    """

    typed: list[str] = []

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "命令"
        self._optionals.title = "选项"
        self.add_argument(
            "-h", "--help", action="help", default=argparse.SUPPRESS, help="显示这段说明并退出"
        )

    def add_argument(self, *args, **kwargs):
        action = super().add_argument(*args, **kwargs)
        if action.metavar is None and action.dest in METAVARS and action.nargs != 0:
            action.metavar = METAVARS[action.dest]
        return action

    def parse_known_args(self, args=None, namespace=None):
        self.typed = list(sys.argv[1:] if args is None else args)
        return super().parse_known_args(args, namespace)

    def error(self, message: str):  # noqa: D401 - argparse hook
        # A sub-command's parser is named "analysis ingest"; the top one reports what
        # follows a known command (unrecognized arguments) and the command itself.
        command = self.prog.split()[1:]
        commands = self._commands()
        if not command:
            command = [next((w for w in self.typed if w in commands), "")]
        usage = " ".join(["python -m analysis", *[w for w in command if w], "--help"])
        detail = _argparse_zh(message, commands)
        raise UsageError(message_text("cli_bad_arguments", detail=detail, usage=usage))

    def _commands(self) -> list[str]:
        for action in self._actions:
            if isinstance(action, argparse._SubParsersAction):
                return list(action.choices)
        return []


# argparse's own messages (not translated by Python), as the analyst should read them.
_ARGPARSE_MESSAGES = (
    (re.compile(r"unrecognized arguments: (?P<words>.+)", re.S), "cli_arg_unrecognized"),
    (re.compile(r"argument (?P<option>\S+): expected one argument"), "cli_arg_missing_value"),
    (re.compile(r"the following arguments are required: (command|命令)$"), "cli_arg_no_command"),
    (re.compile(r"the following arguments are required: (?P<options>.+)"), "cli_arg_required"),
    (
        re.compile(r"argument (command|命令): invalid choice: (?P<value>.+?) \(choose from .+\)$"),
        "cli_arg_bad_command",
    ),
    (
        re.compile(
            r"argument (?P<option>\S+): invalid choice: (?P<value>.+?) \(choose from (?P<choices>.+)\)$"
        ),
        "cli_arg_bad_choice",
    ),
    (
        re.compile(r"argument (?P<option>\S+): ignored explicit argument (?P<value>.+)"),
        "cli_arg_takes_no_value",
    ),
    (re.compile(r"argument (?P<option>\S+): invalid int value: (?P<value>.+)"), "cli_arg_not_int"),
    (
        re.compile(r"argument (?P<option>\S+): invalid float value: (?P<value>.+)"),
        "cli_arg_not_number",
    ),
    (re.compile(r"argument (?P<option>\S+): (?P<detail>.+)", re.S), "cli_arg_bad_value"),
)


def _argparse_zh(message: str, commands: list[str]) -> str:
    """argparse's error `message` in Chinese (the text as it is when not one of its usual ones)."""
    for pattern, key in _ARGPARSE_MESSAGES:
        found = pattern.fullmatch(message.strip())
        if found is None:
            continue
        fields = {  # a quoted value without its quotes; a sentence (detail) as it is
            k: v if k == "detail" else v.strip("'\"") for k, v in found.groupdict().items()
        }
        if "choices" in fields:
            fields["choices"] = "、".join(c.strip(" '\"") for c in fields["choices"].split(","))
        if key in ("cli_arg_no_command", "cli_arg_bad_command"):
            fields["choices"] = "、".join(commands)
        return message_text(key, **fields)
    return message


def _date_arg(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        key = "cli_no_such_date" if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else "cli_bad_date"
        raise argparse.ArgumentTypeError(message_text(key, value=text)) from None


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="analysis", description="房山区总工会 学习宣传活动报送统计分析")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser, metavar="命令")

    demo = sub.add_parser("demo", help="生成演示数据")
    demo.add_argument(
        "--out", type=Path, default=config.DEMO_RAW_DIR, help="输出目录（默认 data/demo/raw）"
    )
    demo.add_argument("--seed", type=int, default=config.DEMO_SEED, help="随机种子")

    ingest = sub.add_parser("ingest", help="读取名册和报送表，生成统计表")
    ingest.add_argument(
        "--raw", type=Path, default=config.RAW_DATA_DIR, help="原始数据目录（默认 data/raw）"
    )
    ingest.add_argument(
        "--out",
        type=Path,
        default=config.PROCESSED_DATA_DIR,
        help="输出目录（默认 data/processed）",
    )
    ingest.add_argument("--as-of", type=_date_arg, default=None, help="统计截止日期 YYYY-MM-DD")
    ingest.add_argument("--full", action="store_true", help="忽略缓存，全部重新读取")
    ingest.add_argument("--quiet", action="store_true", help="不显示进度条")

    briefing = sub.add_parser("briefing", help="摄取数据、运行笔记本并导出通报材料")
    briefing.add_argument(
        "--raw",
        type=Path,
        default=None,
        help="原始数据目录（默认：data/raw 有名册时用它，否则用演示数据）",
    )
    briefing.add_argument("--out", type=Path, default=None, help="统计表目录")
    briefing.add_argument(
        "--reports", type=Path, default=config.REPORTS_DIR, help="通报材料目录（默认 reports/）"
    )
    briefing.add_argument("--as-of", type=_date_arg, default=None, help="统计截止日期 YYYY-MM-DD")
    briefing.add_argument(
        "--round", default=None, help="通报的报送期次（如 r2；默认取截止日期前已有报送的最近一期）"
    )

    _add_lab_parser(sub)

    template = sub.add_parser("template", help="为每个报送单位生成预填的报送模板")
    template.add_argument(
        "--roster",
        type=Path,
        default=None,
        help="名册文件或目录（默认 data/raw/roster，无则用演示名册）",
    )
    template.add_argument("--round", default=None, help="报送期次代码，如 r2（默认第一期）")
    template.add_argument(
        "--out", type=Path, default=None, help="输出目录（默认 reports/templates/<期次>）"
    )
    template.add_argument("--campaign", type=Path, default=None, help="活动定义文件 campaign.toml")
    return parser


def _add_lab_parser(sub) -> None:
    lab = sub.add_parser("lab", help="打开 JupyterLab（简体中文界面）和通报笔记本")
    lab.add_argument("--port", type=int, default=None, help="端口（默认由 JupyterLab 选择）")
    lab.add_argument("--no-browser", action="store_true", help="不自动打开浏览器")


def _run(args: argparse.Namespace) -> int:
    if args.command == "lab":
        from analysis import lab

        return lab.run(port=args.port, browser=not args.no_browser)
    if args.command == "demo":
        from analysis import demo

        summary = demo.generate(args.out, seed=args.seed)
        print(summary)
        return 0
    if args.command == "ingest":
        from analysis import run_manifest

        inputs = run_manifest.fingerprint(args.raw, args.out, args.as_of)
        if not args.full:  # nothing changed since the last run: say what it said, import nothing
            last = run_manifest.unchanged(args.out, inputs)
            if last is not None and isinstance(last.get("summary"), str):
                from analysis import history

                print(last["summary"])
                print(history.record_unchanged(args.out))
                return 0
        with _collector_off():  # the tables' libraries, and the writer every run needs
            import pyarrow.parquet  # noqa: F401

            from analysis import history, ingest

        try:
            result = ingest.run(
                args.raw, args.out, as_of=args.as_of, full=args.full, progress=not args.quiet,
                inputs=inputs,
            )  # fmt: skip
        except ingest.OutputError as exc:
            print(str(exc), file=sys.stderr)
            return 1
        print(result.summary_zh())
        print(history.change_text(args.out))
        return 0
    if args.command == "briefing":
        from analysis import briefing

        # Relative paths are the analyst's, from the folder she typed them in, as for
        # `ingest` (briefing.run itself takes them from the project root, for notebooks).
        return briefing.run(
            raw_dir=_from_cwd(args.raw),
            processed_dir=_from_cwd(args.out),
            reports_dir=_from_cwd(args.reports),
            as_of=args.as_of,
            round_code=args.round,
        )
    if args.command == "template":
        from analysis.templates import batch

        if args.campaign is not None and not args.campaign.is_file():
            raise UsageError(message_text("cli_campaign_missing", path=args.campaign))
        from analysis.templates.writer import RoundUnknown

        try:
            result = batch.run(
                roster=args.roster, round_code=args.round, out_dir=args.out,
                campaign_path=args.campaign,
            )  # fmt: skip
        except RoundUnknown as exc:  # a bad argument (status 2), as for briefing
            raise UsageError(str(exc)) from None
        print(result)
        return 0
    raise UsageError(message_text("cli_unknown_command", command=args.command))


@contextlib.contextmanager
def _collector_off():
    """The cyclic collector paused while the heavy libraries are imported.

    Importing pandas, numpy and pyarrow makes some hundred thousand objects that live to
    the end of the process, and the collector's passes over them found nothing to free:
    ~45 ms of the ~0.45 s of CPU their import takes (6 alternated runs). They are then
    put with the oldest objects (`gc.freeze` and `gc.unfreeze`: no pass over them), not
    left young for the first collection after the pause to walk (~30-60 ms). Nothing
    stays frozen: the run decides that itself (`ingest._long_lived`).
    """
    import gc

    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        if gc.get_freeze_count() == 0:  # none of a caller's own frozen objects to thaw
            gc.freeze()
            gc.unfreeze()
        gc.enable()


def _an_input_file(path: object, args: argparse.Namespace | None) -> bool:
    """Whether `path` is an existing file inside the run's raw folder."""
    raw = getattr(args, "raw", None) or config.RAW_DATA_DIR
    try:
        return Path(path).is_file() and config.within(path, raw)
    except (OSError, TypeError, ValueError):
        return False


def _from_cwd(path: Path | None) -> Path | None:
    return path if path is None or path.is_absolute() else Path.cwd() / path


def program() -> int:
    """`main` as the program `python -m analysis` (and the console script) runs it.

    The process ends with it: what the run left in memory is frozen for the cyclic
    collector (`gc.freeze`), so that the interpreter's shutdown does not walk pandas',
    pyarrow's and the run's objects once more before the OS takes them back (~0.1 s
    of every command, a tenth of a re-run of the scaled round). Objects are still freed
    by their reference counts; cyclic garbage is left to the end of the process. The
    shutdown itself is skipped where nothing else runs (`_leave`).
    """
    import gc

    status = main()
    gc.freeze()
    _leave(status)
    return status


def _tolerant_console() -> None:
    """Print what the console's encoding lacks as "?" rather than stop with a traceback.

    A Windows console written through a pipe or a file (briefing.bat's window, a log)
    is GBK: a file, folder or unit name with a character GBK lacks ("•", a rare
    character) raised UnicodeEncodeError after the run had done its work.
    """
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("_", "-")
        if hasattr(stream, "reconfigure") and not encoding.startswith("utf"):
            with contextlib.suppress(ValueError, OSError):  # a closed or detached stream
                stream.reconfigure(errors="replace")


def _leave(status: int) -> None:
    """End the process with `status` without tearing its heap down, when nothing else
    runs in it (else return, for the ordinary exit).

    Frozen or not, the interpreter's shutdown still clears every module and frees the
    run's objects (pandas', pyarrow's, the tables) one by one before the OS takes the
    memory back: ~35 ms of CPU of a re-run of the scaled round. What a shutdown must
    do is done first: the `atexit` functions (logging's flush, multiprocessing's wait
    for its children) and the flush of stdout and stderr. Every file the package
    writes is closed where it is written.
    """
    import atexit
    import threading

    if threading.active_count() != 1:  # a thread still running: its end is waited for
        return
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError, AttributeError):  # closed, or a closed pipe
            stream.flush()
    os._exit(status)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    from analysis.campaign import CampaignError
    from analysis.model import RosterError

    # Charts are files, never windows: without this, matplotlib on Windows picks TkAgg
    # (slow, and thread-sensitive); `make` exports the same. Kernels and workers inherit it.
    os.environ.setdefault("MPLBACKEND", "Agg")
    # The package's log lines are for developers (ingest.log, a debugger): without a
    # handler Python would print its warnings, in English, under the analyst's lines.
    package_log = logging.getLogger("analysis")
    if not package_log.handlers:
        package_log.addHandler(logging.NullHandler())
    # Nor the libraries' (pypdf's "EOF marker not found" on a damaged PDF): issues.csv
    # says, in Chinese, what is wrong with a file.
    from analysis.materials.quiet import silence_library_logs

    silence_library_logs()
    _tolerant_console()
    args = None
    try:
        args = build_parser().parse_args(argv)
        return _run(args)
    except UsageError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except (RosterError, CampaignError) as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except OSError as exc:  # a folder that cannot be made or written: one line, no traceback
        from analysis.messages import os_reason

        path = exc.filename or getattr(args, "out", None) or ""
        # A file the run only reads (the roster, aliases.csv, campaign.toml) that is
        # locked or closed to her: as a locked submission is told, not as a folder.
        key = "cli_input_locked" if _an_input_file(path, args) else "cli_os_error"
        print(message_text(key, path=path, reason=os_reason(exc)), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(message_text("cli_interrupted"), file=sys.stderr)
        return 130
