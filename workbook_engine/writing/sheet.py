"""The one description of a sheet that every table of every output is drawn from, by either writer.

A `Sheet` says what a sheet holds — name, title rows, headers, rows, named styles (styles.STYLES), column
widths, the frozen columns, a note below — and `Sheet.layout()` decides once how it prints: measured widths,
columns narrowed to fit an A4 page and wrapped rather than shrunk under 8 pt, row heights for wrapped text,
orientation. The fast writer (fastxlsx.FastBook.add) and xlsxwriter (books.Book.add) render the same layout.
"""
from __future__ import annotations

import datetime as dt
import functools
import operator
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from unicodedata import east_asian_width

from workbook_engine.writing.paper import PRINT_MAX_WIDTH, fit_widths, landscape

ROW_HEIGHT = 15  # points per line of 11-pt text
# a wrapped row's lines: a CJK font spaces 11-pt lines wider than one line's 15 pt (LibreOffice's Noto Sans CJK
# prints a dozen wrapped lines about one line taller than 12 x 15 pt, and clipped them)
WRAPPED_LINE_HEIGHT = 16.5
TEXT_STYLES = frozenset({"wrap"})  # column styles for text only: a date or number there keeps its own format


class Styled(tuple):
    """A value with a named style (styles.STYLES). A tuple underneath (value, style, the value's type), so it
    hashes fast and True never stands for 1."""

    __slots__ = ()

    def __new__(cls, value: Any, style: str) -> Styled:
        return tuple.__new__(cls, (value, style, value.__class__))

    def __getnewargs__(self) -> tuple[Any, str]:
        return self[0], self[1]

    value = property(operator.itemgetter(0))
    style = property(operator.itemgetter(1))


def plain(value: Any) -> Any:
    return value.value if isinstance(value, Styled) else value


def spans(value: Any) -> bool:
    """A heading inside a table (style "span"): it runs on over the empty cells to its right, so it is not
    measured for its column's width."""
    return isinstance(value, Styled) and value.style == "span"


def text_width(value: Any) -> int:
    """Display width: CJK characters count two."""
    return _text_width(value if isinstance(value, str) else str(value))


@functools.lru_cache(maxsize=65536)
def _text_width(s: str) -> int:  # names, ids and dropdown values repeat: measure each text once
    return sum(2 if east_asian_width(ch) in "WF" else 1 for ch in s)


SAMPLED = 300  # rows measured for a column's width: the header and the first SAMPLED rows


def sampled(rows: Sequence[Sequence[Any]], n: int) -> list[list[Any]]:
    """The values of each of the first n columns in the first SAMPLED rows (what column_widths and column_floors
    measure), headings that span the row and empty cells left out. A width is a maximum, so each distinct value (by
    type and value: 1 and True are measured apart) is given once, found at C speed (zip and set)."""
    head = rows[:SAMPLED]
    columns: Sequence[Sequence[Any]]
    if len(set(map(len, head))) == 1:  # rows of one length, as they nearly always are: the columns at C speed
        columns = list(zip(*head))[:n]
    else:
        columns = [[r[c] for r in head if c < len(r)] for c in range(n)]
    try:
        columns = [[v for _, v in set(zip(map(type, col), col))] for col in columns]
    except TypeError:  # an unhashable value (a list): every cell
        pass
    out = [[p for p in (None if spans(v) else plain(v) for v in col) if p is not None] for col in columns]
    return out + [[] for _ in range(n - len(out))]


def column_widths(headers: Sequence[Any], rows: Sequence[Sequence[Any]], max_width: int = 40,
                  overflow: set[int] | None = None, columns: list[list[Any]] | None = None) -> list[int]:
    """Widths that fit the header and the first SAMPLED rows (dates 11), capped at max_width, at least 6.
    Columns holding longer text are added to `overflow` (they wrap inside the capped width). `columns`: the rows
    as sampled() gives them, when already measured."""
    widths = [text_width(plain(h)) + 2 for h in headers]
    for c, values in enumerate(columns if columns is not None else sampled(rows, len(widths))):
        for v in values:
            w = 11 if isinstance(v, dt.date) else text_width(v) + 2
            if w > max_width and overflow is not None:
                overflow.add(c)
            widths[c] = max(widths[c], min(w, max_width))
    return [max(w, 6) for w in widths]


WHOLE = 10  # a word or code up to this wide (a 学号, a phone number, "attention") is never broken over two lines


def _word(text: str, whole: int) -> float:
    """The widest word of a text that must not break: Latin words and codes (Chinese wraps between any two
    characters), up to `whole`."""
    return min(max((len(w) for w in text.split() if text_width(w) == len(w)), default=0), whole)


def column_floors(widths: Sequence[float], rows: Sequence[Sequence[Any]],
                  headers: Sequence[Any] = (), whole: int = WHOLE, columns: list[list[Any]] | None = None
                  ) -> list[float]:
    """How narrow each column may get when a table is wider than the page. Text wraps between words, and a
    word or code up to WHOLE wide stays whole; numbers and dates never wrap (their printed width); a header
    may wrap over lines, but not inside a word up to WHOLE wide. (whole=0: words may break too.)"""
    floors = [min(6.0, w) for w in widths]

    def need(c: int, width: float) -> None:
        if c < len(floors):
            floors[c] = max(floors[c], min(width, widths[c]))

    for c, h in enumerate(headers):
        need(c, _word(str(plain(h)), whole) + 2)
    for c, values in enumerate(columns if columns is not None else sampled(rows, len(floors))):
        for v in values:
            if isinstance(v, str):
                need(c, _word(v, whole) + 2)
            elif isinstance(v, dt.date):
                need(c, 11)
            elif isinstance(v, float):
                need(c, len(f"{v:.2f}") + 3)  # (0.00 or 0.0%)
            else:
                need(c, text_width(v) + 2)
    return floors


def lines(value: Any, width: float) -> int:
    """Lines a text needs in a wrapped column of width (explicit line breaks count); a heading that spans the
    row is one line."""
    if spans(value):
        return 1
    value = plain(value)
    if not isinstance(value, str) or not value:
        return 1
    per_line = max(int(width) - 1, 1)
    return sum(max(1, -(-text_width(part) // per_line)) for part in value.split("\n"))


def width_pixels(width: float) -> int:
    """A column width in whole pixels of the default font's 7-px digit: both writers store this (fastxlsx as
    file_width, xlsxwriter by set_column_pixels), so a column is as wide in every book."""
    return int(width * 7 + 0.5)


def file_width(width: float) -> float:
    """The width as the file stores it (characters, in 1/256ths), as xlsxwriter stores a width in pixels."""
    return (width_pixels(width) * 256 // 7) / 256


def file_height(points: float) -> float:
    """A row height in whole pixels (0.75 pt), as Excel and xlsxwriter store it."""
    return int(points * 4 / 3 + 0.5) * 0.75


@dataclass
class Layout:
    """How a sheet prints, decided once for both writers."""

    widths: list[float]
    col_styles: dict[int, str]  # column -> style name of its body cells (wrap for long text)
    header_height: float
    row_lines: dict[int, int]  # body row (0-based) -> lines, where more than one
    # None: one line, the reader's own height (a fixed one can push it onto a page of its own)
    note_height: float | None
    landscape: bool


@dataclass
class Sheet:
    """One sheet: optional title rows, a header row (frozen, filtered, repeated on every printed page), rows (one
    grey "无" when there are none), an optional note below. Cells are values or Styled values."""

    name: str
    headers: Sequence[Any]
    rows: Sequence[Sequence[Any]]
    title_rows: Sequence[Sequence[Any]] = ()
    widths: Sequence[float] | None = None  # fixed widths (the grids); measured from the rows when None
    max_width: int = 40  # longer text wraps inside a column this wide
    col_styles: dict[int, str] = field(default_factory=dict)
    header_style: str = "header"
    header_height: float = 22
    freeze_cols: int = 0  # columns kept in view (and printed on every page)
    note: str | None = None
    bulk: bool = False  # a grid of many text cells (xlsxwriter: appended as XML, books.Book.defer_rows)

    @property
    def header_row(self) -> int:
        """The header's 1-based row."""
        return len(self.title_rows) + 1

    def layout(self) -> Layout:
        rows = self.rows
        col_styles = dict(self.col_styles)
        header_height = self.header_height
        if self.widths is None:
            overflow: set[int] = set()
            columns = sampled(rows, len(self.headers))
            widths: Sequence[float] = column_widths(self.headers, rows, self.max_width, overflow, columns)
            if sum(widths) > PRINT_MAX_WIDTH:  # narrower columns that wrap, rather than a page shrunk under 8 pt
                floors = column_floors(widths, rows, self.headers, columns=columns)
                if sum(floors) > PRINT_MAX_WIDTH:  # too many columns to keep every word whole: 8 pt comes first
                    floors = column_floors(widths, rows, self.headers, whole=0, columns=columns)
                fitted, narrowed = fit_widths(widths, floors)
                widths, overflow = fitted, overflow | narrowed
            header_height = max(header_height, ROW_HEIGHT * max(
                (lines(str(plain(h)), w) for h, w in zip(self.headers, widths)), default=1) + 4)
            for c in overflow:
                col_styles.setdefault(c, "wrap")
        else:
            widths = list(self.widths)
        return Layout(list(widths), col_styles, file_height(header_height), self._row_lines(widths, col_styles),
                      self._note_height(widths), landscape(list(widths)))

    def _row_lines(self, widths: Sequence[float], col_styles: dict[int, str]) -> dict[int, int]:
        """Lines of each body row with wrapped text (readers keep a row's height from the file: it is written):
        lines per distinct value of each wrapped column, the row's maximum by C-level maps."""
        rows = self.rows
        wrapped = [c for c, st in col_styles.items() if st == "wrap" and c < len(widths)]
        if not wrapped or not rows:
            return {}
        if len(set(map(len, rows))) != 1 or len(rows[0]) <= max(wrapped):  # ragged rows: row by row
            return {i: n for i, r in enumerate(rows)
                    if (n := max((lines(r[c], widths[c]) for c in wrapped if c < len(r)), default=1)) > 1}
        per_column = []
        for c in wrapped:
            values = [r[c] for r in rows]
            try:
                memo = {v: lines(v, widths[c]) for v in set(values)}
                per_column.append(list(map(memo.__getitem__, values)))
            except TypeError:  # an unhashable value (a list)
                per_column.append([lines(v, widths[c]) for v in values])
        most = map(max, *per_column) if len(per_column) > 1 else per_column[0]
        return {i: n for i, n in enumerate(most) if n > 1}

    def _note_height(self, widths: Sequence[float]) -> float | None:
        extra = text_width(self.note or "") // max(int(sum(widths)), 1)  # lines beyond the first
        return file_height(ROW_HEIGHT * (1 + extra) + 4) if extra else None

    def row_height(self, lines_: int) -> float:
        return file_height(WRAPPED_LINE_HEIGHT * lines_ + 2)
