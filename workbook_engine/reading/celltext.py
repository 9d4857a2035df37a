"""Text into cells: the one path by which a string reaches a cell of any workbook the engine writes.

Three back-ends write workbooks — the fast writer (fastxlsx.py: run outputs), xlsxwriter (books.Book: the
summary; templates.py) and openpyxl (annotated copies, assign). Each stores a string through this module, so
in every output:

- a string is a string cell, never a formula, link or number: ``=DDE(...)``, ``+1``, ``@SUM``, ``\\t=1+1``
  stay the text that was typed (openpyxl, left alone, turns a str starting with ``=`` into a formula);
- characters XML 1.0 cannot carry (control characters, lone surrogates, U+FFFE/U+FFFF and the other
  non-characters) are removed, so every output opens in Excel, WPS, LibreOffice and openpyxl;
- text longer than Excel's cell limit is cut visibly (never silently);
- a carriage return and a literal ``_xHHHH_`` are escaped the OOXML way (``_x000D_``, ``_x005F_``), as
  xlsxwriter does, so Excel reads back exactly the text that was written.
"""
from __future__ import annotations

import re
from typing import Any

from workbook_engine.catalogue import t

CELL_LIMIT = 32_767
# the writers know no language (fastxlsx, Book): the mark says it in both
CUT_MARK = f"…（{t('celltext.cut', 'zh')} / {t('celltext.cut', 'en')}）"

# what XML 1.0 cannot carry, plus the Unicode non-characters (U+FDD0–U+FDEF, U+nFFFE, U+nFFFF), which
# Excel and LibreOffice refuse in a part
NONCHARACTERS = "\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff" + "".join(  # (a regex character class body)
    chr(p + 0xFFFE) + chr(p + 0xFFFF) for p in range(0x10000, 0x110000, 0x10000))
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f" + NONCHARACTERS + "]")
# a superset as ranges (every character from U+1FFFE on): a search over ranges is ~7x faster than one over
# the 32 single astral non-characters, and characters past U+1FFFE (rare CJK extensions) are rare, so most
# text is cleared by this one quick search and only the rest meets the exact pattern
NONCHARACTER_RANGES = "\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff\U0001fffe-\U0010ffff"
_MAYBE_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f" + NONCHARACTER_RANGES + "]")
_OOXML = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)|\r")  # what Excel would decode in a cell's text
_OOXML_OUT = {"_": "_x005F_", "\r": "_x000D_"}


def cell_text(value: Any) -> str:
    """A value as the text of a string cell: characters XML cannot carry removed, cut to the cell limit."""
    text = value if isinstance(value, str) else "、".join(map(str, value)) if isinstance(value, (list, tuple)) \
        else str(value)
    if _MAYBE_NOT_XML.search(text):
        text = _NOT_XML.sub("", text)
    return text if len(text) <= CELL_LIMIT else text[:CELL_LIMIT - len(CUT_MARK)] + CUT_MARK


def ooxml_text(value: Any) -> str:
    """cell_text with the OOXML escapes (``\\r`` -> ``_x000D_``, ``_xHHHH_`` kept literal): the string to put
    into a cell's <t> element (xlsxwriter's write_string does this itself)."""
    text = cell_text(value)
    if "\r" in text or "_x" in text:
        text = _OOXML.sub(lambda m: _OOXML_OUT[m.group(0)], text)
    return text


def escape(text: str, quote: bool = False) -> str:
    """&, < and > (and with `quote` the double quote, for an attribute) as XML entities: xml.sax.saxutils.escape
    without its import of urllib, http and email (a spawned reader imports this module)."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if quote and '"' in text:
        text = text.replace('"', "&quot;")
    return text


def xml_text(value: Any) -> str:
    """ooxml_text escaped for an XML element (the fast writer and deferred rows write XML by hand)."""
    return escape(ooxml_text(value))


def sheet_title(name: Any, limit: int = 31) -> str:
    """A sheet name any writer accepts: XML-safe, at most 31 characters as Excel counts them (UTF-16 units:
    an emoji or a rare CJK character outside the BMP counts two)."""
    text = cell_text(name)
    while len(text.encode("utf-16-le")) // 2 > limit:
        text = text[:-1]
    return text


# -- the back-ends ---------------------------------------------------------------------------------
# every xlsxwriter workbook is opened with these: no string is ever turned into a formula, link or number
XLSXWRITER_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}


def write_text(ws: Any, row: int, col: int, value: Any, fmt: Any = None) -> None:
    """xlsxwriter: a string cell (write_string never makes a formula, link or number)."""
    ws.write_string(row, col, cell_text(value), fmt)


def put(cell: Any, value: Any) -> Any:
    """openpyxl: set a cell's value; a str is stored as a string cell (data type 's'), never a formula."""
    if isinstance(value, str):
        cell.value = ooxml_text(value)
        cell.data_type = "s"
    else:
        cell.value = value
    return cell


def append_row(ws: Any, values: list[Any]) -> None:
    """openpyxl: Worksheet.append, with every str stored through put (append alone would make formulas)."""
    ws.append([cell_text(v) if isinstance(v, str) else v for v in values])
    if any(isinstance(v, str) for v in values):
        row = ws.max_row  # a row holding text is the sheet's last
        for col, value in enumerate(values, start=1):
            if isinstance(value, str):
                put(ws.cell(row, col), value)
