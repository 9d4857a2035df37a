"""The command line: parse arguments, call one library function, print, exit."""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Sequence

from workbook_engine import __version__
from workbook_engine.errors import EngineError
from workbook_engine.catalogue import CATALOGUE, ENV, LANGS, default_lang, t, term_label
from workbook_engine.settings import load_settings

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_OUTPUT = 0, 1, 2, 3
# what the console shows for a mark its encoding lacks (GBK has none of ✗ ↺ ⏰; cp1252 and ASCII no Chinese)
CONSOLE_FALLBACK = {"✗": "x", "↺": "~", "⏰": "!", "？": "?", "→": "->", "✓": "v", "…": "...", "—": "-"}
CONSOLE_ERRORS = "workbook-engine-console"


def _console_fallback(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    text = exc.object[exc.start:exc.end]
    return "".join(CONSOLE_FALLBACK.get(ch, "?") for ch in text), exc.end


def robust_console() -> None:
    """Printing never fails for want of a character: a console or redirected output in GBK (a Chinese
    Windows), cp1252 or ASCII gets a plain stand-in for each mark it cannot encode."""
    import codecs

    try:
        codecs.lookup_error(CONSOLE_ERRORS)
    except LookupError:
        codecs.register_error(CONSOLE_ERRORS, _console_fallback)
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
        if encoding.startswith("utf") or not hasattr(stream, "reconfigure"):
            continue
        try:
            stream.reconfigure(errors=CONSOLE_ERRORS)
        except (ValueError, OSError):  # pragma: no cover - a stream that cannot be reconfigured
            pass


def _json_ascii() -> bool:
    """JSON on a console that cannot show every character is written with ASCII escapes: the same data."""
    encoding = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "")
    return not encoding.startswith("utf")


def _settings_arg(p: argparse.ArgumentParser, lang: str) -> None:
    p.add_argument("--config", metavar="school.toml", help=t("cli.help.config", lang))
    _lang_arg(p, lang)


def _lang_arg(p: argparse.ArgumentParser, lang: str, default: object = argparse.SUPPRESS) -> None:
    """--lang, accepted before the subcommand and after it (a subcommand's own --lang wins); the default
    comes from WORKBOOK_ENGINE_LANG, else Chinese."""
    p.add_argument("--lang", choices=list(LANGS), default=default, help=t("cli.help.lang", lang, env=ENV))


def argv_lang(argv: Sequence[str] | None) -> str:
    """The language the command line asks for (its last --lang), before it is parsed: the help texts are
    written in it. WORKBOOK_ENGINE_LANG, else Chinese, when none is given."""
    args = list(sys.argv[1:] if argv is None else argv)
    found = None
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            found = args[i + 1]
        elif arg.startswith("--lang="):
            found = arg.split("=", 1)[1]
    return found if found in LANGS else default_lang()


MAX_WORKERS = 256  # reader processes: more than any school's machine has cores
MAX_DEBOUNCE_S = 3600.0


def _within(convert: type, low: float, high: float, key: str, lang: str):
    """An argparse type: a number from low to high, else a usage error (exit 2) in the user's words."""
    def parse(text: str) -> float:
        try:
            value = convert(text)
        except ValueError:
            value = None
        if value is None or not low <= value <= high:  # NaN fails the comparison too
            raise argparse.ArgumentTypeError(t(key, lang, value=text, low=f"{low:g}", high=f"{high:g}"))
        return value
    return parse


# where each command writes what the user named: (argument, option, "file" | "folder"); checked before any work
OUTPUT_ARGUMENTS = {
    "validate": (("json", "--json", "file"), ("annotate", "--annotate", "folder")),
    "assign": (("out", "--out", "file"), ("json", "--json", "file")),
    "send-feedback": (("dry_run", "--dry-run", "folder"),),
    "templates": (("dir", "templates", "folder"),),
    "new-term": (("to", "--to", "folder"),),
}


def check_output_arguments(args: argparse.Namespace) -> list[Path]:
    """A file named for an output is not a folder and goes into a folder that exists (no parent is ever
    created outside a folder the user named); a folder named for outputs is a folder, created if need be.
    UsageError (exit 2) for the wrong kind, OutputError (exit 3) for a folder that cannot be made. Returns the
    folders it created, deepest first (a command that fails removes them again while they are empty)."""
    from workbook_engine.errors import UsageError
    from workbook_engine.publishing.publish import explain

    created: list[Path] = []
    for attr, option, kind in OUTPUT_ARGUMENTS.get(args.command, ()):
        value = getattr(args, attr, None)
        if not value or value == "-":
            continue
        path = Path(value)
        if kind == "file":
            if path.is_dir():
                raise UsageError(t("cli.out_is_folder", args.lang, option=option, path=path))
            if not path.absolute().parent.is_dir():
                raise UsageError(t("cli.out_no_folder", args.lang, option=option, path=path,
                                   folder=path.absolute().parent))
        elif os.path.lexists(path) and not path.is_dir():
            raise UsageError(t("cli.out_not_folder", args.lang, option=option, path=path))
        else:
            missing = [p for p in (path, *path.parents) if not os.path.lexists(p)]
            try:
                path.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise explain(exc, path, args.lang) from None
            created += missing
    return created


def remove_if_empty(folders: list[Path]) -> None:
    """Folders a failed command created for its outputs, deepest first, removed while they are still empty."""
    for folder in folders:
        try:
            folder.rmdir()
        except OSError:  # not empty (or gone): keep it and everything above it
            return


def build_parser(lang: str | None = None) -> argparse.ArgumentParser:
    from workbook_engine.mail import SENT_LOG
    from workbook_engine.publishing.layout import HANDBOOK_FOLDER, REPORT_NAME
    from workbook_engine.term import TERMS
    from workbook_engine.settings import Ledger

    lang = lang or default_lang()
    H = lambda key, **kw: t("cli.help." + key, lang, **kw)  # noqa: E731
    D = lambda key, **kw: t("cli.desc." + key, lang, **kw)  # noqa: E731
    parser = argparse.ArgumentParser(prog="workbook-engine", description=H("prog"))
    parser.add_argument("--version", action="version", version=f"workbook-engine {__version__}")
    _lang_arg(parser, lang, default=None)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("templates", help=H("templates"), description=D("templates", toml="school.toml"))
    p.add_argument("dir", nargs="?", default="blank_templates", help=H("templates_dir", default="blank_templates"))
    p.add_argument("--force", action="store_true", help=H("force", new="NAME.new"))
    _lang_arg(p, lang)

    p = sub.add_parser("validate", help=H("validate"), description=D("validate"))
    p.add_argument("files", nargs="+", metavar="FILE", help=H("files"))
    p.add_argument("--json", metavar="OUT", help=H("json_out", json="JSON"))
    p.add_argument("--annotate", metavar="DIR", help=H("annotate"))
    _settings_arg(p, lang)

    for name in ("run", "watch"):
        p = sub.add_parser(name, help=H(name), description=D(name, run="run", ctrl_c="Ctrl-C"))
        p.add_argument("inbox", metavar="INBOX", help=H("inbox"))
        p.add_argument("--out", required=True, metavar="DIR", help=H("out"))
        p.add_argument("--as-of", metavar="YYYY-MM-DD", help=H("as_of"))
        p.add_argument("--workers", type=_within(int, 1, MAX_WORKERS, "cli.bad_count", lang), metavar="N",
                       help=H("workers"))
        _settings_arg(p, lang)
        if name == "run":
            p.add_argument("--term", metavar=t("cli.metavar.term", lang), help=H("only_term", example="2026-2027" + TERMS[0]))
            p.add_argument("--replace-term", action="store_true", help=H("replace_term", share="20%%"))
            p.add_argument("--handbooks", action="store_true",
                           help=H("handbooks", path=f"{HANDBOOK_FOLDER}/{t('cli.metavar.teacher', lang)}_"
                                                     f"{t('col.name', lang)}.xlsx"))
        if name == "watch":
            p.add_argument("--debounce", type=_within(float, 0, MAX_DEBOUNCE_S, "cli.bad_seconds", lang), default=2.0,
                           metavar="SECONDS", help=H("debounce"))
            p.add_argument("--poll", type=float, metavar="SECONDS", help=H("poll"))
    p = sub.add_parser("assign", help=H("assign"),
                       description=D("assign", students="students", communities="communities"))
    p.add_argument("workbook", metavar="CLASS_WORKBOOK", help=H("class_workbook"))
    p.add_argument("--out", required=True, metavar="FILE", help=H("assign_out"))
    p.add_argument("--mode", choices=["students", "communities"], help=H("mode"))
    p.add_argument("--groups", type=int, choices=[4, 5], help=H("groups"))
    p.add_argument("--seed", type=int, default=0, help=H("seed"))
    p.add_argument("--repair", action="store_true", help=H("repair"))
    p.add_argument("--date", metavar="YYYY-MM-DD", help=H("date"))
    p.add_argument("--json", metavar="OUT", help=H("json_result", json="JSON"))
    _settings_arg(p, lang)

    p = sub.add_parser("history", help=H("history"),
                       description=D("history", teacher="--teacher", cls="--class", student="--student"))
    p.add_argument("outdir", metavar="OUT", help=H("ledger_out", run="run"))
    who = p.add_mutually_exclusive_group()
    who.add_argument("--teacher", metavar=t("cli.metavar.teacher", lang), help=H("teacher"))
    who.add_argument("--class", dest="class_name", metavar=t("cli.metavar.class", lang), help=H("class"))
    who.add_argument("--student", metavar=t("cli.metavar.student", lang), help=H("student"))
    p.add_argument("--json", action="store_true", help=H("as_json", json="JSON"))
    _settings_arg(p, lang)

    p = sub.add_parser("new-term", help=H("new_term"),
                       description=D("new_term", run="run", ledger=Ledger().path, grades="[ledger] grades"))
    p.add_argument("outdir", metavar="OUT", help=H("ledger_out", run="run"))
    p.add_argument("--to", required=True, metavar="DIR", help=H("to"))
    p.add_argument("--term", choices=list(TERMS), help=H("term"))  # (the term's names as workbooks write them)
    p.add_argument("--year", metavar="YYYY-YYYY", help=H("year"))
    p.add_argument("--books", metavar="DIR", help=H("books", run="run"))
    p.add_argument("--json", action="store_true", help=H("as_json", json="JSON"))
    _settings_arg(p, lang)

    p = sub.add_parser("fetch-mail", help=H("fetch_mail"),
                       description=D("fetch_mail", password_env="password_env", receipts="[mail] receipts = true"))
    p.add_argument("inbox", metavar="INBOX", help=H("mail_inbox"))
    _settings_arg(p, lang)

    p = sub.add_parser("serve", help=H("serve"), description=D("serve", office="/office", host="--host 0.0.0.0",
                                                                  ctrl_c="Ctrl-C"))
    p.add_argument("inbox", metavar="INBOX", help=H("inbox"))
    p.add_argument("--out", required=True, metavar="DIR", help=H("out"))
    p.add_argument("--host", default="127.0.0.1", help=H("host", all="0.0.0.0"))
    p.add_argument("--port", type=int, default=8765, help=H("port"))
    _settings_arg(p, lang)

    p = sub.add_parser("send-feedback", help=H("send_feedback"),
                       description=D("send_feedback", report=REPORT_NAME, timeout="[mail] timeout_s",
                                     log=f"OUTDIR/{SENT_LOG}", resend="--resend", dry_run="--dry-run", eml=".eml"))
    p.add_argument("outdir", metavar="OUTDIR", help=H("run_out", run="run"))
    p.add_argument("--dry-run", metavar="DIR", help=H("dry_run", eml=".eml", dir="DIR"))
    p.add_argument("--resend", action="store_true", help=H("resend"))
    p.add_argument("--term", metavar=t("cli.metavar.term", lang), help=H("feedback_term", example="2026-2027" + TERMS[0]))
    _settings_arg(p, lang)
    return parser


def _print_table(rows: list[tuple[str, ...]], out=None) -> None:
    from workbook_engine.writing.sheet import text_width as width

    if not rows:
        return
    widths = [max(width(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    for r in rows:
        cells = [c + " " * (widths[i] - width(c)) for i, c in enumerate(r[:-1])]
        print("  ".join([*cells, r[-1]]), file=out or sys.stdout)


def cmd_templates(args: argparse.Namespace) -> int:
    from workbook_engine.writing.templates import write_templates

    kept: list[tuple[Path, Path]] = []
    for path in write_templates(args.dir, args.lang, args.force, kept):
        print(path)
    for old, new in kept:
        print(t("tpl.toml_kept", args.lang, path=old, new=new.name))
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    from workbook_engine.writing.annotate import annotate
    from workbook_engine.files import shown_name
    from workbook_engine.validation.validate import validate_files

    settings = load_settings(args.config, args.lang)
    missing = [f for f in args.files if not Path(f).exists()]
    if missing:
        print(t("cli.no_file", args.lang, files=", ".join(map(shown_name, missing))), file=sys.stderr)
        return EXIT_USAGE
    from workbook_engine.execution import ProcessExecutor

    executor = ProcessExecutor(memory_mb=settings.limits.worker_memory_mb) if len(args.files) > 1 else None
    report = validate_files(args.files, settings, executor)
    data = report.to_dict(args.lang)
    if args.json == "-":
        print(json.dumps(data, ensure_ascii=_json_ascii(), indent=2))
    else:
        lang = args.lang
        for f in report.files:
            errors = sum(p.severity.value == "error" for p in f.problems)
            warnings = len(f.problems) - errors
            kind = t("kind." + f.kind, lang) if ("kind." + f.kind) in CATALOGUE else f.kind
            print(t("cli.file_line", lang, path=shown_name(str(f.path)), kind=kind, state=t("cli.valid" if f.valid else "cli.invalid", lang),
                    counts=t("cli.counts", lang, errors=errors, warnings=warnings)))
            rows = [tuple(t("annotate.col." + k, lang) for k in ("severity", "sheet", "cell", "message"))]
            for p in f.problems:
                rows.append((t("severity." + p.severity.value, lang), p.sheet or "-", p.cell or "-", p.message(lang)))
            if len(rows) > 1:
                _print_table(rows)
            print()
        if args.json:
            from workbook_engine.files import write_json

            write_json(Path(args.json), data)
    if args.annotate:
        taken: set[str] = set()
        for f in report.files:
            out = annotate(f, args.annotate, args.lang, taken)
            if out:
                print(t("cli.annotated", args.lang, path=shown_name(str(out))), file=sys.stderr)
    return EXIT_OK if report.valid else EXIT_PROBLEMS


def _as_of(text: str | None, lang: str = "zh", option: str = "--as-of"):
    import datetime as dt

    from workbook_engine.errors import UsageError

    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(t("cli.bad_as_of", lang, option=option, format="YYYY-MM-DD", text=text)) from None


def _waiting(out: str, lang: str):
    """What the console says while a command waits for a run on the same OUT to end."""
    return lambda: print(t("cli.waiting", lang, out=out), file=sys.stderr, flush=True)


def _run_once(args: argparse.Namespace, settings=None, unsettled=()):
    from workbook_engine.execution import ProcessExecutor
    from workbook_engine.pipeline import run_inbox
    from workbook_engine.cli.progress import RunProgress
    from workbook_engine.term import term_words

    executor = None
    if args.workers:
        from workbook_engine.reading.inbox import resolve_settings

        settings = settings or resolve_settings(Path(args.inbox), args.config, args.lang)
        executor = ProcessExecutor(args.workers, memory_mb=settings.limits.worker_memory_mb)
    waiting = _waiting(args.out, args.lang)
    with RunProgress(sys.stderr, args.lang) as progress:
        result = run_inbox(args.inbox, args.out, settings=settings, config=args.config,
                           as_of=_as_of(args.as_of, args.lang),
                           lang=args.lang, executor=executor, progress=progress.advance, on_start=progress.start,
                           on_wait=waiting, unsettled=unsettled, handbooks=getattr(args, "handbooks", False),
                           term=getattr(args, "term", None), replace_term=getattr(args, "replace_term", False))
    for notice in result.notices:  # once, at the top: default dates, a term kept, an old OUT moved
        print(notice)
    for one in result.terms:
        if len(result.terms) > 1:
            print(t("timeline.term_line", args.lang, term=term_words(one.school_year, one.term, args.lang)))
        _print_run_summary(one, args.lang)
    return result


def _print_run_summary(result, lang: str) -> None:
    s = result.report["summary"]
    files, rows = s["files"], s["rows"]
    T = lambda key: t("cli.run." + key, lang)  # noqa: E731
    table = [(T("item"), T("count")),
             (T("files_accepted"), str(files["accepted"])), (T("files_superseded"), str(files["superseded"])),
             (T("files_rejected"), str(files["rejected"])), (T("files_skipped"), str(files["skipped"])),
             (T("rows_read"), str(rows["read"])), (T("rows_accepted"), str(rows["accepted"])),
             (T("rows_rejected"), str(rows["rejected"] - rows["superseded"])),
             (T("rows_superseded"), str(rows["superseded"])), (T("rows_lost"), str(s["rows_lost_between_versions"])),
             (T("errors"), str(s["errors"])), (T("warnings"), str(s["warnings"]))]
    comp = result.compliance
    if comp is not None:
        talk_rate, parent_rate = comp.school_rates()
        table += [(T("talk_rate"), f"{talk_rate:.1%}" if talk_rate is not None else "—"),
                  (T("parent_rate"), f"{parent_rate:.1%}" if parent_rate is not None else "—"),
                  (T("overdue"), str(comp.overdue_students()))]
    _print_table(table)
    reasons = {d["path"]: d["reason"] for d in result.report["files"]}  # redacted, as in report.json
    for f in result.files:
        reason = reasons.get(f.name, "")
        if f.status == "rejected" or (f.status == "accepted" and f.errors):
            state = T("rejected") if f.status == "rejected" else T("n_errors").format(n=f.errors)
            print("  ✗ " + T("file_state").format(name=f.name, state=state)
                  + (T("because").format(reason=reason) if reason else ""))
        elif f.status == "superseded":
            print("  ↺ " + T("file_state").format(name=f.name, state=reason))
        elif f.status == "skipped" and f.reason in (t("inbox.skip.still_writing", "zh"),
                                                    t("inbox.skip.still_writing", "en")):
            print("  … " + T("file_state").format(name=f.name, state=f.reason))
        elif f.status == "skipped" and f.name.lower() != "school.toml":  # why a file was not read (a lock file …)
            print("  - " + T("file_state").format(name=f.name, state=reasons.get(f.name) or f.reason))
    for c in result.report["missing_classes"]:
        print(("  ? " if lang == "en" else "  ？ ") + T("missing").format(cls=c))
    from workbook_engine.assessment.scoring import part_line

    for part in result.report["summary"]["assessment_parts"]:  # a part no office sent, and what that does
        if part["missing"]:
            print(("  ? " if lang == "en" else "  ？ ") + part_line(part, lang))
    for c in result.report["late_classes"]:
        print("  ⏰ " + T("late").format(cls=c["class"], date=c["fill_date"], days=c["days_since"]))
    for path in result.outputs:
        print(T("written").format(path=path))


def cmd_run(args: argparse.Namespace) -> int:
    result = _run_once(args)
    return result.exit_code


def cmd_watch(args: argparse.Namespace) -> int:
    from workbook_engine.reading.inbox import check_out_dir, resolve_settings
    from workbook_engine.cli.watch import watch

    inbox, out = Path(args.inbox), Path(args.out)
    if not inbox.is_dir():
        print(t("cli.no_folder", args.lang, path=inbox), file=sys.stderr)
        return EXIT_USAGE
    check_out_dir(inbox, out, args.lang)
    resolve_settings(inbox, args.config, args.lang)  # a bad settings file is a usage error before watching starts

    def once(unsettled: frozenset[str]) -> None:
        try:
            _run_once(args, unsettled=unsettled)
        except EngineError as exc:  # e.g. school.toml broken while watching: report, keep watching
            print(t("cli.error", args.lang, error=exc), file=sys.stderr)

    import signal
    import threading

    if args.poll is not None and args.poll <= 0:
        print(t("cli.bad_poll", args.lang), file=sys.stderr)
        return EXIT_USAGE
    stop = threading.Event()

    def on_signal(*_: object) -> None:
        # Ctrl-C, or a service manager stopping us: the run under way finishes, then watch returns. Should
        # it not (something it reads blocks), the process ends anyway after WATCH_STOP_GRACE_S seconds.
        if not stop.is_set():
            stop.set()
            timer = threading.Timer(WATCH_STOP_GRACE_S, _force_exit, (args.lang,))
            timer.daemon = True
            timer.start()

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, on_signal)
    print(t("cli.watching", args.lang, path=inbox), file=sys.stderr)
    watch(inbox, once, debounce=args.debounce, ignore=[out], stop=stop, poll=args.poll)
    print(t("cli.stopped", args.lang), file=sys.stderr)
    return EXIT_OK


WATCH_STOP_GRACE_S = 20.0


def _force_exit(lang: str = "zh") -> None:
    import os

    try:
        print(t("cli.force_exit", lang, seconds=f"{WATCH_STOP_GRACE_S:g}"), file=sys.stderr)
        sys.stderr.flush()
    finally:
        os._exit(EXIT_PROBLEMS)


def cmd_assign(args: argparse.Namespace) -> int:
    from workbook_engine.writing.assign import run_assign

    if not Path(args.workbook).is_file():
        print(t("cli.no_file", args.lang, files=args.workbook), file=sys.stderr)
        return EXIT_USAGE
    settings = load_settings(args.config, args.lang)
    result = run_assign(args.workbook, args.out, settings, args.mode, args.groups, args.seed, args.repair,
                        _as_of(args.date, args.lang, "--date"), lang=args.lang)
    data = result.to_dict(args.lang)
    if args.json == "-":
        print(json.dumps(data, ensure_ascii=_json_ascii(), indent=2))
    else:
        if args.json:
            from workbook_engine.files import write_json

            write_json(Path(args.json), data)
        granted = sum(a.choice is not None for a in result.assignments)
        print(t("cli.assigned", args.lang, n=sum(a.mentor_id is not None for a in result.assignments),
                granted=granted, unmatched=len(result.unmatched), out=args.out))
    return EXIT_PROBLEMS if result.unmatched else EXIT_OK


def _settings_for(folder: str, config: str | None, lang: str = "zh"):
    from workbook_engine.reading.inbox import resolve_settings

    return resolve_settings(Path(folder), config, lang)


def cmd_fetch_mail(args: argparse.Namespace) -> int:
    from workbook_engine.mail import fetch_mail

    settings = _settings_for(args.inbox, args.config, args.lang)
    try:
        result = fetch_mail(args.inbox, settings, lang=args.lang)
    except (OSError, EngineError) as exc:
        if isinstance(exc, EngineError):
            raise
        print(t("cli.no_mailbox", args.lang, error=exc), file=sys.stderr)
        return EXIT_PROBLEMS
    print(t("cli.fetched", args.lang, n=result.messages, saved=len(result.saved), inbox=args.inbox))
    for path in result.saved:
        print(f"  {path.name}")
    for name, to in result.receipts:
        print("  ✓ " + t("cli.receipt_sent", args.lang, name=name, to=to))
    for name, reason in result.receipt_failures.items():
        print("  ✗ " + t("cli.receipt_failed", args.lang, name=name, reason=reason))
    return EXIT_PROBLEMS if result.receipt_failures else EXIT_OK


def cmd_send_feedback(args: argparse.Namespace) -> int:
    from workbook_engine.mail import send_feedback

    settings = load_settings(args.config, args.lang)
    result = send_feedback(args.outdir, settings, args.dry_run, resend=args.resend, lang=args.lang, term=args.term)
    lang = args.lang
    print((t("cli.mail.term", lang, term=result.term) if result.term else "")
          + t("cli.mail.wrote" if args.dry_run else "cli.mail.sent", lang, n=len(result.sent))
          + (t("cli.mail.failed", lang, n=len(result.failed)) if result.failed else "")
          + (t("cli.mail.skipped", lang, n=len(result.skipped)) if result.skipped else ""))
    for name, reason in result.failed.items():
        print("  ✗ " + t("cli.run.file_state", lang, name=name, state=reason))
    return EXIT_PROBLEMS if result.failed else EXIT_OK


def cmd_history(args: argparse.Namespace) -> int:
    from workbook_engine.ledger.history import history, table

    answer = history(args.outdir, load_settings(args.config, args.lang), args.teacher, args.class_name,
                     args.student, args.lang)
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=_json_ascii(), indent=2))
        return EXIT_OK
    if answer.interrupted:
        print(t("history.interrupted", args.lang, run="run"))
    if not answer.rows:
        print(t("history.nothing", args.lang))
        return EXIT_OK
    _print_table(table(answer.view, answer.rows, args.lang))
    return EXIT_OK


def cmd_new_term(args: argparse.Namespace) -> int:
    from workbook_engine.writing.newterm import write_new_term

    if not Path(args.outdir).is_dir():
        print(t("cli.no_outdir", args.lang, path=args.outdir), file=sys.stderr)
        return EXIT_USAGE
    result = write_new_term(args.outdir, args.to, load_settings(args.config, args.lang), args.term, args.year,
                            lang=args.lang, books=args.books, on_wait=_waiting(args.outdir, args.lang))
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=_json_ascii(), indent=2))
        return EXIT_OK
    print(t("cli.new_term", args.lang, term=term_label(result.school_year, result.term, args.lang),
            source=term_label(*result.source, args.lang),
            classes=len(result.class_books), mentors=len(result.mentor_books), to=args.to))
    for old, new in result.renamed.items():
        print(f"  {old} → {new}")
    if result.graduated:
        print("  " + t("cli.graduated", args.lang, classes=t("cli.list_sep", args.lang).join(result.graduated)))
    if result.grades:
        print("  " + t("newterm.grades", args.lang, grades=" → ".join(result.grades)))
    for cls, sid in result.unpaired:
        print("  " + t("cli.unpaired", args.lang, cls=cls, sid=sid))
    for cls, sid in result.from_book:
        print("  " + t("newterm.from_book", args.lang, cls=cls, sid=sid))
    for r in result.retype:  # contacts that could not be carried: the class's book is gone or changed
        print("  ✎ " + t("newterm.retype." + str(r["reason"]), args.lang, cls=r["class"], file=r["file"]))
    for old, new in result.kept:
        print("  " + t("newterm.kept", args.lang, path=old, new=new.name))
    from workbook_engine.writing.newterm import CLASS_FOLDER, MENTOR_FOLDER
    from workbook_engine.writing.templates import SETTINGS_FILENAME

    print(t("newterm.next", args.lang))
    print("  " + t("newterm.next.calendar", args.lang, toml=SETTINGS_FILENAME,
                   term=term_label(result.school_year, result.term, args.lang)))
    print("  " + t("newterm.next.send", args.lang, classes=Path(args.to) / CLASS_FOLDER,
                   mentors=Path(args.to) / MENTOR_FOLDER))
    print("  " + t("newterm.next.run", args.lang, command=f"workbook-engine run INBOX --out {args.outdir}"))
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from workbook_engine.web.server import serve

    return serve(args.inbox, args.out, args.host, args.port, args.config, args.lang)


COMMANDS = {"templates": cmd_templates, "validate": cmd_validate, "run": cmd_run, "watch": cmd_watch,
            "assign": cmd_assign, "new-term": cmd_new_term, "history": cmd_history, "fetch-mail": cmd_fetch_mail, "send-feedback": cmd_send_feedback,
            "serve": cmd_serve}


def main(argv: Sequence[str] | None = None) -> int:
    robust_console()
    parser = build_parser(argv_lang(argv))
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    if not args.command:
        parser.print_help()
        return EXIT_USAGE
    if getattr(args, "lang", None) is None:
        args.lang = default_lang()
    from workbook_engine.publishing.publish import OutputError

    created: list[Path] = []
    code = EXIT_USAGE  # until the command says otherwise
    try:
        created = check_output_arguments(args)
        code = COMMANDS[args.command](args)
    except OutputError as exc:  # outputs could not be written: the previous outputs are intact
        print(t("cli.error", args.lang, error=exc), file=sys.stderr)
        code = EXIT_OUTPUT
    except EngineError as exc:
        print(t("cli.error", args.lang, error=exc), file=sys.stderr)
    except KeyboardInterrupt:
        code = 130
    except BrokenPipeError:  # output piped into `head` and closed early
        sys.stderr.close()
        code = EXIT_OK
    finally:
        if code not in (EXIT_OK, EXIT_PROBLEMS):  # a command that stopped leaves no empty folder it made
            remove_if_empty(created)
    return code
