"""Writing workbooks people open: one small writer (xlsxwriter) and the merged data book of a run.

Every user-typed value is written as a string cell through celltext (the one cell-text path of every
writer); xlsxwriter's automatic conversions (formulas, URLs, numbers) are off as well, so text starting with
= + - @ stays text in every output.
"""
from __future__ import annotations

import datetime as dt
import operator
import os
import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import xlsxwriter

from workbook_engine.catalogue import column_header, sheet_name, t
from workbook_engine.cells import col_letter
from workbook_engine.files import atomic_path
from workbook_engine.privacy import Redactor, file_private
from workbook_engine.reading.celltext import XLSXWRITER_OPTIONS, cell_text, sheet_title, write_text, xml_text
from workbook_engine.schema import ASSESSMENT_WORKBOOK, CLASS_WORKBOOK, SheetSpec, sheet_spec
from workbook_engine.writing.fastxlsx import FastBook
from workbook_engine.writing.paper import PageText, xlsxwriter_page
from workbook_engine.writing.sheet import TEXT_STYLES, Sheet, Styled, text_width, width_pixels
from workbook_engine.writing.styles import NUMBER_FORMATS, XlsxFormats

if TYPE_CHECKING:
    from workbook_engine.outcome import TermOutcome

STATUS = {k: (t("status." + k, "zh"), t("status." + k, "en")) for k in ("accepted", "superseded", "rejected", "skipped")}
KIND = {k: (t("kind." + k, "zh"), t("kind." + k, "en")) for k in ("class", "mentor", "assessment", "unknown", "other")}


def label(key: str, lang: str) -> str:
    return t("label." + key, lang)


class Book:
    """An xlsxwriter workbook with the house style: styled frozen headers, filters, A4 landscape, CJK font."""

    def __init__(self, path: Path, constant_memory: bool = True, page: PageText | None = None,
                 lang: str = "zh") -> None:
        self.path = Path(path)
        self.page = page
        self.lang = lang
        self._deferred: list[tuple[Any, int, list[list[tuple[str, Any]]]]] = []  # see defer_rows
        self.wb = xlsxwriter.Workbook(str(path), {**XLSXWRITER_OPTIONS, "constant_memory": constant_memory,
                                                  "default_date_format": NUMBER_FORMATS["date"]})
        self.wb.set_properties({"created": dt.datetime(2026, 1, 1)})
        self.fmt = XlsxFormats(self.wb)  # formats by style name, from the one registry (styles.py)

    def sheet(self, name: str, widths: list[float] | None = None) -> Any:
        """A sheet printed A4, one page wide (landscape when its columns need it), with header and footer."""
        ws = self.wb.add_worksheet(sheet_title(name))
        xlsxwriter_page(ws, self.page, widths)
        return ws

    def write(self, ws: Any, row: int, col: int, value: Any, number_format: Any = None, text_format: Any = None) -> None:
        if value is None or value == "":
            return
        if number_format is not None and isinstance(value, (int, float)) and not isinstance(value, bool):
            ws.write_number(row, col, value, number_format)
            return
        if isinstance(value, bool):
            ws.write_string(row, col, t("word.yes" if value else "word.no", self.lang), self.fmt["cell"])
        elif isinstance(value, dt.datetime):
            ws.write_datetime(row, col, value, self.fmt["date"])
        elif isinstance(value, dt.date):
            ws.write_datetime(row, col, dt.datetime(value.year, value.month, value.day), self.fmt["date"])
        elif isinstance(value, int):
            ws.write_number(row, col, value, self.fmt["integer"])
        elif isinstance(value, float):
            ws.write_number(row, col, value, self.fmt["number"])
        else:  # text, and lists of texts (joined with 、)
            write_text(ws, row, col, value, text_format or self.fmt["cell"])

    def table(self, name: str, headers: Sequence[str], rows: Iterable[Sequence[Any]],
              max_width: int = 40, pct_cols: Sequence[int] = (), note: str | None = None) -> Any:
        """A sheet of one table (see sheet.Sheet); percentages in pct_cols."""
        return self.add(Sheet(name, headers, rows if isinstance(rows, list) else list(rows), max_width=max_width,
                              col_styles={c: "pct" for c in pct_cols}, note=note))

    def add(self, sheet: Sheet) -> Any:
        """Render a sheet description (as FastBook.add does) and return the xlsxwriter sheet, for what only this
        writer draws on top (charts, conditional colours). A bulk sheet's body rows past the first are appended
        as XML when the book is closed (defer_rows)."""
        lay = sheet.layout()
        ws = self.sheet(sheet.name, lay.widths)
        for c, w in enumerate(lay.widths):
            ws.set_column_pixels(c, c, width_pixels(w))
        for r, cells in enumerate(sheet.title_rows):
            for c, v in enumerate(cells):
                self.put(ws, r, c, v)
        head = sheet.header_row - 1
        ws.set_row(head, lay.header_height)
        for c, h in enumerate(sheet.headers):
            self.put(ws, head, c, h if isinstance(h, Styled) else Styled(h, sheet.header_style))
        rows = sheet.rows
        bulk = sheet.bulk and len(rows) > 1
        for i, row in enumerate(rows[:1] if bulk else rows, start=head + 1):
            for c, v in enumerate(row):
                style = lay.col_styles.get(c)
                plain = style is None or isinstance(v, Styled) or (style in TEXT_STYLES and not isinstance(v, str))
                self.put(ws, i, c, v if plain or style is None else Styled(v, style))
            n = lay.row_lines.get(i - head - 1)
            if n:
                ws.set_row(i, sheet.row_height(n))
        if bulk:  # text cells only: appended to the sheet's XML
            self.defer_rows(ws, head + 2, [[(v.value, self.fmt[v.style]) if isinstance(v, Styled)
                                            else (v or "", self.fmt["cell"]) for v in r] for r in rows[1:]])
        if not rows:
            write_text(ws, head + 1, 0, t("paper.none", self.lang), self.fmt["note"])
        if sheet.note:
            at = head + max(len(rows), 1) + 2
            ws.merge_range(at, 0, at, max(len(sheet.headers) - 1, 0), "", self.fmt["note_wrap"])
            write_text(ws, at, 0, sheet.note, self.fmt["note_wrap"])
            if lay.note_height:
                ws.set_row(at, lay.note_height)
        ws.freeze_panes(head + 1, sheet.freeze_cols)
        ws.autofilter(head, 0, head + max(len(rows), 1), max(len(sheet.headers) - 1, 0))
        ws.repeat_rows(head)
        if sheet.freeze_cols:
            ws.repeat_columns(0, sheet.freeze_cols - 1)
        return ws

    def put(self, ws: Any, row: int, col: int, value: Any) -> None:
        """One cell: a Styled value in its named style (a formatted blank for empty text), else as write()."""
        if isinstance(value, Styled):
            if value.value is None or value.value == "":
                ws.write_blank(row, col, None, self.fmt[value.style])
            elif isinstance(value.value, str):
                write_text(ws, row, col, value.value, self.fmt[value.style])
            else:
                self.write(ws, row, col, value.value, self.fmt[value.style], self.fmt[value.style])
        else:
            self.write(ws, row, col, value)

    def defer_rows(self, ws: Any, first_row: int, rows: list[list[tuple[str, Any]]]) -> None:
        """Rows of (text, format) for ws from 0-based first_row on, written straight into the sheet's XML when
        the book is closed: xlsxwriter spends ~15 µs a cell, and the summary's grids have 100,000s."""
        for fmt in {id(f): f for row in rows for _, f in row}.values():
            fmt._get_xf_index()  # (in styles.xml although no cell xlsxwriter writes uses it)
        self._deferred.append((ws, first_row, rows))

    def close(self) -> None:
        self.wb.close()
        if self._deferred:
            _append_rows(self.path, [(self.wb.worksheets().index(ws) + 1, first, rows)
                                     for ws, first, rows in self._deferred])


def _append_rows(path: Path, deferred: list[tuple[int, int, list[list[tuple[str, Any]]]]]) -> None:
    """Append rows to sheets of a closed xlsxwriter book (see Book.defer_rows), rewriting the file."""
    # xlsxwriter names the n-th worksheet's part xl/worksheets/sheet<n>.xml; every one must be found and
    # extended, or the book is not written (a test checks every grid cell of the summary)
    by_part = {f"xl/worksheets/sheet{n}.xml": (first, rows) for n, first, rows in deferred}
    done: set[str] = set()
    letters = [col_letter(c + 1) for c in range(max((len(r) for _, _, rows in deferred for r in rows), default=0))]
    tmp = path.with_name(path.name + ".rows")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename in by_part:
                first, rows = by_part[info.filename]
                cells: dict[tuple[str, Any], str] = {}
                out = []
                for r, row in enumerate(rows, start=first + 1):
                    parts = [f'<row r="{r}">']
                    for c, (text, fmt) in enumerate(row):
                        body = cells.get((text, fmt))
                        if body is None:
                            if fmt.xf_index is None:
                                raise RuntimeError("a deferred cell's format is not in the book's styles")
                            body = cells[(text, fmt)] = (
                                f' s="{fmt.xf_index}" t="inlineStr"><is><t xml:space="preserve">'
                                f'{xml_text(text)}</t></is></c>' if text else f' s="{fmt.xf_index}"/>')
                        parts.append(f'<c r="{letters[c]}{r}"{body}')
                    parts.append("</row>")
                    out.append("".join(parts))
                xml = data.decode("utf-8")
                last = first + len(rows)
                xml = re.sub(r'<dimension ref="([A-Z]+\d+)(?::[A-Z]+\d+)?"/>',
                             rf'<dimension ref="\g<1>:{letters[-1]}{last}"/>', xml, count=1)
                if "</sheetData>" in xml:
                    data = xml.replace("</sheetData>", "".join(out) + "</sheetData>", 1).encode("utf-8")
                    done.add(info.filename)
            zout.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=1)
    if done != set(by_part):
        tmp.unlink()
        raise RuntimeError(f"cannot append rows to {sorted(set(by_part) - done)} of {path.name}")
    os.replace(tmp, path)


GRID_STATES = {  # state -> symbol; the labels are messages grid.<state>, the fills the registry's (styles.STYLES)
    "met": "✓",
    "missed": "✗",
    "exempt": t("books.grid.exempt_symbol", "zh"),
    "unpaired": "—",
    "future": "",
}
GRID_CELL_WIDTH = 3.6  # one symbol; the period headers are turned upright (a term fits one page at ~85%)
GRID_SYMBOL_KEYS = {"exempt": "books.grid.exempt_symbol"}  # 休 (rest) in Chinese, H (holiday) in English


def grid_symbol(state: str, lang: str) -> str:
    return t(GRID_SYMBOL_KEYS[state], lang) if state in GRID_SYMBOL_KEYS else GRID_STATES[state]


def safe_sheet_name(name: str, used: set[str]) -> str:
    clean = sheet_title("".join("_" if ch in '[]:*?/\\' else ch for ch in cell_text(name)).strip("'")) or "Sheet"
    candidate, n = clean, 2
    while candidate.lower() in used:
        candidate = f"{sheet_title(clean, 28)}~{n}"
        n += 1
    used.add(candidate.lower())
    return candidate


@dataclass
class GridModel:
    """One class's compliance grid as data, for either writer."""

    title: str
    legend: list[tuple[str, str]]  # (state, label)
    headers: list[str]
    rows: list[list[Any]]  # [mentor, student, state, state, ...]


def grid_model(comp: Any, class_name: str | None, lang: str = "zh") -> GridModel:
    """Mentor by student down the side, periods across; each cell met / missed / exempt / not paired."""
    states = comp.states_by_class.get(class_name, {})
    students = comp.students_by_class.get(class_name, [])
    names = comp.mentor_names
    title = t("grid.title", lang, cls=class_name, date=comp.calendar.as_of.isoformat())
    legend = [(k, t("grid." + k, lang)) for k in GRID_STATES]
    head = [t("grid.mentor", lang), t("grid.student", lang)]
    for rule in ("talk", "parent"):
        labels = comp.period_labels(rule, lang)
        head += [f"{t('grid.' + rule, lang)} {labels[p]}"
                 for p in (comp.talk_periods if rule == "talk" else comp.parent_periods)]
    rows = []
    for s in students:
        row: list[Any] = [f"{names.get((class_name, s['mentor_id'])) or ''} {s['mentor_id'] or ''}".strip(),
                          f"{s['name']} {s['student_id']}"]
        row += states.get(s["student_id"]) or ["future"] * (len(head) - 2)
        rows.append(row)
    return GridModel(title, legend, head, rows)


LEGEND_STEP = 6  # grid columns from one legend entry to the next


def legend_column(i: int) -> int:
    """The i-th legend entry's symbol column: the first under 导师/学生, the others every LEGEND_STEP period
    columns, so each label runs on over empty narrow cells and the last ends inside the grid's width."""
    return 0 if i == 0 else 2 + LEGEND_STEP * (i - 1)


def grid_header_height(headers: Sequence[str]) -> float:
    """Points for the upright period headers: about 6.5 pt a half-width character (11 pt bold)."""
    return 6.5 * max((text_width(h) for h in headers[2:]), default=4) + 12


def grid_side_widths(model: GridModel) -> list[int]:
    """The 导师 and 学生 columns wide enough for the longest "name 工号" / "name 学号" of the class (a four-character
    name or a long 工号 is never cut by the first period's cell), at least 11 and 17."""
    return [max([least, *(text_width(r[i]) + 1 for r in model.rows)]) for i, least in enumerate((11, 17))]


def grid_sheet(comp: Any, class_name: str | None, sheet_name: str, lang: str = "zh") -> Sheet:
    """A class's grid as a sheet for either writer: title, legend (over the narrow period columns, room for each
    label), the upright period headers, one row per student; names kept in view and on every printed page."""
    model = grid_model(comp, class_name, lang)
    cells = {state: Styled(grid_symbol(state, lang), state) for state in GRID_STATES}
    legend: list[Any] = []
    for i, (state, text) in enumerate(model.legend):
        legend += [None] * (legend_column(i) - len(legend)) + [cells[state], text]
    rows = [[r[0], r[1], *map(cells.__getitem__, r[2:])] for r in model.rows]
    headers = [Styled(h, "header") for h in model.headers[:2]] + model.headers[2:]
    return Sheet(sheet_name, headers, rows, title_rows=[[Styled(model.title, "title")], legend, []],
                 widths=grid_side_widths(model) + [GRID_CELL_WIDTH] * (len(model.headers) - 2), freeze_cols=2,
                 header_style="header_rotated", header_height=grid_header_height(model.headers), bulk=True)


def write_grid(book: Book | FastBook, comp: Any, class_name: str | None, sheet_name: str, lang: str = "zh") -> None:
    """The grid, by either writer (the summary's xlsxwriter book, the merged and feedback books' fast writer)."""
    book.add(grid_sheet(comp, class_name, sheet_name, lang))



def row_text(spec: SheetSpec, record: dict[str, Any], lang: str = "zh") -> str:
    """A row as "header=value" pairs, for lists that mix rows of different sheets."""
    parts = []
    for c in spec.columns:
        v = record.get(c.field)
        if v is None or v == "" or v == []:
            continue
        if isinstance(v, dt.date):
            v = v.isoformat()
        elif isinstance(v, list):
            v = "、".join(map(str, v))
        elif isinstance(v, float) and v.is_integer():
            v = int(v)
        parts.append(f"{column_header(c, lang)}={v}")
    return t("books.field_sep", lang).join(parts)


def write_merged_book(outcome: TermOutcome, target: Path, lang: str = "zh",
                      compliance: Callable[[], Any] | None = None) -> Path:
    """The merged data book: files, classes, every accepted row of every sheet, rejected and lost rows, then
    one compliance grid per class. `compliance` gives the grids' data when it is computed elsewhere
    (the data sheets are written while the run is still computing it); by default outcome.compliance."""
    merged = outcome.merged
    L = lambda k: label(k, lang)  # noqa: E731
    pick = lambda pair: pair[1] if lang == "en" else pair[0]  # noqa: E731
    redact = Redactor(outcome.settings.privacy, lang)
    book = FastBook(page=run_page(outcome, t("book.merged", lang), lang), lang=lang)
    book.table(L("files"), [L("file"), L("kind"), L("class"), L("status"), L("reason"), L("fill_date"),
                            L("read"), L("accepted"), L("rejected_n"), L("errors"), L("warnings"), "SHA-256",
                            L("mail_from"), L("mail_date"), L("mail_subject")],
               [[redact.text(f.name), pick(KIND[f.kind]), f.class_name, pick(STATUS[f.status]), redact.text(f.reason), f.fill_date,
                 sum(c.read for c in f.rows.values()), sum(c.accepted for c in f.rows.values()),
                 sum(c.rejected for c in f.rows.values()), f.errors, f.warnings, f.sha256,
                 *((f.provenance or {}).get(k) for k in ("from", "date", "subject"))]
                for f in outcome.files])
    info_spec = CLASS_WORKBOOK.sheet("class_info")
    book.table(L("class_info"), [column_header(c, lang) for c in info_spec.columns] + [L("source")],
               [[f.report.class_info.get(c.field) for c in info_spec.columns] + [f.name]
                for f in merged.class_files if f.report])
    for spec in CLASS_WORKBOOK.sheets:
        if spec.layout != "table":
            continue
        rows = _pick(merged.records.get(spec.key, []), ["_class", "_source", "_row", *(c.field for c in spec.columns)])
        book.table(sheet_name(spec, lang), [L("class"), L("source"), L("source_row")]
                   + [column_header(c, lang) for c in spec.columns], rows)
    for spec in ASSESSMENT_WORKBOOK.sheets:
        rows = _pick(merged.records.get(spec.key, []), ["_source", "_row", *(c.field for c in spec.columns)])
        book.table(sheet_name(spec, lang), [L("source"), L("source_row")] + [column_header(c, lang) for c in spec.columns],
                   rows)
    reasons = _rejected_reasons(outcome, redact, lang)
    book.table(L("rejected"), [L("source"), L("class"), L("sheet"), L("row"), L("reason"), L("content")],
               [[redact.text(r.file), r.class_name, sheet_name(r.spec, lang), r.row,
                 reasons.get((r.file, r.spec.key, r.row)) or redact.text(r.reason),
                 row_text(r.spec, redact.row_values(r.spec, r.record), lang)]
                for r in merged.rejected], max_width=60)
    book.table(L("lost"), [L("class"), L("sheet"), L("older"), L("row"), L("kept"), L("content")],
               [[r.class_name, sheet_name(r.spec, lang), r.old_file, r.row, r.kept_file,
                 row_text(r.spec, redact.row_values(r.spec, r.record), lang)]
                for r in merged.lost], max_width=60)
    book.table(L("conflicts"), conflict_headers(lang), conflict_rows(merged.conflicts, lang), max_width=60)
    comp = compliance() if compliance is not None else outcome.compliance
    if comp is not None:
        used = {s.name.lower() for s in book.sheets}
        for f in merged.class_files:
            name = safe_sheet_name(L("grid_prefix") + (f.class_name or ""), used)
            write_grid(book, comp, f.class_name, name, lang)
    with atomic_path(target) as tmp:
        book.save(tmp)
    return target


def conflict_headers(lang: str) -> list[str]:
    return [label(k, lang) for k in ("class", "sheet", "kept_file", "row", "kept_content", "other_file", "row",
                                     "other_content")]


CONFLICT_SHEET = label("conflicts", "zh")  # (Chinese names, for callers that look the sheet up)
CONFLICT_HEADERS = conflict_headers("zh")


def run_page(outcome: TermOutcome, title: str, lang: str) -> PageText:
    """The header and footer of a run's workbooks: school and term, the book, the sheet; as-of, page x of y."""
    return PageText.for_run(title, outcome.settings.school.name, outcome.school_year, outcome.term, outcome.as_of, lang)


def conflict_rows(conflicts: list[Any], lang: str = "zh") -> list[list[Any]]:
    """Two submissions' versions of one record, the one used (from the newer submission) first."""
    rows = []
    for c in conflicts:
        spec = sheet_spec(c.key)
        rows.append([c.kept.get("_class") or c.kept.get("class_name"), sheet_name(spec, lang), c.kept.get("_source"),
                     c.kept.get("_row"), row_text(spec, c.kept, lang), c.other.get("_source"), c.other.get("_row"),
                     row_text(spec, c.other, lang)])
    return rows


def _rejected_reasons(outcome: TermOutcome, redact: Redactor, lang: str) -> dict[tuple[str, str, int], str]:
    """(file, sheet key, row) -> why the row was rejected, from its problems as the office sees them (the
    class's own feedback book keeps the values as typed)."""
    files = {r.file for r in outcome.merged.rejected}
    out: dict[tuple[str, str, int], str] = {}
    for f in outcome.files:
        if f.name not in files or f.report is None or f.status != "accepted":
            continue
        private = file_private(f.report)
        for key, rows in f.report.rejected_rows().items():
            for row, problems in rows.items():
                out[(f.name, key, row)] = "；".join(
                    f"{p.cell or ''} {redact.problem(p, private).message(lang)}".strip() for p in problems)
    return out


def _pick(records: list[dict[str, Any]], keys: list[str]) -> list[tuple[Any, ...]]:
    """The named fields of each record, in order (None where a record lacks one)."""
    try:  # records from validation carry every field: one C-level pass
        return list(map(operator.itemgetter(*keys), records))
    except KeyError:
        return [tuple(map(r.get, keys)) for r in records]
