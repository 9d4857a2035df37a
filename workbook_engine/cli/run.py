"""Running the office's job on INBOX: once (run), or again whenever INBOX changes (watch)."""
from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from collections.abc import Iterable
from pathlib import Path

from workbook_engine.catalogue import t
from workbook_engine.cli.console import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, print_table, waiting
from workbook_engine.cli.parser import parse_date
from workbook_engine.cli.progress import RunProgress
from workbook_engine.errors import EngineError
from workbook_engine.execution import ProcessExecutor
from workbook_engine.pipeline import RunResult, run_inbox
from workbook_engine.reading.inbox import check_out_dir, resolve_settings
from workbook_engine.settings import Settings
from workbook_engine.term import term_words

WATCH_STOP_GRACE_S = 20.0  # after Ctrl-C (or SIGTERM) the run under way may finish; past this, watch exits anyway


def _run_once(args: argparse.Namespace, settings: Settings | None = None,
              unsettled: Iterable[str | Path] = ()) -> RunResult:
    executor = None
    if args.workers:
        settings = settings or resolve_settings(Path(args.inbox), args.config, args.lang)
        executor = ProcessExecutor(args.workers, memory_mb=settings.limits.worker_memory_mb)
    on_wait = waiting(args.out, args.lang)
    with RunProgress(sys.stderr, args.lang) as progress:
        result = run_inbox(args.inbox, args.out, settings=settings, config=args.config,
                           as_of=parse_date(args.as_of, args.lang),
                           lang=args.lang, executor=executor, progress=progress.advance, on_start=progress.start,
                           on_wait=on_wait, unsettled=unsettled, handbooks=getattr(args, "handbooks", False),
                           term=getattr(args, "term", None), replace_term=getattr(args, "replace_term", False))
    for notice in result.notices:  # once, at the top: default dates, a term kept, an old OUT moved
        print(notice)
    for one in result.terms:
        if len(result.terms) > 1:
            print(t("timeline.term_line", args.lang, term=term_words(one.school_year, one.term, args.lang)))
        _print_run_summary(one, args.lang)
    return result


def _print_run_summary(result: RunResult, lang: str) -> None:
    from workbook_engine.assessment.scoring import part_line  # (pandas: loaded by the run's later stages by now)

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
    print_table(table)
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
    from workbook_engine.cli.watch import watch  # (the file watcher: loaded for this command only)

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


def _force_exit(lang: str = "zh") -> None:
    try:
        print(t("cli.force_exit", lang, seconds=f"{WATCH_STOP_GRACE_S:g}"), file=sys.stderr)
        sys.stderr.flush()
    finally:
        os._exit(EXIT_PROBLEMS)
