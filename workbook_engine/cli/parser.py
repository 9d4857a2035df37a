"""The command line's grammar: every command, its arguments and their help in the language asked for, and the
outputs an argument names (checked, and made, before any work)."""
from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from workbook_engine import __version__
from workbook_engine.catalogue import ENV, LANGS, default_lang, t
from workbook_engine.errors import UsageError
from workbook_engine.publishing.layout import HANDBOOK_FOLDER, REPORT_NAME, SENT_LOG
from workbook_engine.publishing.publish import explain
from workbook_engine.settings import Ledger
from workbook_engine.term import TERMS


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


def _within(convert: Callable[[str], float], low: float, high: float, key: str,
            lang: str) -> Callable[[str], float]:
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
            p.add_argument("--term", metavar=t("cli.metavar.term", lang),
                           help=H("only_term", example="2026-2027" + TERMS[0]))
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
    p.add_argument("--term", metavar=t("cli.metavar.term", lang),
                   help=H("feedback_term", example="2026-2027" + TERMS[0]))
    _settings_arg(p, lang)
    return parser


def parse_date(text: str | None, lang: str = "zh", option: str = "--as-of") -> dt.date | None:
    """A date given as YYYY-MM-DD (None when not given); a usage error (exit 2) otherwise."""
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(t("cli.bad_as_of", lang, option=option, format="YYYY-MM-DD", text=text)) from None
