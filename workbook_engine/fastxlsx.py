"""A small, fast .xlsx writer for big plain tables (the merged data book, the class feedback books).

xlsxwriter spends ~20 µs a cell here; a district's merged book has millions of cells. This writer renders
each distinct value once (names, ids, classes and dropdown values repeat thousands of times), keeps every
string in the shared-string table, and writes one XML string per sheet — about 1 µs a cell. It supports
what these books need: a styled, frozen, filtered header repeated on every printed page, column widths,
dates, numbers, percentages, a few fills, title rows, A4 landscape fitted to the page width.

Every value is written as data: strings are always strings (never formulas, never links), through
celltext.xml_text, the one cell-text path of every writer.
"""
from __future__ import annotations

import datetime as dt
import functools
import operator
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence
from unicodedata import east_asian_width
from xml.sax.saxutils import escape

from workbook_engine.cells import col_letter
from workbook_engine.celltext import sheet_title, xml_text
from workbook_engine.messages import t
from workbook_engine.paper import PRINT_MAX_WIDTH, PageText, fit_widths, landscape

EPOCH = dt.date(1899, 12, 30).toordinal()
FONT = "等线"

# style name -> index in cellXfs (see _styles_xml)
STYLES = {"cell": 0, "header": 1, "date": 2, "title": 3, "met": 4, "missed": 5, "exempt": 6, "unpaired": 7,
          "future": 8, "number": 9, "pct": 10, "good": 11, "warn": 12, "bad": 13, "pct_good": 14, "pct_warn": 15,
          "pct_bad": 16, "wrap": 17, "header_rotated": 18, "note": 19}


class Styled(tuple):
    """A value with a named style (see STYLES). A tuple underneath (value, style, the value's type), so it
    hashes fast and True never stands for 1."""

    __slots__ = ()

    def __new__(cls, value: Any, style: str) -> Styled:
        return tuple.__new__(cls, (value, style, value.__class__))

    def __getnewargs__(self) -> tuple[Any, str]:
        return self[0], self[1]

    value = property(operator.itemgetter(0))
    style = property(operator.itemgetter(1))


_NON_NUMERIC = {str, type(None), dt.date, dt.datetime, dt.time, Styled}


def text_width(value: Any) -> int:
    """Display width: CJK characters count two."""
    return _text_width(value if isinstance(value, str) else str(value))


@functools.lru_cache(maxsize=65536)
def _text_width(s: str) -> int:  # names, ids and dropdown values repeat: measure each text once
    return sum(2 if east_asian_width(ch) in "WF" else 1 for ch in s)


def column_widths(headers: Sequence[str], rows: Sequence[Sequence[Any]], max_width: int = 40,
                  overflow: set[int] | None = None) -> list[int]:
    """Widths that fit the header and the first 300 rows (dates 11), capped at max_width, at least 6.
    Columns holding longer text are added to `overflow` (they wrap inside the capped width)."""
    widths = [text_width(h) + 2 for h in headers]
    for r in rows[:300]:
        for c, v in enumerate(r):
            v = v.value if isinstance(v, Styled) else v
            if c < len(widths) and v is not None:
                w = 11 if isinstance(v, dt.date) else text_width(v) + 2
                if w > max_width and overflow is not None:
                    overflow.add(c)
                widths[c] = max(widths[c], min(w, max_width))
    return [max(w, 6) for w in widths]


def column_floors(widths: Sequence[float], rows: Sequence[Sequence[Any]]) -> list[float]:
    """How narrow each column may get: text wraps (6), dates and numbers do not (their width)."""
    floors = [min(6.0, w) for w in widths]
    for r in rows[:300]:
        for c, v in enumerate(r):
            v = v.value if isinstance(v, Styled) else v
            if c < len(floors) and v is not None and not isinstance(v, str):
                floors[c] = widths[c]
    return floors


def _lines(value: Any, width: float) -> int:
    """Lines a text needs in a wrapped column of width (explicit line breaks count)."""
    value = value.value if isinstance(value, Styled) else value
    if not isinstance(value, str) or not value:
        return 1
    per_line = max(int(width) - 1, 1)
    return sum(max(1, -(-text_width(part) // per_line)) for part in value.split("\n"))


@dataclass
class _Sheet:
    name: str
    xml: str
    print_titles: int | None  # 1-based header row to repeat on every page
    filter_ref: str | None


@dataclass
class FastBook:
    """Collect sheets, then `save(path)`."""

    sheets: list[_Sheet] = field(default_factory=list)
    page: PageText | None = None  # every sheet's header and footer
    lang: str = "zh"
    _sst: dict[str, int] = field(default_factory=dict)
    _cells: dict[tuple[type, Any, str], str] = field(default_factory=dict)
    _memo: dict[tuple[type | None, str], dict[Any, str]] = field(default_factory=dict)  # see _column

    # -- cells -------------------------------------------------------------------------------
    def _string(self, text: str) -> int:
        idx = self._sst.get(text)
        if idx is None:
            idx = self._sst[text] = len(self._sst)
        return idx

    def _cell(self, value: Any, style: str = "cell") -> str:
        key = (value.__class__, value, style)
        try:
            hit = self._cells.get(key)
        except TypeError:  # an unhashable value (a list): render it, do not cache
            hit, key = None, None
        if hit is not None:
            return hit
        if isinstance(value, Styled):
            out = self._cell(value.value, value.style)
            if key is not None and len(self._cells) < 500_000:
                self._cells[key] = out
            return out
        s = STYLES[style]
        attr = f' s="{s}"' if s else ""
        if value is None or value == "":
            out = f"<c{attr}/>" if s else "<c/>"
        elif isinstance(value, bool):
            out = f'<c t="s"{attr}><v>{self._string(t("word.yes" if value else "word.no", self.lang))}</v></c>'
        elif isinstance(value, dt.datetime):
            serial = value.toordinal() - EPOCH + (value - value.replace(hour=0, minute=0, second=0, microsecond=0)).seconds / 86400
            out = f'<c s="{STYLES["date"]}"><v>{serial}</v></c>'
        elif isinstance(value, dt.date):
            out = f'<c s="{STYLES["date"] if style == "cell" else s}"><v>{value.toordinal() - EPOCH}</v></c>'
        elif isinstance(value, (int, float)) or type(value).__module__ == "numpy":
            number = value.item() if type(value).__module__ == "numpy" else value
            if isinstance(number, float) and number != number:
                out = f"<c{attr}/>"
            else:
                num_style = STYLES["number"] if style == "cell" and isinstance(number, float) else s
                out = f'<c s="{num_style}"><v>{number!r}</v></c>' if num_style else f"<c><v>{number!r}</v></c>"
        else:
            out = f'<c t="s"{attr}><v>{self._string(xml_text(value))}</v></c>'
        if key is not None and len(self._cells) < 500_000:
            self._cells[key] = out
        return out

    def _rows(self, rows: list[Sequence[Any]], col_styles: dict[int, str]) -> list[str]:
        """The rows' XML, rendered column by column: each distinct value of a column once, the rest by
        dict look-ups in C (map), so a million cells cost about a second less than cell by cell."""
        if not rows:
            return []
        if len(set(map(len, rows))) != 1:  # ragged rows: cell by cell
            return ["<row>" + "".join(self._cell(v, col_styles.get(c, "cell")) for c, v in enumerate(r)) + "</row>"
                    for r in rows]
        columns = [self._column(col, col_styles.get(c, "cell")) for c, col in enumerate(zip(*rows))]
        return ["<row>" + "".join(cells) + "</row>" for cells in zip(*columns)]

    def _column(self, values: tuple[Any, ...], style: str) -> list[str]:
        # values equal in Python but different in a cell (1, 1.0, True) must not share a rendering: a memo
        # keyed by value holds at most one numeric type
        numeric = set(map(type, values)) - _NON_NUMERIC
        if len(numeric) > 1:
            return [self._cell(v, style) for v in values]
        memo = self._memo.setdefault((next(iter(numeric), None), style), {})
        try:  # (in order of first use, not set order: shared strings are numbered as they are met)
            missing = [v for v in dict.fromkeys(values) if v not in memo]
        except TypeError:  # an unhashable value (a list)
            return [self._cell(v, style) for v in values]
        if missing:
            if len(memo) > 200_000:
                memo.clear()
                missing = list(dict.fromkeys(values))
            for v in missing:
                memo[v] = self._cell(v, style)
        return list(map(memo.__getitem__, values))

    # -- sheets ------------------------------------------------------------------------------
    def table(self, name: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], max_width: int = 40,
              title_rows: Sequence[Sequence[Any]] = (), widths: Sequence[float] | None = None,
              freeze_cols: int = 0, col_styles: dict[int, str] | None = None, header_style: str = "header",
              header_height: float = 22) -> None:
        """A sheet: optional title rows, then a header row (frozen, filtered, repeated on print), then rows
        (one grey "无" when there are none). Text longer than max_width wraps inside its column, so the
        page is never shrunk to fit it; the page is landscape only when the columns need it."""
        rows = rows if isinstance(rows, list) else list(rows)
        col_styles = dict(col_styles or {})
        if widths is None:
            overflow: set[int] = set()
            widths = column_widths(headers, rows, max_width, overflow)
            if sum(widths) > PRINT_MAX_WIDTH:  # narrower columns that wrap, rather than a page shrunk under 8 pt
                widths, narrowed = fit_widths(widths, column_floors(widths, rows))
                overflow |= narrowed
            header_height = max(header_height, 15 * max(_lines(str(h), w) for h, w in zip(headers, widths)) + 4)
            for c in overflow:
                col_styles.setdefault(c, "wrap")
        if not rows:
            rows = [[Styled(t("paper.none", self.lang), "note")]]
        header_row = len(title_rows) + 1
        parts = [f'<row r="{i}">{"".join(self._cell(v) for v in tr)}</row>' for i, tr in enumerate(title_rows, 1)]
        parts.append(f'<row r="{header_row}" ht="{header_height}" customHeight="1">'
                     + "".join(self._cell(h, header_style) for h in headers) + "</row>")
        body = self._rows(rows, col_styles)
        wrapped = [c for c, st in col_styles.items() if st == "wrap" and c < len(widths)]
        if wrapped and rows and len(set(map(len, rows))) == 1 and len(rows[0]) > max(wrapped):  # (not for 无)
            # wrapped text gets its height here (readers keep a row's height from the file): lines per distinct
            # value of each wrapped column, the rows' maximum by C-level maps
            per_column = []
            for c in wrapped:
                values = [r[c] for r in rows]
                try:
                    memo = {v: _lines(v, widths[c]) for v in set(values)}
                    per_column.append(list(map(memo.__getitem__, values)))
                except TypeError:  # an unhashable value (a list)
                    per_column.append([_lines(v, widths[c]) for v in values])
            for i, lines in enumerate(map(max, *per_column) if len(per_column) > 1 else per_column[0]):
                if lines > 1:
                    body[i] = f'<row ht="{15 * lines + 2}" customHeight="1">' + body[i][5:]
        parts += body
        last_col = col_letter(max(len(headers), 1))
        filter_ref = f"A{header_row}:{last_col}{header_row + max(len(rows), 1)}"
        cols = "".join(f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>' for i, w in enumerate(widths, 1))
        split_x = f' xSplit="{freeze_cols}"' if freeze_cols else ""
        top_left = f"{col_letter(freeze_cols + 1)}{header_row + 1}"
        pane = "bottomRight" if freeze_cols else "bottomLeft"
        orientation = "landscape" if landscape(list(widths)) else "portrait"
        header_footer = "" if self.page is None else (
            f"<headerFooter><oddHeader>{escape(self.page.header)}</oddHeader>"
            f"<oddFooter>{escape(self.page.footer)}</oddFooter></headerFooter>")
        xml = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
            f'<sheetViews><sheetView workbookViewId="0"><pane{split_x} ySplit="{header_row}" topLeftCell="{top_left}" '
            f'activePane="{pane}" state="frozen"/><selection pane="{pane}" activeCell="{top_left}" sqref="{top_left}"/>'
            '</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>'
            f'<cols>{cols}</cols><sheetData>{"".join(parts)}</sheetData>'
            f'<autoFilter ref="{filter_ref}"/>'
            '<pageMargins left="0.4" right="0.4" top="0.7" bottom="0.7" header="0.3" footer="0.3"/>'
            f'<pageSetup paperSize="9" orientation="{orientation}" fitToWidth="1" fitToHeight="0"/>'
            f'{header_footer}</worksheet>')
        self.sheets.append(_Sheet(sheet_title(name), xml, header_row, filter_ref))

    # -- the package ---------------------------------------------------------------------------
    def save(self, path: Path) -> Path:
        n = len(self.sheets)
        parts = [("[Content_Types].xml", _content_types(n)), ("_rels/.rels", _ROOT_RELS), ("docProps/app.xml", _APP),
                 ("docProps/core.xml", _CORE), ("xl/workbook.xml", self._workbook_xml()),
                 ("xl/_rels/workbook.xml.rels", _workbook_rels(n)), ("xl/styles.xml", _STYLES_XML),
                 ("xl/sharedStrings.xml", self._sst_xml()),
                 *((f"xl/worksheets/sheet{i}.xml", sheet.xml) for i, sheet in enumerate(self.sheets, 1))]
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for name, xml in parts:  # (a ZipInfo does not take the ZipFile's level: it is given here)
                z.writestr(_info(name), xml, compresslevel=1)
        return path

    def _workbook_xml(self) -> str:
        sheets = "".join(f'<sheet name="{escape(s.name, {chr(34): "&quot;"})}" sheetId="{i}" r:id="rId{i}"/>'
                         for i, s in enumerate(self.sheets, 1))
        names = []
        for i, s in enumerate(self.sheets):
            quoted = "'" + s.name.replace("'", "''") + "'"
            if s.filter_ref:
                a, b = s.filter_ref.split(":")
                ref = f"{quoted}!${''.join(ch for ch in a if ch.isalpha())}${''.join(ch for ch in a if ch.isdigit())}:" \
                      f"${''.join(ch for ch in b if ch.isalpha())}${''.join(ch for ch in b if ch.isdigit())}"
                names.append(f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
                             f"{escape(ref)}</definedName>")
            if s.print_titles:
                names.append(f'<definedName name="_xlnm.Print_Titles" localSheetId="{i}">'
                             f"{escape(quoted)}!${s.print_titles}:${s.print_titles}</definedName>")
        return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                f'<bookViews><workbookView/></bookViews><sheets>{sheets}</sheets>'
                f'<definedNames>{"".join(names)}</definedNames><calcPr calcId="0"/></workbook>')

    def _sst_xml(self) -> str:
        items = "".join(f'<si><t xml:space="preserve">{s}</t></si>' for s in self._sst)  # (escaped: xml_text)
        return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                f'count="{len(self._sst)}" uniqueCount="{len(self._sst)}">{items}</sst>')


FIXED_TIME = (2026, 1, 1, 0, 0, 0)


def _info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, FIXED_TIME)  # fixed time: the same content gives the same bytes
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def _content_types(n: int) -> str:
    sheets = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
                     'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' for i in range(1, n + 1))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            '<Override PartName="/docProps/core.xml" ContentType="application/'
            'vnd.openxmlformats-package.core-properties+xml"/>'
            '<Override PartName="/docProps/app.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.extended-properties+xml"/>'
            f"{sheets}</Types>")


def _workbook_rels(n: int) -> str:
    rels = "".join(f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                   f'relationships/worksheet" Target="worksheets/sheet{i}.xml"/>' for i in range(1, n + 1))
    base = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'{rels}<Relationship Id="rId{n + 1}" Type="{base}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rId{n + 2}" Type="{base}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>")


_ROOT_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
              '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
              'officeDocument" Target="xl/workbook.xml"/>'
              '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
              'core-properties" Target="docProps/core.xml"/>'
              '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
              'extended-properties" Target="docProps/app.xml"/></Relationships>')
_APP = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        "<Application>workbook-engine</Application></Properties>")
_CORE = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
         '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
         'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
         'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>workbook-engine</dc:creator>'
         '<dcterms:created xsi:type="dcterms:W3CDTF">2026-01-01T00:00:00Z</dcterms:created></cp:coreProperties>')


def _fill(rgb: str) -> str:
    return f'<fill><patternFill patternType="solid"><fgColor rgb="FF{rgb}"/><bgColor indexed="64"/></patternFill></fill>'


# fonts: 0 normal, 1 bold, 2 bold 14, 3 green, 4 brown, 5 red, 6 grey italic
# fills: 0 none, 1 gray125 (required), 2 header, 3 met, 4 missed, 5 exempt, 6 unpaired, 7 warn
# borders: 0 none, 1 thin, 2 thin grey
_XF = [  # (numFmt, font, fill, border, alignment)
    (0, 0, 0, 0, ""),                                                     # cell
    (0, 1, 2, 1, '<alignment horizontal="center" vertical="center" wrapText="1"/>'),  # header
    (164, 0, 0, 0, '<alignment horizontal="left"/>'),                     # date
    (0, 2, 0, 0, ""),                                                     # title
    (0, 0, 3, 2, '<alignment horizontal="center"/>'),                     # met
    (0, 0, 4, 2, '<alignment horizontal="center"/>'),                     # missed
    (0, 0, 5, 2, '<alignment horizontal="center"/>'),                     # exempt
    (0, 0, 6, 2, '<alignment horizontal="center"/>'),                     # unpaired
    (0, 0, 0, 2, '<alignment horizontal="center"/>'),                     # future
    (165, 0, 0, 0, ""),                                                   # number
    (166, 0, 0, 0, ""),                                                   # pct
    (0, 3, 3, 0, ""),                                                     # good
    (0, 4, 7, 0, ""),                                                     # warn
    (0, 5, 4, 0, ""),                                                     # bad
    (166, 3, 3, 0, ""),                                                   # pct_good
    (166, 4, 7, 0, ""),                                                   # pct_warn
    (166, 5, 4, 0, ""),                                                   # pct_bad
    (0, 0, 0, 0, '<alignment vertical="top" wrapText="1"/>'),             # wrap (long text in a bounded column)
    (0, 1, 2, 1, '<alignment horizontal="center" vertical="bottom" textRotation="90"/>'),  # header_rotated
    (0, 6, 0, 0, ""),                                                     # note (grey italic: "无", notes)
]


def _xf(num: int, font: int, fill: int, border: int, align: str) -> str:
    applied = (' applyNumberFormat="1"' if num else "") + (' applyFont="1"' if font else "") + \
        (' applyFill="1"' if fill else "") + (' applyBorder="1"' if border else "") + \
        (' applyAlignment="1"' if align else "")
    body = f">{align}</xf>" if align else "/>"
    return f'<xf numFmtId="{num}" fontId="{font}" fillId="{fill}" borderId="{border}" xfId="0"{applied}{body}'


def _font(extra: str = "", size: int = 11, color: str | None = None) -> str:
    c = f'<color rgb="FF{color}"/>' if color else ""
    return f'<font>{extra}<sz val="{size}"/>{c}<name val="{FONT}"/><family val="2"/><charset val="134"/></font>'


_STYLES_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="3"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/>'
    '<numFmt numFmtId="165" formatCode="0.00"/><numFmt numFmtId="166" formatCode="0.0%"/></numFmts>'
    '<fonts count="7">' + _font() + _font("<b/>") + _font("<b/>", 14) + _font(color="006100")
    + _font(color="9C5700") + _font(color="9C0006") + _font("<i/>", color="595959") + "</fonts>"
    '<fills count="8"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    + _fill("DDEBF7") + _fill("C6EFCE") + _fill("FFC7CE") + _fill("E7E6E6") + _fill("F2F2F2") + _fill("FFEB9C")
    + "</fills>"
    '<borders count="3"><border><left/><right/><top/><bottom/><diagonal/></border>'
    '<border><left style="thin"><color auto="1"/></left><right style="thin"><color auto="1"/></right>'
    '<top style="thin"><color auto="1"/></top><bottom style="thin"><color auto="1"/></bottom><diagonal/></border>'
    '<border><left style="thin"><color rgb="FFBFBFBF"/></left><right style="thin"><color rgb="FFBFBFBF"/></right>'
    '<top style="thin"><color rgb="FFBFBFBF"/></top><bottom style="thin"><color rgb="FFBFBFBF"/></bottom>'
    "<diagonal/></border></borders>"
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    f'<cellXfs count="{len(_XF)}">' + "".join(_xf(*x) for x in _XF) + "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>")
