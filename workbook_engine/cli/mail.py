"""Mail: class files fetched from the school's mailbox (fetch-mail) and each class's feedback book sent to its
head teacher (send-feedback)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from workbook_engine.catalogue import t
from workbook_engine.cli.console import EXIT_OK, EXIT_PROBLEMS
from workbook_engine.errors import EngineError
from workbook_engine.mail import fetch_mail, send_feedback
from workbook_engine.reading.inbox import resolve_settings
from workbook_engine.settings import load_settings


def cmd_fetch_mail(args: argparse.Namespace) -> int:
    settings = resolve_settings(Path(args.inbox), args.config, args.lang)
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
