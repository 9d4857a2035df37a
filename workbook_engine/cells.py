"""A1 cell references: the one place row/column numbers become text and back."""
from __future__ import annotations

import re

_CELL_RE = re.compile(r"^\$?([A-Z]{1,3})\$?([1-9][0-9]*)$")


def col_letter(col: int) -> str:
    """1-based column number to letters: 1 -> A, 27 -> AA."""
    if col < 1:
        raise ValueError(f"column must be >= 1, got {col}")
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def col_number(letters: str) -> int:
    """Letters to 1-based column number: A -> 1, AA -> 27."""
    n = 0
    for ch in letters.upper():
        if not "A" <= ch <= "Z":
            raise ValueError(f"bad column letters {letters!r}")
        n = n * 26 + ord(ch) - 64
    return n


def cell_ref(row: int, col: int) -> str:
    """1-based (row, col) to an A1 reference."""
    if row < 1:
        raise ValueError(f"row must be >= 1, got {row}")
    return f"{col_letter(col)}{row}"


def parse_ref(ref: str) -> tuple[int, int]:
    """An A1 reference to 1-based (row, col)."""
    m = _CELL_RE.match(ref.strip().upper())
    if not m:
        raise ValueError(f"bad cell reference {ref!r}")
    return int(m.group(2)), col_number(m.group(1))
