"""The school ledger across terms: what it remembers (history) and the next term's workbooks from it (new-term)."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from workbook_engine.catalogue import t, term_label
from workbook_engine.cli.console import EXIT_OK, EXIT_USAGE, json_ascii, print_table, waiting
from workbook_engine.ledger.history import history, table
from workbook_engine.settings import load_settings
from workbook_engine.writing.newterm import CLASS_FOLDER, MENTOR_FOLDER, write_new_term
from workbook_engine.writing.templates import SETTINGS_FILENAME


def cmd_history(args: argparse.Namespace) -> int:
    answer = history(args.outdir, load_settings(args.config, args.lang), args.teacher, args.class_name,
                     args.student, args.lang)
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=json_ascii(), indent=2))
        return EXIT_OK
    if answer.interrupted:
        print(t("history.interrupted", args.lang, run="run"))
    if not answer.rows:
        print(t("history.nothing", args.lang))
        return EXIT_OK
    print_table(table(answer.view, answer.rows, args.lang))
    return EXIT_OK


def cmd_new_term(args: argparse.Namespace) -> int:
    if not Path(args.outdir).is_dir():
        print(t("cli.no_outdir", args.lang, path=args.outdir), file=sys.stderr)
        return EXIT_USAGE
    result = write_new_term(args.outdir, args.to, load_settings(args.config, args.lang), args.term, args.year,
                            lang=args.lang, books=args.books, on_wait=waiting(args.outdir, args.lang))
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=json_ascii(), indent=2))
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
    for kept, beside in result.kept:
        print("  " + t("newterm.kept", args.lang, path=kept, new=beside.name))
    print(t("newterm.next", args.lang))
    print("  " + t("newterm.next.calendar", args.lang, toml=SETTINGS_FILENAME,
                   term=term_label(result.school_year, result.term, args.lang)))
    print("  " + t("newterm.next.send", args.lang, classes=Path(args.to) / CLASS_FOLDER,
                   mentors=Path(args.to) / MENTOR_FOLDER))
    print("  " + t("newterm.next.run", args.lang, command=f"workbook-engine run INBOX --out {args.outdir}"))
    return EXIT_OK
