"""What the console shows: exit codes, marks a console's encoding lacks, JSON and aligned tables."""
from __future__ import annotations

import codecs
import sys
from collections.abc import Callable, Sequence
from typing import TextIO

from workbook_engine.catalogue import t
from workbook_engine.writing.sheet import text_width

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


def json_ascii() -> bool:
    """JSON on a console that cannot show every character is written with ASCII escapes: the same data."""
    encoding = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "")
    return not encoding.startswith("utf")


def print_table(rows: Sequence[Sequence[str]], out: TextIO | None = None) -> None:
    """Rows as aligned columns (the last column unpadded), Chinese characters counted as two."""
    if not rows:
        return
    widths = [max(text_width(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    for r in rows:
        cells = [c + " " * (widths[i] - text_width(c)) for i, c in enumerate(r[:-1])]
        print("  ".join([*cells, r[-1]]), file=out or sys.stdout)


def waiting(out: str, lang: str) -> Callable[[], None]:
    """What the console says while a command waits for a run on the same OUT to end."""
    return lambda: print(t("cli.waiting", lang, out=out), file=sys.stderr, flush=True)
