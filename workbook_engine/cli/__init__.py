"""The command line: parse arguments, call one library function, print, exit. One module per group of commands:
`workbooks` (templates, validate, assign), `run` (run, watch), `ledger` (history, new-term), `mail` (fetch-mail,
send-feedback), `serve`; the grammar in `parser`, the console in `console`."""
from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from workbook_engine.catalogue import default_lang, t
from workbook_engine.cli.console import EXIT_OK, EXIT_OUTPUT, EXIT_PROBLEMS, EXIT_USAGE, robust_console
from workbook_engine.cli.parser import argv_lang, build_parser, check_output_arguments, remove_if_empty
from workbook_engine.errors import EngineError
from workbook_engine.publishing.publish import OutputError

# command -> "module of workbook_engine.cli:function". A command's module is imported when that command runs:
# importing every group (pandas, the mail and web libraries, the file watcher) took 0.6 s before `run` read a file.
COMMANDS: dict[str, str] = {
    "templates": "workbooks:cmd_templates", "validate": "workbooks:cmd_validate", "run": "run:cmd_run",
    "watch": "run:cmd_watch", "assign": "workbooks:cmd_assign", "new-term": "ledger:cmd_new_term",
    "history": "ledger:cmd_history", "fetch-mail": "mail:cmd_fetch_mail", "send-feedback": "mail:cmd_send_feedback",
    "serve": "serve:cmd_serve"}


def command(name: str) -> Callable[[argparse.Namespace], int]:
    """The function of a command (COMMANDS), its module imported now."""
    module, function = COMMANDS[name].split(":")
    run: Callable[[argparse.Namespace], int] = getattr(importlib.import_module(f"workbook_engine.cli.{module}"),
                                                       function)
    return run


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
    created: list[Path] = []
    code = EXIT_USAGE  # until the command says otherwise
    try:
        created = check_output_arguments(args)
        code = command(args.command)(args)
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


def entry() -> None:
    """The program (`workbook-engine`, `python -m workbook_engine`): main(), then the process ends at once with its
    exit code, its output flushed. By then every child has been joined, every file closed and published, every
    temporary folder removed; what is left is the interpreter freeing the run's millions of objects one by one
    and its modules' teardown, which took 0.15 s of a 40-class run's 2.1 s and is work nobody waits for (os._exit:
    the same on Windows, macOS and Linux). A command that raises ends the normal way, with its traceback."""
    code = main()
    from workbook_engine.execution import end_now  # (loaded by then for a run; a light command pays it at its end)

    end_now(code)
