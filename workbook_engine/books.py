"""Writing workbooks people open: one small writer (xlsxwriter) and the merged data book of a run.

Every user-typed value is written as a string cell through celltext (the one cell-text path of every
writer); xlsxwriter's automatic conversions (formulas, URLs, numbers) are off as well, so text starting with
= + - @ stays text in every output.
"""
from __future__ import annotations

import datetime as dt
import operator
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Sequence
import xlsxwriter

from workbook_engine.celltext import XLSXWRITER_OPTIONS, cell_text, sheet_title, write_text, xml_text
from workbook_engine.executor import Forked
from workbook_engine.fastxlsx import FONT, FastBook, Styled, column_widths
from workbook_engine.output import atomic_path, write_json
from workbook_engine.privacy import Redactor, file_private
from workbook_engine.schema import ASSESSMENT_WORKBOOK, CLASS_WORKBOOK, SheetSpec

if TYPE_CHECKING:
    from workbook_engine.pipeline import RunResult

LABELS = {
    "files": ("收到的文件", "Files"),
    "class_info": ("班级信息", "Classes"),
    "rejected": ("未采用的行", "Rejected rows"),
    "lost": ("版本间缺失的行", "Rows lost between versions"),
    "file": ("文件", "File"), "kind": ("类型", "Kind"), "class": ("班级", "Class"), "status": ("状态", "Status"),
    "reason": ("说明", "Reason"), "fill_date": ("填表日期", "Fill date"), "read": ("读取行数", "Rows read"),
    "accepted": ("采用行数", "Rows accepted"), "rejected_n": ("退回行数", "Rows rejected"),
    "errors": ("错误", "Errors"), "warnings": ("警告", "Warnings"), "source": ("来源文件", "Source file"),
    "source_row": ("来源行", "Source row"), "sheet": ("工作表", "Sheet"), "row": ("行号", "Row"),
    "content": ("内容", "Content"), "mail_from": ("发件人", "Mail from"), "mail_date": ("邮件日期", "Mail date"),
    "mail_subject": ("邮件主题", "Mail subject"), "older": ("较早版本", "Older version"), "kept": ("采用的版本", "Version kept"),
}
STATUS = {"accepted": ("采用", "accepted"), "superseded": ("被取代", "superseded"),
          "rejected": ("退回", "rejected"), "skipped": ("跳过", "skipped")}
KIND = {"class": ("班级工作簿", "class"), "mentor": ("导师工作手册", "mentor"), "assessment": ("考核数据", "assessment"),
        "unknown": ("未知工作簿", "unknown"), "other": ("其他文件", "other")}


def label(key: str, lang: str) -> str:
    zh, en = LABELS[key]
    return en if lang == "en" else zh


class Book:
    """An xlsxwriter workbook with the house style: styled frozen headers, filters, A4 landscape, CJK font."""

    def __init__(self, path: Path, constant_memory: bool = True) -> None:
        self.path = Path(path)
        self._grid_formats: dict[str, Any] | None = None
        self._deferred: list[tuple[Any, int, list[list[tuple[str, Any]]]]] = []  # see defer_rows
        self.wb = xlsxwriter.Workbook(str(path), {**XLSXWRITER_OPTIONS, "constant_memory": constant_memory,
                                                  "default_date_format": "yyyy-mm-dd"})
        self.wb.set_properties({"created": dt.datetime(2026, 1, 1)})
        base = {"font_name": FONT, "font_size": 11, "valign": "vcenter"}
        self.fmt = {
            "cell": self.wb.add_format(base),
            "text": self.wb.add_format({**base, "num_format": "@"}),
            "date": self.wb.add_format({**base, "num_format": "yyyy-mm-dd", "align": "left"}),
            "number": self.wb.add_format({**base, "num_format": "0.##"}),
            "pct": self.wb.add_format({**base, "num_format": "0.0%"}),
            "header": self.wb.add_format({**base, "bold": True, "bg_color": "#DDEBF7", "border": 1,
                                          "text_wrap": True, "align": "center"}),
            "title": self.wb.add_format({**base, "bold": True, "font_size": 14}),
        }

    def sheet(self, name: str) -> Any:
        ws = self.wb.add_worksheet(sheet_title(name))
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
        return ws

    def write(self, ws: Any, row: int, col: int, value: Any, number_format: Any = None) -> None:
        if value is None or value == "":
            return
        if number_format is not None and isinstance(value, (int, float)) and not isinstance(value, bool):
            ws.write_number(row, col, value, number_format)
            return
        if isinstance(value, bool):
            ws.write_string(row, col, "是" if value else "否", self.fmt["cell"])  # (constant text)
        elif isinstance(value, dt.datetime):
            ws.write_datetime(row, col, value, self.fmt["date"])
        elif isinstance(value, dt.date):
            ws.write_datetime(row, col, dt.datetime(value.year, value.month, value.day), self.fmt["date"])
        elif isinstance(value, (int, float)):
            ws.write_number(row, col, value, self.fmt["number"])
        else:  # text, and lists of texts (joined with 、)
            write_text(ws, row, col, value, self.fmt["text"])

    def table(self, name: str, headers: Sequence[str], rows: Iterable[Sequence[Any]],
              max_width: int = 40, pct_cols: Sequence[int] = ()) -> Any:
        """A sheet holding one table: header in row 1 (frozen, filtered, repeated on print)."""
        rows = rows if isinstance(rows, list) else list(rows)
        ws = self.sheet(name)
        for c, w in enumerate(column_widths(headers, rows, max_width)):
            ws.set_column(c, c, w)
        ws.set_row(0, 22)
        for c, h in enumerate(headers):
            write_text(ws, 0, c, h, self.fmt["header"])
        pct = self.fmt["pct"]
        for i, r in enumerate(rows, start=1):
            for c, v in enumerate(r):
                self.write(ws, i, c, v, pct if c in pct_cols else None)
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, max(len(rows), 1), max(len(headers) - 1, 0))
        ws.repeat_rows(0)
        return ws

    def grid_formats(self) -> dict[str, Any]:
        """One cell format per grid state (shared by every grid sheet of the book)."""
        if self._grid_formats is None:
            self._grid_formats = {
                k: self.wb.add_format({"font_name": FONT, "align": "center", "valign": "vcenter", "border": 1,
                                       "border_color": "#BFBFBF", **({"bg_color": c} if c else {})})
                for k, (_, c, _, _) in GRID_STATES.items()}
        return self._grid_formats

    def defer_rows(self, ws: Any, first_row: int, rows: list[list[tuple[str, Any]]]) -> None:
        """Rows of (text, format) for ws from 0-based first_row on, written straight into the sheet's XML when
        the book is closed: xlsxwriter spends ~15 µs a cell, and the summary's grids have 100,000s. Every
        format used here must also be used by a cell xlsxwriter writes (so that it is in styles.xml)."""
        self._deferred.append((ws, first_row, rows))

    def close(self) -> None:
        self.wb.close()
        if self._deferred:
            _append_rows(self.path, [(self.wb.worksheets().index(ws) + 1, first, rows)
                                     for ws, first, rows in self._deferred])


def _append_rows(path: Path, deferred: list[tuple[int, int, list[list[tuple[str, Any]]]]]) -> None:
    """Append rows to sheets of a closed xlsxwriter book (see Book.defer_rows), rewriting the file."""
    import os
    import re
    import zipfile

    from workbook_engine.cells import col_letter

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
                             lambda m: f'<dimension ref="{m.group(1)}:{letters[-1]}{last}"/>', xml, count=1)
                if "</sheetData>" in xml:
                    data = xml.replace("</sheetData>", "".join(out) + "</sheetData>", 1).encode("utf-8")
                    done.add(info.filename)
            zout.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=1)
    if done != set(by_part):
        tmp.unlink()
        raise RuntimeError(f"cannot append rows to {sorted(set(by_part) - done)} of {path.name}")
    os.replace(tmp, path)


GRID_STATES = {  # state -> (symbol, fill colour, zh, en)
    "met": ("✓", "#C6EFCE", "已完成", "met"),
    "missed": ("✗", "#FFC7CE", "未完成", "missed"),
    "exempt": ("休", "#E7E6E6", "假期/考试周免除", "exempt (holiday or exam week)"),
    "unpaired": ("—", "#F2F2F2", "尚未结对或已离校", "not paired or left"),
    "future": ("", None, "未到期", "not yet due"),
}


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


def grid_model(comp: Any, class_name: str, lang: str = "zh") -> GridModel:
    """Mentor by student down the side, periods across; each cell met / missed / exempt / not paired."""
    en = lang == "en"
    states = comp.states_by_class.get(class_name, {})
    students = comp.students_by_class.get(class_name, [])
    names = comp.mentor_names
    columns = [("talk", p) for p in comp.talk_periods] + [("parent", p) for p in comp.parent_periods]
    title = (f"{class_name} 谈心与家长联系达标情况（截至 {comp.calendar.as_of.isoformat()}）" if not en
             else f"{class_name}: talks and parent contacts as of {comp.calendar.as_of.isoformat()}")
    legend = [(k, en_text if en else zh) for k, (_, _, zh, en_text) in GRID_STATES.items()]
    head = ["导师" if not en else "Mentor", "学生" if not en else "Student"]
    head += [("谈心 " if not en else "talk ") + p[5:] for r, p in columns if r == "talk"]
    head += [("家长 " if not en else "parent ") + p[:7] for r, p in columns if r == "parent"]
    rows = []
    for s in students:
        row: list[Any] = [f"{names.get((class_name, s['mentor_id'])) or ''} {s['mentor_id'] or ''}".strip(),
                          f"{s['name']} {s['student_id']}"]
        row += states.get(s["student_id"]) or ["future"] * len(columns)
        rows.append(row)
    return GridModel(title, legend, head, rows)


def write_grid(book: Book, comp: Any, class_name: str, sheet_name: str, lang: str = "zh") -> None:
    """The grid with xlsxwriter (in the summary, beside its charts); its body rows past the first are
    appended to the sheet's XML when the book closes (Book.defer_rows)."""
    model = grid_model(comp, class_name, lang)
    ws = book.sheet(sheet_name)
    cell_fmt = book.grid_formats()
    write_text(ws, 0, 0, model.title, book.fmt["title"])
    for i, (state, text) in enumerate(model.legend):  # every state's format is used here (see defer_rows)
        _write_text(ws, 1, 3 * i, GRID_STATES[state][0], cell_fmt[state])
        write_text(ws, 1, 3 * i + 1, text, book.fmt["cell"])
    ws.set_row(3, 30)
    for c, h in enumerate(model.headers):
        write_text(ws, 3, c, h, book.fmt["header"])
    ws.set_column(0, 0, 12)
    ws.set_column(1, 1, 20)
    ws.set_column(2, len(model.headers) - 1, 7)
    text = book.fmt["text"]
    rows = [[(row[0], text), (row[1], text), *((GRID_STATES[st][0], cell_fmt[st]) for st in row[2:])]
            for row in model.rows]
    for c, (value, fmt) in enumerate(rows[0] if rows else []):  # the first row by xlsxwriter: its text format
        _write_text(ws, 4, c, value, fmt)
    if len(rows) > 1:
        book.defer_rows(ws, 5, rows[1:])
    ws.freeze_panes(4, 2)
    ws.repeat_rows(3)
    ws.repeat_columns(0, 1)


def _write_text(ws: Any, row: int, col: int, text: str, fmt: Any) -> None:
    """Text, or a formatted blank cell for empty text (as the deferred rows write it)."""
    if text:
        write_text(ws, row, col, text, fmt)
    else:
        ws.write_blank(row, col, None, fmt)


def fast_grid(book: FastBook, comp: Any, class_name: str, sheet_name: str, lang: str = "zh") -> None:
    """The grid with the fast writer (in the merged book and the class feedback)."""
    model = grid_model(comp, class_name, lang)
    cells = {state: Styled(symbol, state) for state, (symbol, *_) in GRID_STATES.items()}
    legend: list[Any] = []
    for state, text in model.legend:
        legend += [cells[state], text, None]
    rows = [[r[0], r[1], *map(cells.__getitem__, r[2:])] for r in model.rows]
    book.table(sheet_name, model.headers, rows, title_rows=[[Styled(model.title, "title")], legend, []],
               widths=[12, 20] + [7] * (len(model.headers) - 2), freeze_cols=2)


def row_text(spec: SheetSpec, record: dict[str, Any]) -> str:
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
        parts.append(f"{c.header}={v}")
    return "；".join(parts)


def write_merged_book(result: RunResult, target: Path, lang: str = "zh",
                      compliance: Callable[[], Any] | None = None) -> Path:
    """The merged data book: files, classes, every accepted row of every sheet, rejected and lost rows, then
    one compliance grid per class. `compliance` gives the grids' data when it is computed elsewhere
    (the data sheets are written while the run is still computing it); by default result.compliance."""
    merged = result.merged
    L = lambda k: label(k, lang)  # noqa: E731
    pick = lambda pair: pair[1] if lang == "en" else pair[0]  # noqa: E731
    redact = Redactor(result.settings.privacy)
    book = FastBook()
    book.table(L("files"), [L("file"), L("kind"), L("class"), L("status"), L("reason"), L("fill_date"),
                            L("read"), L("accepted"), L("rejected_n"), L("errors"), L("warnings"), "SHA-256",
                            L("mail_from"), L("mail_date"), L("mail_subject")],
               [[redact.text(f.name), pick(KIND[f.kind]), f.class_name, pick(STATUS[f.status]), redact.text(f.reason), f.fill_date,
                 sum(c.read for c in f.rows.values()), sum(c.accepted for c in f.rows.values()),
                 sum(c.rejected for c in f.rows.values()), f.errors, f.warnings, f.sha256,
                 *((f.provenance or {}).get(k) for k in ("from", "date", "subject"))]
                for f in result.files])
    info_spec = CLASS_WORKBOOK.sheet("class_info")
    book.table(L("class_info"), [c.header for c in info_spec.columns] + [L("source")],
               [[f.report.class_info.get(c.field) for c in info_spec.columns] + [f.name]
                for f in merged.class_files if f.report])
    for spec in CLASS_WORKBOOK.sheets:
        if spec.layout != "table":
            continue
        rows = _pick(merged.records.get(spec.key, []), ["_class", "_source", "_row", *(c.field for c in spec.columns)])
        book.table(spec.name, [L("class"), L("source"), L("source_row")] + [c.header for c in spec.columns], rows)
    for spec in ASSESSMENT_WORKBOOK.sheets:
        rows = _pick(merged.records.get(spec.key, []), ["_source", "_row", *(c.field for c in spec.columns)])
        book.table(spec.name, [L("source"), L("source_row")] + [c.header for c in spec.columns], rows)
    reasons = _rejected_reasons(result, redact, lang)
    book.table(L("rejected"), [L("source"), L("class"), L("sheet"), L("row"), L("reason"), L("content")],
               [[redact.text(r.file), r.class_name, r.spec.name, r.row,
                 reasons.get((r.file, r.spec.key, r.row)) or redact.text(r.reason),
                 row_text(r.spec, redact.row_values(r.spec, r.record))]
                for r in merged.rejected], max_width=60)
    book.table(L("lost"), [L("class"), L("sheet"), L("older"), L("row"), L("kept"), L("content")],
               [[r.class_name, r.spec.name, r.old_file, r.row, r.kept_file,
                 row_text(r.spec, redact.row_values(r.spec, r.record))]
                for r in merged.lost], max_width=60)
    book.table(CONFLICT_SHEET, CONFLICT_HEADERS, conflict_rows(merged.conflicts), max_width=60)
    comp = compliance() if compliance is not None else result.compliance
    if comp is not None:
        used = {s.name.lower() for s in book.sheets}
        for f in merged.class_files:
            name = safe_sheet_name(("达标-" if lang != "en" else "Grid-") + (f.class_name or ""), used)
            fast_grid(book, comp, f.class_name, name, lang)
    with atomic_path(target) as tmp:
        book.save(tmp)
    return target


CONFLICT_SHEET = "冲突的记录"
CONFLICT_HEADERS = ["班级", "工作表", "采用的文件", "行号", "采用的内容", "未采用的文件", "行号", "未采用的内容"]


def conflict_rows(conflicts: list[Any]) -> list[list[Any]]:
    """Two submissions' versions of one record, the one used (from the newer submission) first."""
    from workbook_engine.schema import sheet_spec

    rows = []
    for c in conflicts:
        spec = sheet_spec(c.key)
        rows.append([c.kept.get("_class") or c.kept.get("class_name"), spec.name, c.kept.get("_source"),
                     c.kept.get("_row"), row_text(spec, c.kept), c.other.get("_source"), c.other.get("_row"),
                     row_text(spec, c.other)])
    return rows


def _rejected_reasons(result: RunResult, redact: Redactor, lang: str) -> dict[tuple[str, str, int], str]:
    """(file, sheet key, row) -> why the row was rejected, from its problems as the office sees them (the
    class's own feedback book keeps the values as typed)."""
    files = {r.file for r in result.merged.rejected}
    out: dict[tuple[str, str, int], str] = {}
    for f in result.files:
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


def start_merged_book(result: RunResult, lang: str = "zh") -> Forked:
    """Begin the merged book in a child process as soon as the rows are merged: its data sheets are written
    while this process computes compliance; .give(compliance) hands over the grids' data."""
    target = result.staged(result.layout.merged)

    def job(given: Callable[[], Any]) -> float:
        started = time.perf_counter()
        write_merged_book(result, target, lang, compliance=given)
        return time.perf_counter() - started

    return Forked(job)


def write_outputs(result: RunResult, lang: str = "zh", merged_book: Forked | None = None) -> list[str]:
    """Every output of a run, written into the run's stage (see publish.py) and listed in report.json with its
    SHA-256: the merged book, the summary, the feedback books, the 导师分工明细表 (and with `--handbooks` a
    导师工作手册 per teacher), then report.json. Three processes where the
    platform allows: the merged book's child (started by start_merged_book), a child for the summary, and this
    one for the rest. Returns the paths written, relative to OUT, report.json last."""
    from workbook_engine.publish import sha256

    layout = result.layout
    merged_book = merged_book or start_merged_book(result, lang)
    merged_book.give(result.compliance)
    summary = None
    written = [layout.merged]
    if result.compliance is not None:
        from workbook_engine.summary import write_feedback_books, write_summary

        result.compliance.warm()  # computed here once, shared by the child

        def summary_job(_: Any) -> float:
            started = time.perf_counter()
            write_summary(result, result.staged(layout.summary))
            return time.perf_counter() - started

        summary = Forked(summary_job)
        summary.give()
        started = time.perf_counter()
        write_feedback_books(result)
        result.timings["feedback books"] = time.perf_counter() - started
        written += [layout.summary, *(layout.feedback[f.class_name] for f in result.merged.class_files)]
    if result.merged.class_files:  # the forms (forms.py): the class assignment form, the handbooks on request
        from workbook_engine.forms import write_assignment_form, write_handbooks

        started = time.perf_counter()
        write_assignment_form(result, result.staged(layout.assignment))
        written.append(layout.assignment)
        written += write_handbooks(result)
        result.timings["forms"] = time.perf_counter() - started
    result.timings["merged book"] = merged_book.wait()
    if summary is not None:
        result.timings["summary"] = summary.wait()
    if result.remembering is not None:  # the school ledger, staged by the remember stage: published with the set
        result.ledger, result.timings["ledger"] = result.remembering.wait()
    if result.ledger:
        written.append(result.ledger)
    started = time.perf_counter()
    hashes = {rel: sha256(result.staged(rel)) for rel in written}
    result.report["outputs"] = [{"path": rel, "sha256": hashes[rel]} for rel in written]
    if result.compliance is not None:
        result.report["feedback"] = [{"class": f.class_name, "path": layout.feedback[f.class_name],
                                      "sha256": hashes[layout.feedback[f.class_name]]}
                                     for f in result.merged.class_files]
    else:
        result.report["feedback"] = []
    write_json(result.staged(layout.report), result.report)
    result.timings["report.json"] = time.perf_counter() - started
    return written + [layout.report]
