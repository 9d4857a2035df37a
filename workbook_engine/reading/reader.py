"""Reading workbooks: pass the gate (reading.gate), then read values with python-calamine (Rust, fast).

calamine reads .xlsx, .xlsm, .xls and .ods alike, knows the CJK date formats (31, 57, 58) that openpyxl
misses, and skips cells that are only formatted, so a stray style at XFD1048576 costs nothing. Excel 2.x–4.0
files (a bare BIFF stream, which calamine does not read) are read with xlrd, as pandas reads them.

A native reader can fail in ways Python code does not expect: python-calamine raises PanicException (a
BaseException) on some damaged files. Every failure of a reader becomes ReadFailure("damaged-file") with the
reason in the user's words; only KeyboardInterrupt and SystemExit pass through.
"""
from __future__ import annotations

import re
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import python_calamine
import xlrd

from workbook_engine.catalogue import t
from workbook_engine.cells import col_number
from workbook_engine.files import ReadFailure, failure, open_regular, shown_name
from workbook_engine.reading.gate import Gated, GateLimits, check, part_name, rels_part, resolve_target

MAX_SHEET_CELLS = 10_000_000  # a used range larger than this is refused, not allocated


@dataclass
class RawSheet:
    name: str
    rows: list[list[Any]]  # rows[0] is sheet row 1, rows[i][0] is column A
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)  # 0-based, inclusive


@dataclass
class RawWorkbook:
    path: Path
    format: str
    sheet_names: list[str]
    _book: Any = None
    formula_cells: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # sheet -> [(cell, formula)]
    formula_counts: dict[str, int] = field(default_factory=dict)  # sheet -> formula cells with a cached value
    error_cells: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # sheet -> [(cell, "#DIV/0!")]
    # sheet -> ("rows × columns" in Chinese, in English), refused before calamine
    too_large: dict[str, tuple[str, str]] = field(default_factory=dict)
    gated: Gated | None = None
    read_seconds: float = 0.0  # time spent in the gate and the reader, for the benchmark's stage figures
    _cache: dict[str, RawSheet] = field(default_factory=dict)

    def sheet(self, name: str) -> RawSheet:
        """The sheet's values from A1. Raises ReadFailure("sheet-too-large") for an absurd used range."""
        if name in self.too_large:
            raise ReadFailure("sheet-too-large", *self.too_large[name])
        if name not in self._cache:
            started = time.perf_counter()
            try:
                sheet = self._book.get_sheet_by_name(name)
                cells = (sheet.start[0] + sheet.height if sheet.start else sheet.height) * \
                    (sheet.start[1] + sheet.width if sheet.start else sheet.width)
                if cells > MAX_SHEET_CELLS:
                    raise failure("sheet-too-large", "reader.extent", rows=sheet.height, cols=sheet.width)
                rows = sheet.to_python(skip_empty_area=False)
                merged = list(getattr(sheet, "merged_cell_ranges", None) or [])
            except (ReadFailure, KeyboardInterrupt, SystemExit):
                raise
            except BaseException as exc:  # PanicException included
                raise damaged(exc, name) from None
            self._cache[name] = RawSheet(name, _trim(rows), merged)
            self.read_seconds += time.perf_counter() - started
        return self._cache[name]

    def close(self) -> None:
        if self._book is not None:
            try:
                self._book.close()
            except (KeyboardInterrupt, SystemExit):
                raise
            except BaseException:  # pragma: no cover - closing never matters for results
                pass
            self._book = None
        if self.gated is not None:
            self.gated.cleanup()


def _trim(rows: list[list[Any]]) -> list[list[Any]]:
    """Drop trailing blank rows and columns, so a used range that runs past the data costs nothing."""
    def blank(v: Any) -> bool:
        return v is None or (isinstance(v, str) and not v.strip())

    end = len(rows)
    while end and all(blank(v) for v in rows[end - 1]):
        end -= 1
    rows = rows[:end]
    width = 0
    for row in rows:
        for i in range(len(row) - 1, width - 1, -1):
            if not blank(row[i]):
                width = i + 1
                break
    if rows and set(map(len, rows)) == {width}:
        return rows  # already as wide as the data (the usual case): no copy
    return [list(row[:width]) for row in rows]


def open_workbook(path: str | Path, limits: GateLimits | int | None = None) -> RawWorkbook:
    """Gate and open a workbook; sheets are read on first use. Raises ReadFailure."""
    started = time.perf_counter()
    path = Path(path)
    if not isinstance(limits, GateLimits):
        limits = GateLimits(max_bytes=limits)
    gated = check(path, limits)
    try:
        book = _BiffBook(gated.path) if gated.format == "biff" else _calamine(gated.path)
        names = list(book.sheet_names)
    except python_calamine.PasswordError as exc:
        gated.cleanup()
        raise ReadFailure("encrypted-file") from exc
    except (KeyboardInterrupt, SystemExit):
        gated.cleanup()
        raise
    except BaseException as exc:  # calamine raises several kinds for damaged files, and panics on some
        gated.cleanup()
        raise damaged(exc) from None
    wb = RawWorkbook(path, gated.format, names, book, gated=gated)
    if gated.format == "xlsx":
        try:
            wb.formula_cells, wb.formula_counts, wb.error_cells, wb.too_large = \
                _scan_cells(gated.path, gated.parts, gated.workbook_part)
        except Exception:  # the scan is a bonus: a part it cannot parse leaves the values calamine read
            pass
    gated.parts = {}  # inflated XML is not kept past the scan
    wb.read_seconds = time.perf_counter() - started
    return wb


def _calamine(path: Path) -> Any:
    """calamine's workbook. It takes a path only as UTF-8 text: a file whose name is not (os.fsdecode keeps
    such bytes as surrogates) is handed over as its bytes, read through the gate's open_regular."""
    if shown_name(str(path)) == str(path):
        return python_calamine.CalamineWorkbook.from_path(str(path))
    with open_regular(path) as fh:
        return python_calamine.CalamineWorkbook.from_filelike(fh)


def _both(key: str, **kw: Any) -> tuple[str, str]:
    """A problem detail from the catalogue in Chinese and English (shown later in the run's language)."""
    return t(key, "zh", **kw), t(key, "en", **kw)


def damaged(exc: BaseException, sheet: str | None = None) -> ReadFailure:
    """A reader's failure as the user's problem: what is wrong with the file, in words, never a class name."""
    kind = type(exc).__name__
    text = str(exc).lower()
    if kind == "ZipError" or "invalid zip" in text:
        key = "reader.zip_broken"
    elif kind == "XmlError":
        key = "reader.xml_malformed"
    elif "cfb error" in text or kind == "CompDocError":
        key = "reader.ole_broken"
    else:
        key = "reader.unparsable"
    if sheet is not None:
        return ReadFailure("damaged-file", *(t("reader.in_sheet", lang, sheet=sheet, what=t(key, lang))
                                             for lang in ("zh", "en")))
    return failure("damaged-file", key)


class _BiffSheet:
    """One sheet of an Excel 2.x–4.0 file, with the part of calamine's sheet interface the reader uses."""

    def __init__(self, sheet: Any, datemode: int) -> None:
        self._sheet, self._datemode = sheet, datemode
        self.start = (0, 0)
        self.height, self.width = sheet.nrows, sheet.ncols
        self.merged_cell_ranges: list[Any] = []

    def to_python(self, skip_empty_area: bool = False) -> list[list[Any]]:
        rows = []
        for r in range(self.height):
            row: list[Any] = []
            for cell in self._sheet.row(r):
                value = cell.value
                if cell.ctype == xlrd.XL_CELL_DATE:
                    try:
                        when = xlrd.xldate.xldate_as_datetime(value, self._datemode)
                        value = when.time() if value < 1 else when.date() if value == int(value) else when
                    except (ValueError, OverflowError, xlrd.xldate.XLDateError):
                        pass  # a number that is no date: kept as the number
                elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                    value = bool(value)
                elif cell.ctype == xlrd.XL_CELL_ERROR:
                    value = xlrd.error_text_from_code.get(value, "#ERR!")
                row.append(value)
            rows.append(row)
        return rows


class _BiffBook:
    """An Excel 2.x–4.0 workbook read with xlrd (the reader pandas uses for them), shaped like calamine's."""

    def __init__(self, path: Path) -> None:
        self._book = xlrd.open_workbook(str(path), ragged_rows=True, logfile=_Quiet())
        self.sheet_names = self._book.sheet_names()

    def get_sheet_by_name(self, name: str) -> _BiffSheet:
        return _BiffSheet(self._book.sheet_by_name(name), self._book.datemode)

    def close(self) -> None:
        self._book.release_resources()


class _Quiet:
    """xlrd's log goes nowhere: its warnings about odd records are not the user's business."""

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass


_SHEET_RE = re.compile(r'<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]*)"', re.S)
_SHEET_RE2 = re.compile(r'<(?:\w+:)?sheet\b[^>]*?\br:id="([^"]*)"[^>]*?\bname="([^"]*)"', re.S)
_REL_RE = re.compile(r'<Relationship\b[^>]*?\bId="([^"]*)"[^>]*?\bTarget="([^"]*)"', re.S)
_REL_RE2 = re.compile(r'<Relationship\b[^>]*?\bTarget="([^"]*)"[^>]*?\bId="([^"]*)"', re.S)
_CELL_RE = re.compile(r'<c\b([^>]*?)(?:/>|>(.*?)</c>)', re.S)
_REF_RE = re.compile(r'\br="([A-Z]+[0-9]+)"')
_F_RE = re.compile(r'<f\b[^>]*?(?:/>|>(.*?)</f>)', re.S)
_V_RE = re.compile(r'<v>(.*?)</v>', re.S)
_T_RE = re.compile(r'\bt="([a-zA-Z]+)"')
# cell references far from A1 (two or more column letters, or a six-digit row): rare in real sheets, so
# finding them all is cheap, and they bound the dense range calamine would allocate
# (a formatted cell without a value, <c r="XFD1048576" s="3"/>, costs nothing and is not counted)
_FAR_RE = re.compile(rb' r="([A-Z]{2,3})(\d+)"| r="([A-Z])(\d{6,7})"')
_REF_ATTR_RE = re.compile(rb'<c\b[^>]*?\br="[A-Z]+(\d+)"')


def _unescape(text: str) -> str:
    return (text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
            .replace("&apos;", "'").replace("&amp;", "&"))


def _extent(xml: bytes) -> tuple[int, int]:
    """(rows, columns) of the dense range a reader would build for this sheet XML."""
    end = xml.rfind(b"</c>")  # the last cell that holds something
    tail = xml.rfind(b"<c ", 0, end) if end >= 0 else -1
    last = _REF_ATTR_RE.match(xml, tail) if tail >= 0 else None
    rows = int(last.group(1)) if last else 0
    cols = 26
    for m in _FAR_RE.finditer(xml):
        close = xml.find(b">", m.end())
        if close > 0 and xml[close - 1:close] == b"/":
            continue  # a formatted cell without a value
        letters, row = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        cols = max(cols, col_number(letters.decode("ascii")))
        rows = max(rows, int(row))
    return rows, cols


def _scan_cells(path: Path, parts: dict[str, bytes] | None = None, workbook_part: str = "xl/workbook.xml") -> tuple[
        dict[str, list[tuple[str, str]]], dict[str, int], dict[str, list[tuple[str, str]]], dict[str, tuple[str, str]]]:
    """From the sheet XML (calamine hides these): formula cells without a cached value (or 0 in a book
    marked to recalculate on load), formula cells with one (counted), error values (#DIV/0!, #N/A), and
    sheets whose used range is too large to read. `parts` are parts the gate already inflated; part names
    use "/" whatever separator the zip wrote."""
    too_large: dict[str, tuple[str, str]] = {}
    missing: dict[str, list[tuple[str, str]]] = {}
    counts: dict[str, int] = {}
    errors: dict[str, list[tuple[str, str]]] = {}
    parts = parts or {}
    with zipfile.ZipFile(path) as zf:
        names = {part_name(n): n for n in zf.namelist()}

        def read(name: str) -> bytes:
            data = parts.get(name)
            return data if data is not None else zf.read(names[name])

        workbook = read(workbook_part).decode("utf-8", "replace")
        recalc = 'fullCalcOnLoad="1"' in workbook or "fullCalcOnLoad=\"true\"" in workbook
        rels = read(rels_part(workbook_part)).decode("utf-8", "replace")
        targets = {rid: tgt for rid, tgt in _REL_RE.findall(rels)}
        targets.update({rid: tgt for tgt, rid in _REL_RE2.findall(rels)})
        sheets = {name: rid for name, rid in _SHEET_RE.findall(workbook)}
        sheets.update({name: rid for rid, name in _SHEET_RE2.findall(workbook)})
        for name, rid in sheets.items():
            target = targets.get(rid)
            if not target:
                continue
            part = resolve_target(workbook_part, target)
            info = zf.getinfo(names[part])
            sheet = _unescape(name)
            if info.file_size > 256 << 20:
                too_large[sheet] = _both("reader.sheet_data", mb=f"{info.file_size / 1e6:.0f}")
                continue
            data = read(part)
            rows, cols = _extent(data)
            if rows * cols > MAX_SHEET_CELLS:
                too_large[sheet] = _both("reader.extent", rows=rows, cols=cols)
                continue
            end = data.rfind(b"</sheetData>")
            if data.find(b"<f", 0, end) < 0 and data.find(b't="e"', 0, end) < 0:
                continue  # no formula, no error value (substring tests: a regex with alternatives is 10x slower)
            xml = data.decode("utf-8", "replace")
            for attrs, body in _CELL_RE.findall(xml):
                fm = _F_RE.search(body)
                tm = _T_RE.search(attrs)
                vm = _V_RE.search(body)
                cached = vm.group(1) if vm else ""
                ref = _REF_RE.search(attrs)
                cell = ref.group(1) if ref else ""
                if tm and tm.group(1) == "e" and cached:
                    errors.setdefault(sheet, []).append((cell, _unescape(cached)))
                if not fm:
                    continue
                if cached == "" or (recalc and cached == "0"):
                    missing.setdefault(sheet, []).append((cell, _unescape(fm.group(1) or "")))
                else:
                    counts[sheet] = counts.get(sheet, 0) + 1
    return missing, counts, errors, too_large
