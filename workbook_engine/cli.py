"""The command line: parse arguments, call one library function, print, exit."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Sequence

from workbook_engine import __version__
from workbook_engine.errors import EngineError
from workbook_engine.messages import CATALOGUE, ENV, LANGS, default_lang, t
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


def _settings_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", metavar="school.toml", help="学校设置文件 / school settings file")
    _lang_arg(p)


def _lang_arg(p: argparse.ArgumentParser, default: object = argparse.SUPPRESS) -> None:
    """--lang, accepted before the subcommand and after it (a subcommand's own --lang wins); the default
    comes from WORKBOOK_ENGINE_LANG, else Chinese."""
    p.add_argument("--lang", choices=list(LANGS), default=default,
                   help=f"语言 / language: zh 或 en（默认取环境变量 {ENV}，否则 zh）")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="workbook-engine",
        description="全员育人导师制工作簿引擎：模板、校验、合并、考核。 Mentor-system workbook engine.",
    )
    parser.add_argument("--version", action="version", version=f"workbook-engine {__version__}")
    _lang_arg(parser, default=None)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("templates", help="写出空白模板 / write the blank templates",
                       description="写出班级学情工作簿、学校考核数据工作簿和带注释的 school.toml。")
    p.add_argument("dir", nargs="?", default="blank_templates", help="输出目录 (default: blank_templates)")
    p.add_argument("--force", action="store_true",
                   help="覆盖已修改的文件（默认另存为 .new）/ overwrite edited files (default: write NAME.new beside them)")
    _lang_arg(p)

    p = sub.add_parser("validate", help="校验工作簿 / validate workbooks",
                       description="校验工作簿，逐个单元格列出问题。退出码：0 无错误，1 有错误，2 用法错误。")
    p.add_argument("files", nargs="+", metavar="FILE", help="要校验的工作簿")
    p.add_argument("--json", metavar="OUT", help="写出 JSON 报告（- 表示标准输出）")
    p.add_argument("--annotate", metavar="DIR", help="写出标注了问题单元格的副本")
    _settings_arg(p)

    for name, help_text, desc in (
        ("run", "处理收件目录 / run the office's job on an inbox folder",
         "读取收件目录中的全部工作簿：校验、选定每个班级的最新版本、合并，写出报告和合并数据工作簿。"
         "退出码：0 全部采用且无错误，1 有错误或退回的文件，2 用法错误，3 输出无法写入（原有输出保持不变）。"),
        ("watch", "监视收件目录，有新文件就重新处理 / re-run whenever the inbox changes",
         "监视收件目录，新文件写完后自动重新运行 run；按 Ctrl-C 停止。"),
    ):
        p = sub.add_parser(name, help=help_text, description=desc)
        p.add_argument("inbox", metavar="INBOX", help="收件目录 / the folder where class files land")
        p.add_argument("--out", required=True, metavar="DIR", help="输出目录（不能在收件目录内）/ output folder")
        p.add_argument("--as-of", metavar="YYYY-MM-DD", help="统计截止日期，默认今天（不晚于学期结束）")
        p.add_argument("--workers", type=int, metavar="N", help="并行进程数，默认全部核心 / worker processes")
        _settings_arg(p)
        if name == "run":
            p.add_argument("--handbooks", action="store_true",
                           help="另为每位导师写出《导师工作手册》（导师手册/工号_姓名.xlsx）"
                                " / also write each teacher's printable handbook")
        if name == "watch":
            p.add_argument("--debounce", type=float, default=2.0, metavar="SECONDS",
                           help="文件停止变化多少秒后再运行 (default 2)；文件一直在变时最多再等 5 倍这么久")
            p.add_argument("--poll", type=float, metavar="SECONDS",
                           help="每隔多少秒扫描一次目录，而不依赖变更通知（网络共享文件夹用）"
                                " / scan every SECONDS instead of change events (network shares)")
    p = sub.add_parser("assign", help="双向选择：分配导师或共同体 / pair students with mentors",
                       description="按双向选择为学生分配导师（students），或先分共同体再与导师互选（communities）；"
                                   "写出一份新的工作簿，不改动输入文件。")
    p.add_argument("workbook", metavar="CLASS_WORKBOOK", help="班级学情工作簿")
    p.add_argument("--out", required=True, metavar="FILE", help="写出的新工作簿")
    p.add_argument("--mode", choices=["students", "communities"], help="分配方式（默认取学校设置）")
    p.add_argument("--groups", type=int, choices=[4, 5], help="共同体个数（默认取学校设置）")
    p.add_argument("--seed", type=int, default=0, help="随机种子：同一种子结果相同")
    p.add_argument("--repair", action="store_true", help="只为离岗导师的学生（或共同体）重新结对")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="结对日期（默认今天）")
    p.add_argument("--json", metavar="OUT", help="写出 JSON 结果（- 表示标准输出）")
    _settings_arg(p)

    p = sub.add_parser("history", help="学校台账中逐学期的数字 / term-by-term figures from the ledger",
                       description="按学校台账列出逐学期的数字：某位导师（--teacher 工号）、某个班级（--class）、"
                                   "某个学生（--student 学号），或不指定时全校。只读，不改动台账。")
    p.add_argument("outdir", metavar="OUT", help="run 的输出目录（学校台账所在）")
    who = p.add_mutually_exclusive_group()
    who.add_argument("--teacher", metavar="工号", help="导师工号")
    who.add_argument("--class", dest="class_name", metavar="班级", help="班级名称")
    who.add_argument("--student", metavar="学号", help="学生学号")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    _settings_arg(p)

    p = sub.add_parser("new-term", help="用学校台账预填下学期的工作簿 / next term's workbooks from the ledger",
                       description="按学校台账（run 的输出目录中的 学校台账.sqlite）写出下学期的班级学情工作簿和导师工作手册："
                                   "班级信息、导师（去掉离岗）、学生名册（去掉转出）、结对和共同体沿用，记录表为空。"
                                   "到新学年时各班升一个年级（[ledger] grades），最高年级毕业不再写出，双向选择表列出全班学生。")
    p.add_argument("outdir", metavar="OUT", help="run 的输出目录（学校台账所在）")
    p.add_argument("--to", required=True, metavar="DIR", help="写出新工作簿的目录")
    p.add_argument("--term", choices=["第一学期", "第二学期"], help="新学期（默认台账中最近学期的下一个学期）")
    p.add_argument("--year", metavar="YYYY-YYYY", help="新学年，如 2027-2028（升年级）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出结果")
    _settings_arg(p)

    p = sub.add_parser("fetch-mail", help="从邮箱收取班级文件 / copy attachments from a mailbox into INBOX",
                       description="把邮箱中未读邮件的表格附件复制到收件目录（同一封邮件不会收两次），并标为已读。"
                                   "密码取自设置中 password_env 指定的环境变量。设置 [mail] receipts = true 时，"
                                   "每个收到的文件立即检查，并给发件人回信一次：检查通过，或问题清单和标注副本。")
    p.add_argument("inbox", metavar="INBOX", help="收件目录")
    _settings_arg(p)

    p = sub.add_parser("send-feedback", help="把班级反馈发给班主任 / email each class its feedback book",
                       description="把输出目录中每个班级的反馈工作簿（按 report.json 的记录）发给该班班主任；"
                                   "某个班发送失败或超时（[mail] timeout_s）会报告，不影响其他班。已发给同一收件人且"
                                   "未改变的工作簿不再发送（记录在 OUTDIR/.workbook-engine-sent.json），除非 --resend。"
                                   "--dry-run 只写出 .eml 文件。")
    p.add_argument("outdir", metavar="OUTDIR", help="run 的输出目录")
    p.add_argument("--dry-run", metavar="DIR", help="不发送，把邮件写成 .eml 文件放到 DIR")
    p.add_argument("--resend", action="store_true", help="已发送过的反馈也重新发送 / send again what was already sent")
    _settings_arg(p)
    return parser


def _print_table(rows: list[tuple[str, ...]], out=None) -> None:
    from workbook_engine.fastxlsx import text_width as width

    if not rows:
        return
    widths = [max(width(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    for r in rows:
        cells = [c + " " * (widths[i] - width(c)) for i, c in enumerate(r[:-1])]
        print("  ".join([*cells, r[-1]]), file=out or sys.stdout)


def cmd_templates(args: argparse.Namespace) -> int:
    from workbook_engine.templates import write_templates

    kept: list[tuple[Path, Path]] = []
    for path in write_templates(args.dir, args.lang, args.force, kept):
        print(path)
    for old, new in kept:
        print(t("tpl.toml_kept", args.lang, path=old, new=new.name))
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    from workbook_engine.annotate import annotate
    from workbook_engine.validate import validate_files

    settings = load_settings(args.config)
    missing = [f for f in args.files if not Path(f).exists()]
    if missing:
        print(t("cli.no_file", args.lang, files=", ".join(missing)), file=sys.stderr)
        return EXIT_USAGE
    from workbook_engine.executor import ProcessExecutor

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
            print(t("cli.file_line", lang, path=f.path, kind=kind, state=t("cli.valid" if f.valid else "cli.invalid", lang),
                    counts=t("cli.counts", lang, errors=errors, warnings=warnings)))
            rows = [tuple(t("annotate.col." + k, lang) for k in ("severity", "sheet", "cell", "message"))]
            for p in f.problems:
                rows.append((t("severity." + p.severity.value, lang), p.sheet or "-", p.cell or "-", p.message(lang)))
            if len(rows) > 1:
                _print_table(rows)
            print()
        if args.json:
            from workbook_engine.output import write_json

            write_json(Path(args.json), data)
    if args.annotate:
        taken: set[str] = set()
        for f in report.files:
            out = annotate(f, args.annotate, args.lang, taken)
            if out:
                print(t("cli.annotated", args.lang, path=out), file=sys.stderr)
    return EXIT_OK if report.valid else EXIT_PROBLEMS


def _as_of(text: str | None):
    import datetime as dt

    from workbook_engine.errors import UsageError

    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--as-of 应为 YYYY-MM-DD 格式的日期，而不是“{text}”") from None


def _run_once(args: argparse.Namespace, settings=None, unsettled=()):
    from workbook_engine.executor import ProcessExecutor
    from workbook_engine.pipeline import run_inbox
    from workbook_engine.progress import RunProgress

    executor = None
    if args.workers:
        from workbook_engine.inbox import resolve_settings

        settings = settings or resolve_settings(Path(args.inbox), args.config)
        executor = ProcessExecutor(args.workers, memory_mb=settings.limits.worker_memory_mb)
    def waiting() -> None:
        print(t("cli.waiting", args.lang, out=args.out), file=sys.stderr, flush=True)

    with RunProgress(sys.stderr) as progress:
        result = run_inbox(args.inbox, args.out, settings=settings, config=args.config, as_of=_as_of(args.as_of),
                           lang=args.lang, executor=executor, progress=progress.advance, on_start=progress.start,
                           on_wait=waiting, unsettled=unsettled, handbooks=getattr(args, "handbooks", False))
    _print_run_summary(result, args.lang)
    return result


def _print_run_summary(result, lang: str) -> None:
    from workbook_engine.inbox import STILL_WRITING, STILL_WRITING_EN

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
        elif f.status == "skipped" and f.reason in (STILL_WRITING, STILL_WRITING_EN):
            print("  … " + T("file_state").format(name=f.name, state=f.reason))
    for c in result.report["missing_classes"]:
        print("  ？ " + T("missing").format(cls=c))
    for c in result.report["late_classes"]:
        print("  ⏰ " + T("late").format(cls=c["class"], date=c["fill_date"], days=c["days_since"]))
    for path in result.outputs:
        print(T("written").format(path=path))


def cmd_run(args: argparse.Namespace) -> int:
    result = _run_once(args)
    return result.exit_code


def cmd_watch(args: argparse.Namespace) -> int:
    from workbook_engine.inbox import check_out_dir, resolve_settings
    from workbook_engine.watch import watch

    inbox, out = Path(args.inbox), Path(args.out)
    if not inbox.is_dir():
        print(t("cli.no_folder", args.lang, path=inbox), file=sys.stderr)
        return EXIT_USAGE
    check_out_dir(inbox, out)
    resolve_settings(inbox, args.config)  # a bad settings file is a usage error before watching starts

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
            timer = threading.Timer(WATCH_STOP_GRACE_S, _force_exit)
            timer.daemon = True
            timer.start()

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, on_signal)
    print(t("cli.watching", args.lang, path=inbox), file=sys.stderr)
    watch(inbox, once, debounce=args.debounce, ignore=[out], stop=stop, poll=args.poll)
    print(t("cli.stopped", args.lang), file=sys.stderr)
    return EXIT_OK


WATCH_STOP_GRACE_S = 20.0


def _force_exit() -> None:
    import os

    try:
        print(f"{WATCH_STOP_GRACE_S:g} 秒内未能正常停止，强制退出 / did not stop in time, exiting", file=sys.stderr)
        sys.stderr.flush()
    finally:
        os._exit(EXIT_PROBLEMS)


def cmd_assign(args: argparse.Namespace) -> int:
    from workbook_engine.assign import run_assign

    if not Path(args.workbook).is_file():
        print(t("cli.no_file", args.lang, files=args.workbook), file=sys.stderr)
        return EXIT_USAGE
    settings = load_settings(args.config)
    result = run_assign(args.workbook, args.out, settings, args.mode, args.groups, args.seed, args.repair,
                        _as_of(args.date))
    data = result.to_dict()
    if args.json == "-":
        print(json.dumps(data, ensure_ascii=_json_ascii(), indent=2))
    else:
        if args.json:
            from workbook_engine.output import write_json

            write_json(Path(args.json), data)
        granted = sum(a.choice is not None for a in result.assignments)
        print(t("cli.assigned", args.lang, n=sum(a.mentor_id is not None for a in result.assignments),
                granted=granted, unmatched=len(result.unmatched), out=args.out))
    return EXIT_PROBLEMS if result.unmatched else EXIT_OK


def _settings_for(folder: str, config: str | None):
    from workbook_engine.inbox import resolve_settings

    return resolve_settings(Path(folder), config)


def cmd_fetch_mail(args: argparse.Namespace) -> int:
    from workbook_engine.mail import fetch_mail

    settings = _settings_for(args.inbox, args.config)
    try:
        result = fetch_mail(args.inbox, settings, lang=args.lang)
    except (OSError, EngineError) as exc:
        if isinstance(exc, EngineError):
            raise
        print(t("cli.no_mailbox", args.lang, error=exc), file=sys.stderr)
        return EXIT_PROBLEMS
    en = args.lang == "en"
    print(t("cli.fetched", args.lang, n=result.messages, saved=len(result.saved), inbox=args.inbox))
    for path in result.saved:
        print(f"  {path.name}")
    for name, to in result.receipts:
        print(f"  receipt for {name} sent to {to}" if en else f"  ✓ 已给 {to} 回执：{name}")
    for name, reason in result.receipt_failures.items():
        print(f"  ✗ no receipt for {name}: {reason}" if en else f"  ✗ {name} 的回执未发出：{reason}")
    return EXIT_PROBLEMS if result.receipt_failures else EXIT_OK


def cmd_send_feedback(args: argparse.Namespace) -> int:
    from workbook_engine.mail import send_feedback

    settings = load_settings(args.config)
    result = send_feedback(args.outdir, settings, args.dry_run, resend=args.resend, lang=args.lang)
    lang = args.lang
    print(t("cli.mail.wrote" if args.dry_run else "cli.mail.sent", lang, n=len(result.sent))
          + (t("cli.mail.failed", lang, n=len(result.failed)) if result.failed else "")
          + (t("cli.mail.skipped", lang, n=len(result.skipped)) if result.skipped else ""))
    for name, reason in result.failed.items():
        print("  ✗ " + t("cli.run.file_state", lang, name=name, state=reason))
    return EXIT_PROBLEMS if result.failed else EXIT_OK


def cmd_history(args: argparse.Namespace) -> int:
    from workbook_engine.history import history, table

    view, rows = history(args.outdir, load_settings(args.config), args.teacher, args.class_name, args.student,
                         args.lang)
    if args.json:
        print(json.dumps({"view": view, "terms": rows}, ensure_ascii=_json_ascii(), indent=2))
        return EXIT_OK
    if not rows:
        print(t("history.nothing", args.lang))
        return EXIT_OK
    _print_table(table(view, rows, args.lang))
    return EXIT_OK


def cmd_new_term(args: argparse.Namespace) -> int:
    from workbook_engine.newterm import write_new_term

    if not Path(args.outdir).is_dir():
        print(f"找不到输出目录 / no such folder: {args.outdir}", file=sys.stderr)
        return EXIT_USAGE
    result = write_new_term(args.outdir, args.to, load_settings(args.config), args.term, args.year)
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=_json_ascii(), indent=2))
        return EXIT_OK
    en = args.lang == "en"
    print((f"{result.school_year} {result.term}: {len(result.class_books)} class workbooks and "
           f"{len(result.mentor_books)} mentor workbooks from {''.join(result.source)} -> {args.to}") if en else
          (f"{result.school_year}{result.term}：由 {''.join(result.source)} 写出 {len(result.class_books)} 个班级学情工作簿、"
           f"{len(result.mentor_books)} 个导师工作手册 → {args.to}"))
    for old, new in result.renamed.items():
        print(f"  {old} → {new}")
    if result.graduated:
        print(("  graduated (not written): " if en else "  毕业离校（不再写出）：") + "、".join(result.graduated))
    for cls, sid in result.unpaired:
        print((f"  {cls} {sid}: mentor left, pair again" if en else f"  {cls} {sid}：导师已离岗，请重新结对"))
    return EXIT_OK


COMMANDS = {"templates": cmd_templates, "validate": cmd_validate, "run": cmd_run, "watch": cmd_watch,
            "assign": cmd_assign, "new-term": cmd_new_term, "history": cmd_history, "fetch-mail": cmd_fetch_mail, "send-feedback": cmd_send_feedback}


def main(argv: Sequence[str] | None = None) -> int:
    robust_console()
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    if not args.command:
        parser.print_help()
        return EXIT_USAGE
    if getattr(args, "lang", None) is None:
        args.lang = default_lang()
    from workbook_engine.publish import OutputError

    try:
        return COMMANDS[args.command](args)
    except OutputError as exc:  # outputs could not be written: the previous outputs are intact
        print(t("cli.error", args.lang, error=exc), file=sys.stderr)
        return EXIT_OUTPUT
    except EngineError as exc:
        print(t("cli.error", args.lang, error=exc), file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into `head` and closed early
        sys.stderr.close()
        return EXIT_OK
