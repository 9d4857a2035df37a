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

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


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
    return parser


def _print_table(rows: list[tuple[str, ...]], out=None) -> None:
    from unicodedata import east_asian_width

    def width(s: str) -> int:
        return sum(2 if east_asian_width(ch) in "WF" else 1 for ch in s)

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
    report = validate_files(args.files, settings)
    data = report.to_dict(args.lang)
    if args.json == "-":
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        en = args.lang == "en"
        for f in report.files:
            errors = sum(p.severity.value == "error" for p in f.problems)
            warnings = len(f.problems) - errors
            kind = {"class": "班级工作簿", "assessment": "考核数据", "unknown": "未知"}[f.kind] if not en else f.kind
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
        for f in report.files:
            out = annotate(f, args.annotate, args.lang)
            if out:
                print(f"批注副本 / annotated copy: {out}", file=sys.stderr)
    return EXIT_OK if report.valid else EXIT_PROBLEMS


COMMANDS = {"templates": cmd_templates, "validate": cmd_validate}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    if not args.command:
        parser.print_help()
        return EXIT_USAGE
    try:
        return COMMANDS[args.command](args)
    except EngineError as exc:
        print(f"错误 / error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
