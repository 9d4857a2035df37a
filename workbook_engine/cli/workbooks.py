"""The workbooks themselves: the blank templates (templates), checking files as they are (validate) and pairing
a class's students with mentors (assign)."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from workbook_engine.catalogue import CATALOGUE, t
from workbook_engine.cli.console import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, json_ascii, print_table
from workbook_engine.cli.parser import parse_date
from workbook_engine.execution import ProcessExecutor
from workbook_engine.files import shown_name, write_json
from workbook_engine.settings import load_settings
from workbook_engine.validation.validate import validate_files
from workbook_engine.writing.annotate import annotate
from workbook_engine.writing.assign import run_assign
from workbook_engine.writing.templates import write_templates


def cmd_templates(args: argparse.Namespace) -> int:
    kept: list[tuple[Path, Path]] = []
    for path in write_templates(args.dir, args.lang, args.force, kept):
        print(path)
    for old, new in kept:
        print(t("tpl.toml_kept", args.lang, path=old, new=new.name))
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    settings = load_settings(args.config, args.lang)
    missing = [f for f in args.files if not Path(f).exists()]
    if missing:
        print(t("cli.no_file", args.lang, files=", ".join(map(shown_name, missing))), file=sys.stderr)
        return EXIT_USAGE
    executor = ProcessExecutor(memory_mb=settings.limits.worker_memory_mb) if len(args.files) > 1 else None
    report = validate_files(args.files, settings, executor)
    data = report.to_dict(args.lang)
    if args.json == "-":
        print(json.dumps(data, ensure_ascii=json_ascii(), indent=2))
    else:
        lang = args.lang
        for f in report.files:
            errors = sum(p.severity.value == "error" for p in f.problems)
            warnings = len(f.problems) - errors
            kind = t("kind." + f.kind, lang) if ("kind." + f.kind) in CATALOGUE else f.kind
            state = t("cli.valid" if f.valid else "cli.invalid", lang)
            print(t("cli.file_line", lang, path=shown_name(str(f.path)), kind=kind, state=state,
                    counts=t("cli.counts", lang, errors=errors, warnings=warnings)))
            rows = [tuple(t("annotate.col." + k, lang) for k in ("severity", "sheet", "cell", "message"))]
            for p in f.problems:
                rows.append((t("severity." + p.severity.value, lang), p.sheet or "-", p.cell or "-", p.message(lang)))
            if len(rows) > 1:
                print_table(rows)
            print()
        if args.json:
            write_json(Path(args.json), data)
    if args.annotate:
        taken: set[str] = set()
        for f in report.files:
            out = annotate(f, args.annotate, args.lang, taken)
            if out:
                print(t("cli.annotated", args.lang, path=shown_name(str(out))), file=sys.stderr)
    return EXIT_OK if report.valid else EXIT_PROBLEMS


def cmd_assign(args: argparse.Namespace) -> int:
    if not Path(args.workbook).is_file():
        print(t("cli.no_file", args.lang, files=args.workbook), file=sys.stderr)
        return EXIT_USAGE
    settings = load_settings(args.config, args.lang)
    result = run_assign(args.workbook, args.out, settings, args.mode, args.groups, args.seed, args.repair,
                        parse_date(args.date, args.lang, "--date"), lang=args.lang)
    data = result.to_dict(args.lang)
    if args.json == "-":
        print(json.dumps(data, ensure_ascii=json_ascii(), indent=2))
    else:
        if args.json:
            write_json(Path(args.json), data)
        granted = sum(a.choice is not None for a in result.assignments)
        print(t("cli.assigned", args.lang, n=sum(a.mentor_id is not None for a in result.assignments),
                granted=granted, unmatched=len(result.unmatched), out=args.out))
    return EXIT_PROBLEMS if result.unmatched else EXIT_OK
