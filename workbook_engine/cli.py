"""The command line: parse arguments, call one library function, print, exit."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Sequence

from workbook_engine import __version__
from workbook_engine.errors import EngineError
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
    p.add_argument("--lang", choices=["zh", "en"], default="zh", help="消息语言 / message language (default zh)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="workbook-engine",
        description="全员育人导师制工作簿引擎：模板、校验、合并、考核。 Mentor-system workbook engine.",
    )
    parser.add_argument("--version", action="version", version=f"workbook-engine {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("templates", help="写出空白模板 / write the blank templates",
                       description="写出班级学情工作簿、学校考核数据工作簿和带注释的 school.toml。")
    p.add_argument("dir", nargs="?", default="blank_templates", help="输出目录 (default: blank_templates)")

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

    for path in write_templates(args.dir):
        print(path)
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    from workbook_engine.annotate import annotate
    from workbook_engine.validate import validate_files

    settings = load_settings(args.config)
    missing = [f for f in args.files if not Path(f).exists()]
    if missing:
        print(f"找不到文件 / no such file: {', '.join(missing)}", file=sys.stderr)
        return EXIT_USAGE
    from workbook_engine.executor import ProcessExecutor

    executor = ProcessExecutor(memory_mb=settings.limits.worker_memory_mb) if len(args.files) > 1 else None
    report = validate_files(args.files, settings, executor)
    data = report.to_dict(args.lang)
    if args.json == "-":
        print(json.dumps(data, ensure_ascii=_json_ascii(), indent=2))
    else:
        en = args.lang == "en"
        for f in report.files:
            errors = sum(p.severity.value == "error" for p in f.problems)
            warnings = len(f.problems) - errors
            kind = {"class": "班级工作簿", "mentor": "导师工作手册", "assessment": "考核数据", "unknown": "未知"}[f.kind] if not en else f.kind
            state = ("通过" if f.valid else "有错误") if not en else ("valid" if f.valid else "invalid")
            label = f"{errors} 个错误，{warnings} 个警告" if not en else f"{errors} errors, {warnings} warnings"
            print(f"{f.path}  [{kind}]  {state}：{label}")
            rows = [("级别" if not en else "severity", "工作表" if not en else "sheet",
                     "单元格" if not en else "cell", "说明" if not en else "message")]
            for p in f.problems:
                sev = ("错误" if p.severity.value == "error" else "警告") if not en else p.severity.value
                rows.append((sev, p.sheet or "-", p.cell or "-", p.message(args.lang)))
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
                print(f"批注副本 / annotated copy: {out}", file=sys.stderr)
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
        print(f"另一个 run 正在写入 {args.out}，等待它结束… / another run is writing {args.out}, waiting…",
              file=sys.stderr, flush=True)

    with RunProgress(sys.stderr) as progress:
        result = run_inbox(args.inbox, args.out, settings=settings, config=args.config, as_of=_as_of(args.as_of),
                           lang=args.lang, executor=executor, progress=progress.advance, on_start=progress.start,
                           on_wait=waiting, unsettled=unsettled, handbooks=getattr(args, "handbooks", False))
    _print_run_summary(result, args.lang)
    return result


def _print_run_summary(result, lang: str) -> None:
    from workbook_engine.inbox import STILL_WRITING, STILL_WRITING_EN

    en = lang == "en"
    s = result.report["summary"]
    files, rows = s["files"], s["rows"]
    table = [("项目", "数量") if not en else ("item", "count"),
             ("文件：采用" if not en else "files accepted", str(files["accepted"])),
             ("文件：被新版本取代" if not en else "files superseded", str(files["superseded"])),
             ("文件：退回" if not en else "files rejected", str(files["rejected"])),
             ("文件：跳过" if not en else "files skipped", str(files["skipped"])),
             ("行：读取" if not en else "rows read", str(rows["read"])),
             ("行：采用" if not en else "rows accepted", str(rows["accepted"])),
             ("行：退回（有错误）" if not en else "rows rejected (errors)", str(rows["rejected"] - rows["superseded"])),
             ("行：在被取代的旧版本中" if not en else "rows in superseded versions", str(rows["superseded"])),
             ("行：版本间缺失" if not en else "rows lost between versions", str(s["rows_lost_between_versions"])),
             ("错误" if not en else "errors", str(s["errors"])),
             ("警告" if not en else "warnings", str(s["warnings"]))]
    comp = result.compliance
    if comp is not None:
        talk_rate, parent_rate = comp.school_rates()
        table += [("谈心达标率" if not en else "talk rate", f"{talk_rate:.1%}" if talk_rate is not None else "—"),
                  ("家长联系达标率" if not en else "parent-contact rate",
                   f"{parent_rate:.1%}" if parent_rate is not None else "—"),
                  ("当前逾期的学生" if not en else "students overdue now", str(comp.overdue_students()))]
    _print_table(table)
    reasons = {d["path"]: d["reason"] for d in result.report["files"]}  # redacted, as in report.json
    for f in result.files:
        reason = reasons.get(f.name, "")
        if f.status == "rejected" or (f.status == "accepted" and f.errors):
            if en:
                state = "rejected" if f.status == "rejected" else f"{f.errors} errors"
                print(f"  ✗ {f.name}: {state}" + (f" ({reason})" if reason else ""))
            else:
                state = "退回" if f.status == "rejected" else f"{f.errors} 个错误"
                print(f"  ✗ {f.name}：{state}" + (f"（{reason}）" if reason else ""))
        elif f.status == "superseded":
            print(f"  ↺ {f.name}{': ' if en else '：'}{reason}")
        elif f.status == "skipped" and f.reason in (STILL_WRITING, STILL_WRITING_EN):
            print(f"  … {f.name}{': ' if en else '：'}{f.reason}")
    for c in result.report["missing_classes"]:
        print(f"  ？ {'missing' if en else '未交文件'}: {c}")
    for c in result.report["late_classes"]:
        print(f"  ⏰ late: {c['class']} (filled {c['fill_date']}, {c['days_since']} days ago)" if en else
              f"  ⏰ 逾期未更新：{c['class']}（填表日期 {c['fill_date']}，已 {c['days_since']} 天）")
    for path in result.outputs:
        print(f"{'written' if en else '输出'}: {path}")


def cmd_run(args: argparse.Namespace) -> int:
    result = _run_once(args)
    return result.exit_code


def cmd_watch(args: argparse.Namespace) -> int:
    from workbook_engine.inbox import check_out_dir, resolve_settings
    from workbook_engine.watch import watch

    inbox, out = Path(args.inbox), Path(args.out)
    if not inbox.is_dir():
        print(f"找不到收件目录 / no such folder: {inbox}", file=sys.stderr)
        return EXIT_USAGE
    check_out_dir(inbox, out)
    resolve_settings(inbox, args.config)  # a bad settings file is a usage error before watching starts

    def once(unsettled: frozenset[str]) -> None:
        try:
            _run_once(args, unsettled=unsettled)
        except EngineError as exc:  # e.g. school.toml broken while watching: report, keep watching
            print(f"错误 / error: {exc}", file=sys.stderr)

    import signal
    import threading

    if args.poll is not None and args.poll <= 0:
        print("--poll 应为正数（秒）/ --poll must be a positive number of seconds", file=sys.stderr)
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
    print(f"正在监视 {inbox}，按 Ctrl-C 停止 / watching, Ctrl-C to stop", file=sys.stderr)
    watch(inbox, once, debounce=args.debounce, ignore=[out], stop=stop, poll=args.poll)
    print("已停止 / stopped", file=sys.stderr)
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
        print(f"找不到文件 / no such file: {args.workbook}", file=sys.stderr)
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
        print(f"已分配 {sum(a.mentor_id is not None for a in result.assignments)} 名学生，"
              f"{granted} 人得到了自己的志愿，未能分配 {len(result.unmatched)} 人 → {args.out}")
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
        print(f"无法连接邮箱 / cannot reach the mailbox: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    en = args.lang == "en"
    print(f"read {result.messages} new messages, saved {len(result.saved)} spreadsheet attachments into {args.inbox}"
          if en else f"读取 {result.messages} 封新邮件，保存 {len(result.saved)} 个表格附件到 {args.inbox}")
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
    if args.lang == "en":
        verb = "wrote" if args.dry_run else "sent"
        print(f"{verb} the feedback of {len(result.sent)} classes" +
              (f", {len(result.failed)} failed" if result.failed else "") +
              (f", {len(result.skipped)} already sent and unchanged (--resend sends them again)"
               if result.skipped else ""))
    else:
        verb = "写出" if args.dry_run else "发送"
        print(f"{verb} {len(result.sent)} 个班级的反馈" + (f"，失败 {len(result.failed)} 个" if result.failed else "") +
              (f"，{len(result.skipped)} 个已发送且未改变，未重发（--resend 可重发）" if result.skipped else ""))
    for name, reason in result.failed.items():
        print(f"  ✗ {name}{': ' if args.lang == 'en' else '：'}{reason}")
    return EXIT_PROBLEMS if result.failed else EXIT_OK


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
            "assign": cmd_assign, "new-term": cmd_new_term, "fetch-mail": cmd_fetch_mail, "send-feedback": cmd_send_feedback}


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
    from workbook_engine.publish import OutputError

    try:
        return COMMANDS[args.command](args)
    except OutputError as exc:  # outputs could not be written: the previous outputs are intact
        print(f"错误 / error: {exc}", file=sys.stderr)
        return EXIT_OUTPUT
    except EngineError as exc:
        print(f"错误 / error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into `head` and closed early
        sys.stderr.close()
        return EXIT_OK
