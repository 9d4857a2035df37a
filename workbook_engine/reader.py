"""Reading workbooks: sniff the format from content, then read values with python-calamine (Rust, fast).

calamine reads .xlsx, .xlsm, .xls and .ods alike, knows the CJK date formats (31, 57, 58) that openpyxl
misses, and skips cells that are only formatted, so a stray style at XFD1048576 costs nothing.
"""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import python_calamine

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"


class ReadFailure(Exception):
    """The file cannot be read as a workbook; code is a problem code, detail a short reason in Chinese."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail


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
    _cache: dict[str, RawSheet] = field(default_factory=dict)

    def sheet(self, name: str) -> RawSheet:
        if name not in self._cache:
            sheet = self._book.get_sheet_by_name(name)
            rows = sheet.to_python(skip_empty_area=False)
            merged = list(getattr(sheet, "merged_cell_ranges", None) or [])
            self._cache[name] = RawSheet(name, _trim(rows), merged)
        return self._cache[name]

    def close(self) -> None:
        if self._book is not None:
            try:
                self._book.close()
            except Exception:  # pragma: no cover - closing never matters for results
                pass
            self._book = None


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
    return [list(row[:width]) for row in rows]


def sniff(path: Path, max_bytes: int | None = None) -> str:
    """The workbook format by content: 'xlsx', 'xls' or 'ods'. Raises ReadFailure otherwise."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ReadFailure("unreadable-file", f"无法打开：{exc.strerror}") from exc
    if size == 0:
        raise ReadFailure("not-a-workbook", "空文件")
    if max_bytes is not None and size > max_bytes:
        raise ReadFailure("file-too-large", f"{size / 1e6:.1f} MB，上限 {max_bytes / 1e6:.0f} MB")
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(ZIP_MAGIC):
        try:
            with zipfile.ZipFile(path) as zf:
                names = set(zf.namelist())
                if "xl/workbook.xml" in names or any(n.lower() == "xl/workbook.xml" for n in names):
                    return "xlsx"
                if "mimetype" in names and zf.read("mimetype").startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
                    return "ods"
                if "word/document.xml" in names:
                    raise ReadFailure("not-a-workbook", "这是 Word 文档")
                if "ppt/presentation.xml" in names:
                    raise ReadFailure("not-a-workbook", "这是 PowerPoint 文档")
        except zipfile.BadZipFile as exc:
            raise ReadFailure("unreadable-file", "文件已损坏") from exc
        raise ReadFailure("not-a-workbook", "压缩包中没有工作簿")
    if head.startswith(OLE_MAGIC):
        with path.open("rb") as fh:
            blob = fh.read(min(size, 4 << 20))
        if "EncryptionInfo".encode("utf-16-le") in blob:
            raise ReadFailure("encrypted-file")
        if "Workbook".encode("utf-16-le") in blob or "Book".encode("utf-16-le") in blob:
            return "xls"
        if "WordDocument".encode("utf-16-le") in blob:
            raise ReadFailure("not-a-workbook", "这是 Word 文档")
        raise ReadFailure("not-a-workbook", "未知的 Office 文件")
    with path.open("rb") as fh:
        sample = fh.read(512).lstrip().lower()
    if sample.startswith(b"<") and (b"html" in sample or b"<table" in sample):
        raise ReadFailure("not-a-workbook", "这是网页（HTML）文件，只是扩展名为表格")
    raise ReadFailure("not-a-workbook", "这是文本或其他文件")


def open_workbook(path: str | Path, max_bytes: int | None = None) -> RawWorkbook:
    """Sniff and open a workbook; sheets are read on first use. Raises ReadFailure."""
    path = Path(path)
    fmt = sniff(path, max_bytes)
    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        names = list(book.sheet_names)
    except python_calamine.PasswordError as exc:
        raise ReadFailure("encrypted-file") from exc
    except Exception as exc:  # calamine raises several kinds for damaged files
        raise ReadFailure("unreadable-file", f"文件已损坏：{type(exc).__name__}") from exc
    wb = RawWorkbook(path, fmt, names, book)
    if fmt == "xlsx":
        try:
            wb.formula_cells = _formulas_without_values(path)
        except (zipfile.BadZipFile, KeyError, OSError, UnicodeDecodeError):
            wb.formula_cells = {}
    return wb


_SHEET_RE = re.compile(r'<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]*)"', re.S)
_SHEET_RE2 = re.compile(r'<(?:\w+:)?sheet\b[^>]*?\br:id="([^"]*)"[^>]*?\bname="([^"]*)"', re.S)
_REL_RE = re.compile(r'<Relationship\b[^>]*?\bId="([^"]*)"[^>]*?\bTarget="([^"]*)"', re.S)
_REL_RE2 = re.compile(r'<Relationship\b[^>]*?\bTarget="([^"]*)"[^>]*?\bId="([^"]*)"', re.S)
_CELL_RE = re.compile(r'<c\b([^>]*)>(.*?)</c>', re.S)
_REF_RE = re.compile(r'\br="([A-Z]+[0-9]+)"')
_F_RE = re.compile(r'<f\b[^>]*?(?:/>|>(.*?)</f>)', re.S)
_V_RE = re.compile(r'<v>(.*?)</v>', re.S)


def _unescape(text: str) -> str:
    return (text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
            .replace("&apos;", "'").replace("&amp;", "&"))


def _formulas_without_values(path: Path) -> dict[str, list[tuple[str, str]]]:
    """Formula cells whose cached value is missing (or 0 in a book marked to recalculate on load)."""
    found: dict[str, list[tuple[str, str]]] = {}
    with zipfile.ZipFile(path) as zf:
        workbook = zf.read("xl/workbook.xml").decode("utf-8", "replace")
        recalc = 'fullCalcOnLoad="1"' in workbook or "fullCalcOnLoad=\"true\"" in workbook
        rels = zf.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
        targets = {rid: tgt for rid, tgt in _REL_RE.findall(rels)}
        targets.update({rid: tgt for tgt, rid in _REL_RE2.findall(rels)})
        sheets = {name: rid for name, rid in _SHEET_RE.findall(workbook)}
        sheets.update({name: rid for rid, name in _SHEET_RE2.findall(workbook)})
        for name, rid in sheets.items():
            target = targets.get(rid)
            if not target:
                continue
            part = target.lstrip("/") if target.startswith("/") else "xl/" + target
            info = zf.getinfo(part)
            if info.file_size > 64 << 20:
                continue
            xml = zf.read(part).decode("utf-8", "replace")
            if "<f" not in xml:
                continue
            for attrs, body in _CELL_RE.findall(xml):
                fm = _F_RE.search(body)
                if not fm:
                    continue
                vm = _V_RE.search(body)
                cached = vm.group(1) if vm else ""
                if cached == "" or (recalc and cached == "0"):
                    ref = _REF_RE.search(attrs)
                    found.setdefault(_unescape(name), []).append((ref.group(1) if ref else "", _unescape(fm.group(1) or "")))
    return found
