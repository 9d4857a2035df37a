"""The one style registry of every workbook written: fonts, colours, number formats, named cell styles and the
page setup. Each writer draws from it — the fast writer (fastxlsx: its styles.xml is generated from here),
xlsxwriter (books.Book, the templates and the forms: `XlsxFormats`) and openpyxl (the annotated copies:
`openpyxl_fill`) — so a colour or a number format is changed in one place for every book.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

FONT = "等线"  # the CJK font Excel and WPS ship (LibreOffice substitutes Noto Sans CJK)
FONT_SIZE = 11

COLOURS = {  # RGB, no '#'
    "header": "DDEBF7",  # light blue: header rows
    "met": "C6EFCE", "good_text": "006100",  # green: met, on track
    "missed": "FFC7CE", "bad_text": "9C0006",  # red: missed, off track, errors
    "warn": "FFEB9C", "warn_text": "9C5700",  # yellow: needs attention, warnings
    "exempt": "E7E6E6",  # grey: holiday or exam week
    "unpaired": "F2F2F2",  # light grey: not paired yet
    "note_text": "595959",  # grey notes, "无"
    "grid_border": "BFBFBF",
    "required": "FCE4D6", "required_text": "C00000",  # a template's required columns
    "sheet_head": "E2EFDA",  # a template sheet's own heading
    "ruled": "808080",  # ruled rows to write in by hand
    "link": "0563C1",
    "chart_1": "5B9BD5", "chart_2": "ED7D31",  # the summary's chart series
}

NUMBER_FORMATS = {"date": "yyyy-mm-dd", "number": "0.00", "integer": "0", "pct": "0.0%", "text": "@"}

# the page of every sheet: A4, fitted to one page wide; margins and header/footer distances in inches
PAPER_A4 = 9
MARGINS = {"left": 0.4, "right": 0.4, "top": 0.7, "bottom": 0.7, "header": 0.3, "footer": 0.3}


@dataclass(frozen=True)
class Style:
    """A named cell style: font, fill, border, number format, alignment."""

    bold: bool = False
    italic: bool = False
    size: float = FONT_SIZE
    colour: str | None = None  # font colour, a COLOURS key
    fill: str | None = None  # a COLOURS key
    border: str | None = None  # "thin" (black), "grey" (grid cells), "ruled" (grey lines to write on), "box" (medium)
    number: str | None = None  # a NUMBER_FORMATS key
    align: str | None = None  # left, center, right
    valign: str = "center"  # top, center, bottom
    wrap: bool = False
    rotation: int = 0


_HEADER = Style(bold=True, fill="header", border="thin", align="center", wrap=True)
_GRID = Style(border="grey", align="center")
_FORM = Style(size=10, wrap=True)
_TEMPLATE_HEAD = Style(bold=True, size=12, fill="sheet_head")

STYLES: dict[str, Style] = {
    # the house style of every output table
    "cell": Style(),
    "text": Style(number="text"),
    "header": _HEADER,
    "header_rotated": replace(_HEADER, rotation=90, valign="bottom", wrap=False),
    "title": Style(bold=True, size=14),
    "date": Style(number="date", align="left"),
    "number": Style(number="number", align="right"),
    "integer": Style(number="integer", align="right"),
    "pct": Style(number="pct", align="right"),
    "wrap": Style(wrap=True),  # (centred like its neighbours: a wrapped cell beside one-line cells)
    "note": Style(italic=True, colour="note_text"),
    "span": Style(bold=True, fill="header"),  # a heading inside a table, over the empty cells to its right
    "note_wrap": Style(italic=True, colour="note_text", wrap=True, valign="top"),
    # the compliance grid's states (the symbols and labels: books.GRID_STATES, messages grid.<state>)
    "met": replace(_GRID, fill="met"),
    "missed": replace(_GRID, fill="missed"),
    "exempt": replace(_GRID, fill="exempt"),
    "unpaired": replace(_GRID, fill="unpaired"),
    "future": _GRID,
    # compliance bands (and the summary's conditional colours on rates)
    "good": Style(colour="good_text", fill="met"),
    "warn": Style(colour="warn_text", fill="warn"),
    "bad": Style(colour="bad_text", fill="missed"),
    "pct_good": Style(number="pct", align="right", colour="good_text", fill="met"),
    "pct_warn": Style(number="pct", align="right", colour="warn_text", fill="warn"),
    "pct_bad": Style(number="pct", align="right", colour="bad_text", fill="missed"),
    # the blank templates
    "template.title": Style(bold=True, size=16),
    "template.required": replace(_HEADER, colour="required_text", fill="required"),
    "template.bold": Style(bold=True),
    "template.sheet_head": _TEMPLATE_HEAD,
    "template.sheet_head_wrap": replace(_TEMPLATE_HEAD, wrap=True),
    "template.text_ruled": Style(number="text", border="ruled"),
    "template.date_ruled": Style(number="date", border="ruled"),
    "template.cell_ruled": Style(border="ruled"),
    "template.text_box": Style(number="text", border="box"),
    "template.date_box": Style(number="date", border="box"),
    # the named forms (forms.py): 10 pt, wrapped, ruled
    "form.title": replace(_FORM, bold=True, size=15, align="center"),
    "form.label": replace(_FORM, bold=True),
    "form.info": _FORM,
    "form.head": replace(_FORM, bold=True, border="thin", align="center", fill="header"),
    "form.cell": replace(_FORM, border="thin"),
    "form.centre": replace(_FORM, border="thin", align="center"),
    "form.total": replace(_FORM, border="thin", bold=True, align="center"),
    "form.sign": Style(valign="bottom"),
    "form.date": replace(_FORM, border="thin", number="date", align="center", wrap=False),
    "form.integer": replace(_FORM, border="thin", number="integer", align="right", wrap=False),
    "form.number": replace(_FORM, border="thin", number="number", align="right", wrap=False),
}

_BORDERS = {"thin": (1, None), "grey": (1, "grid_border"), "ruled": (1, "ruled"), "box": (2, None)}


# -- xlsxwriter ---------------------------------------------------------------------------------------------------
def xlsxwriter_props(style: Style) -> dict[str, Any]:
    """The style as xlsxwriter format properties."""
    props: dict[str, Any] = {"font_name": FONT, "font_size": style.size,
                             "valign": "vcenter" if style.valign == "center" else style.valign}
    if style.bold:
        props["bold"] = True
    if style.italic:
        props["italic"] = True
    if style.colour:
        props["font_color"] = "#" + COLOURS[style.colour]
    if style.fill:
        props["bg_color"] = "#" + COLOURS[style.fill]
    if style.border:
        kind, colour = _BORDERS[style.border]
        props["border"] = kind
        if colour:
            props["border_color"] = "#" + COLOURS[colour]
    if style.number:
        props["num_format"] = NUMBER_FORMATS[style.number]
    if style.align:
        props["align"] = style.align
    if style.wrap:
        props["text_wrap"] = True
    if style.rotation:
        props["rotation"] = style.rotation
    return props


@dataclass
class XlsxFormats:
    """An xlsxwriter workbook's formats by style name, each made once from the registry when first asked for."""

    wb: Any
    _made: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Any:
        fmt = self._made.get(name)
        if fmt is None:
            fmt = self._made[name] = self.wb.add_format(xlsxwriter_props(STYLES[name]))
        return fmt

    def conditional(self, name: str) -> Any:
        """Fill and font colour only (a conditional format keeps the cell's own number format and font)."""
        key = "?" + name
        if key not in self._made:
            style = STYLES[name]
            self._made[key] = self.wb.add_format({
                **({"bg_color": "#" + COLOURS[style.fill]} if style.fill else {}),
                **({"font_color": "#" + COLOURS[style.colour]} if style.colour else {})})
        return self._made[key]


# -- the fast writer's styles.xml -------------------------------------------------------------------------------------
def stylesheet_xml(names: list[str]) -> str:
    """styles.xml holding the named styles as cellXfs in the order given (cell style index = position)."""
    fonts: list[str] = []
    fills = ['<fill><patternFill patternType="none"/></fill>', '<fill><patternFill patternType="gray125"/></fill>']
    borders = ["<border><left/><right/><top/><bottom/><diagonal/></border>"]
    formats = {key: 164 + i for i, key in enumerate(NUMBER_FORMATS) if key != "text"}

    def index(items: list[str], item: str) -> int:
        if item not in items:
            items.append(item)
        return items.index(item)

    xfs = []
    for name in names:
        s = STYLES[name]
        colour = f'<color rgb="FF{COLOURS[s.colour]}"/>' if s.colour else ""
        font = index(fonts, f'<font>{"<b/>" if s.bold else ""}{"<i/>" if s.italic else ""}<sz val="{s.size:g}"/>'
                            f'{colour}<name val="{FONT}"/><family val="2"/><charset val="134"/></font>')
        fill = index(fills, f'<fill><patternFill patternType="solid"><fgColor rgb="FF{COLOURS[s.fill]}"/>'
                            '<bgColor indexed="64"/></patternFill></fill>') if s.fill else 0
        border = 0
        if s.border:
            width, rgb = _BORDERS[s.border]
            side = "".join(f'<{edge} style="{"thin" if width == 1 else "medium"}">'
                           + (f'<color rgb="FF{COLOURS[rgb]}"/>' if rgb else '<color auto="1"/>') + f"</{edge}>"
                           for edge in ("left", "right", "top", "bottom"))
            border = index(borders, f"<border>{side}<diagonal/></border>")
        num = 49 if s.number == "text" else formats.get(s.number or "", 0)
        align = "".join((f' horizontal="{s.align}"' if s.align else "", f' vertical="{s.valign}"',
                         ' wrapText="1"' if s.wrap else "", f' textRotation="{s.rotation}"' if s.rotation else ""))
        applied = "".join((' applyNumberFormat="1"' if num else "", ' applyFont="1"' if font else "",
                           ' applyFill="1"' if fill else "", ' applyBorder="1"' if border else "",
                           ' applyAlignment="1"'))
        xfs.append(f'<xf numFmtId="{num}" fontId="{font}" fillId="{fill}" borderId="{border}" xfId="0"{applied}>'
                   f"<alignment{align}/></xf>")
    num_fmts = "".join(f'<numFmt numFmtId="{i}" formatCode="{NUMBER_FORMATS[k]}"/>' for k, i in formats.items())
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f'<numFmts count="{len(formats)}">{num_fmts}</numFmts>'
            f'<fonts count="{len(fonts)}">{"".join(fonts)}</fonts>'
            f'<fills count="{len(fills)}">{"".join(fills)}</fills>'
            f'<borders count="{len(borders)}">{"".join(borders)}</borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            "</styleSheet>")


# -- openpyxl (the annotated copies) ------------------------------------------------------------------------------------
def openpyxl_fill(colour: str) -> Any:
    from openpyxl.styles import PatternFill  # (openpyxl is heavy and only the annotated copies need it: loaded here)

    return PatternFill("solid", fgColor=COLOURS[colour])
