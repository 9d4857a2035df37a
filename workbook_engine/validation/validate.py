"""Validation: read a workbook against its schema and collect every problem, located by sheet and cell."""
from __future__ import annotations

import datetime as dt
import operator
import re
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbook_engine import TEMPLATE_VERSION
from workbook_engine.catalogue import t
from workbook_engine.cells import cell_ref, parse_ref
from workbook_engine.files import sha256_of
from workbook_engine.model import Executor, FileReport, Problem, SheetData, ValidationReport, WorkerFailure
from workbook_engine.reading.celltext import CELL_LIMIT, NONCHARACTER_RANGES, NONCHARACTERS
from workbook_engine.reading.gate import GateLimits
from workbook_engine.reading.normalize import (
    clean_text,
    header_key,
    is_blank,
    match_choice,
    parse_date,
    parse_id,
    parse_number,
    split_multi,
)
from workbook_engine.reading.reader import RawSheet, RawWorkbook, ReadFailure, damaged, open_workbook
from workbook_engine.schema import (
    ASSESSMENT_WORKBOOK,
    CLASS_INFO,
    CLASS_WORKBOOK,
    MENTOR_INFO,
    MENTOR_WORKBOOK,
    OFFICE_INFO,
    Column,
    SheetSpec,
    WorkbookSpec,
)
from workbook_engine.term import school_year
from workbook_engine.validation import rules
from workbook_engine.validation.view import ReadingSettings

if TYPE_CHECKING:
    from workbook_engine.settings import Settings

HEADER_SEARCH_ROWS = 15
_SIMPLE_KINDS = {"id": (parse_id, "invalid-id"), "number": (parse_number, "invalid-number")}
_NUMBERS = {bool, int, float}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NONCHARACTER = re.compile("[" + NONCHARACTERS + "]")  # U+FFFE, U+FFFF, U+FDD0–U+FDEF…: no workbook holds them
_MAYBE_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f" + NONCHARACTER_RANGES + "]")  # a quick superset


def _find_sheet(names: Iterable[str], spec: SheetSpec) -> str | None:
    keys = {header_key(n): n for n in names}
    for candidate in (spec.name, *spec.aliases):
        hit = keys.get(header_key(candidate))
        if hit is not None:
            return hit
    return None


def office_submission(names: list[str]) -> bool:
    """An office's own assessment submission: `填报信息` and at least one assessment sheet (any subset of them,
    《学情会商制度实施方案》: each office keeps its own part of the assessment data)."""
    return _find_sheet(names, OFFICE_INFO) is not None and any(
        _find_sheet(names, s) is not None for s in ASSESSMENT_WORKBOOK.sheets if s.layout == "table")


def classify(names: list[str]) -> tuple[str, WorkbookSpec | None]:
    """'class', 'assessment' or 'unknown', by how many of each workbook's sheets are present; a workbook with
    `填报信息` and any assessment sheet is an office's assessment submission."""
    if office_submission(names):
        return ASSESSMENT_WORKBOOK.kind, ASSESSMENT_WORKBOOK
    scores = []
    for spec in (CLASS_WORKBOOK, ASSESSMENT_WORKBOOK, MENTOR_WORKBOOK):
        scores.append((sum(_find_sheet(names, s) is not None for s in spec.sheets if s.required), spec))
    best, spec = max(scores, key=lambda t: t[0])
    if best >= 2:
        return spec.kind, spec
    return "unknown", None


def _column_keys(spec: SheetSpec) -> tuple[dict[str, str], dict[str, str]]:
    canonical = {header_key(c.header): c.field for c in spec.columns}
    alias: dict[str, str] = {}
    for c in spec.columns:
        for a in c.aliases:
            alias.setdefault(header_key(a), c.field)
    return canonical, alias


def _fill_merged(raw: RawSheet) -> list[list[Any]]:
    rows = raw.rows
    if not raw.merged:
        return rows
    rows = [list(r) for r in rows]
    for (r0, c0), (r1, c1) in raw.merged:
        if r0 >= len(rows) or (r1 - r0 + 1) * (c1 - c0 + 1) > 100_000:
            continue
        value = rows[r0][c0] if c0 < len(rows[r0]) else None
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            row = rows[r]
            if len(row) <= c1:
                row.extend([None] * (c1 + 1 - len(row)))
            for c in range(c0, c1 + 1):
                row[c] = value
    return rows


class _Validator:
    def __init__(self, path: Path, settings: ReadingSettings) -> None:
        self.settings = settings
        self.report = FileReport(path)
        self.term: tuple[dt.date, dt.date] | None = None
        self.term_cell: tuple[str, int, int, str] | None = None  # (sheet, row, column, header) of the book's 学期
        self.categories = set(settings.attention.categories)

    def add(self, code: str, sheet: str | None = None, row: int | None = None, col: int | None = None,
            column: str | None = None, value: Any = None, detail: str = "", detail_en: str | None = None) -> None:
        cell = cell_ref(row, col) if row and col else None
        self.report.problems.append(Problem(code, sheet, cell, row, column, value, detail, detail_en))

    def add_failure(self, exc: ReadFailure, sheet: str | None = None) -> None:
        self.add(exc.code, sheet, detail=exc.detail, detail_en=exc.detail_en)

    # -- reading a table -------------------------------------------------
    def read_table(self, wb: RawWorkbook, spec: SheetSpec) -> SheetData:
        data = SheetData(spec)
        name = _find_sheet(wb.sheet_names, spec)
        if name is None:
            self.add("missing-sheet" if spec.required else "missing-optional-sheet", spec.name)
            return data
        try:
            raw_sheet = wb.sheet(name)
        except ReadFailure as exc:
            self.add_failure(exc, name)
            return data
        data.name = name
        rows = _fill_merged(raw_sheet)
        canonical, alias = _column_keys(spec)
        best_row, best_hits = None, 0
        known = canonical.keys() | alias.keys()
        for r, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
            hits = sum(header_key(v) in known for v in row)
            if hits > best_hits:
                best_row, best_hits = r, hits
        if best_row is None:
            self.add("missing-header", name, detail=str(HEADER_SEARCH_ROWS))
            return data
        data.header_row = best_row + 1
        header = rows[best_row]
        taken: set[str] = set()
        # canonical names first, aliases second, so 姓名 beside 学生姓名 maps to the right field
        for pass_map in (canonical, alias):
            for c, value in enumerate(header):
                key = header_key(value)
                fld = pass_map.get(key)
                if fld and fld not in taken and (c + 1) not in data.columns.values():
                    data.columns[fld] = c + 1
                    taken.add(fld)
        for c, value in enumerate(header):
            if (c + 1) not in data.columns.values() and not is_blank(value):
                text = clean_text(value) or ""
                data.extra[text] = c + 1
                self.add("extra-column", name, data.header_row, c + 1, text, text)
        for column in spec.columns:
            if column.required and column.field not in data.columns:
                self.add("missing-column", name, data.header_row, 1, column.header)
        header_keys = {header_key(v) for v in header if not is_blank(v)}
        used = sorted(set(data.columns.values()) | set(data.extra.values()))
        kept: list[tuple[int, list[Any]]] = []  # (0-based sheet row, cells) of the data rows
        repeat_at = max(2, len(header_keys) // 2)
        pick = operator.itemgetter(*(c - 1 for c in used)) if len(used) > 1 else None
        width = max(used, default=0)
        keys_seen: dict[str, bool] = {}  # text -> is it one of the headers (texts repeat: fold each once)
        for r in range(best_row + 1, len(rows)):
            row = rows[r]
            values = (pick(row) if pick is not None and len(row) >= width
                      else [row[c - 1] for c in used if c - 1 < len(row)])
            first, blank = None, True  # the first text in the row (a pasted header starts with one)
            for v in values:
                if v.__class__ is str:
                    if v and not v.isspace():
                        first, blank = v, False
                        break
                elif blank and not is_blank(v):
                    blank = False
            if blank:
                continue
            if first is not None:
                is_header = keys_seen.get(first)
                if is_header is None:
                    is_header = keys_seen[first] = header_key(first) in header_keys
                if is_header and sum(header_key(v) in header_keys for v in values if not is_blank(v)) >= repeat_at:
                    continue  # the header pasted again further down
            kept.append((r, row))
        fields = ["_row"]
        columns: list[list[Any]] = [[r + 1 for r, _ in kept]]
        for column in spec.columns:
            col_no = data.columns.get(column.field)
            fields.append(column.field)
            if col_no is None:
                columns.append([None] * len(kept))
                continue
            # a roster row without a mentor is reported as student-without-mentor, not as a blank cell
            missing_ok = spec.key == "students" and column.field == "mentor_id"
            columns.append(self.parse_column(name, col_no, column, kept, columns[0], missing_ok))
        records: list[dict[str, Any]] = [dict(zip(fields, values)) for values in zip(*columns)]
        if data.extra:
            for rec, (_, row) in zip(records, kept):
                rec["_extra"] = {h: clean_text(row[c - 1]) if c - 1 < len(row) else None
                                 for h, c in data.extra.items()}
        data.records = records
        return data

    def parse_column(self, sheet: str, col: int, column: Column, kept: list[tuple[int, list[Any]]],
                     row_numbers: list[int], missing_ok: bool) -> list[Any]:
        """One column of every data row, parsed. Each distinct raw value is parsed once (ids, dropdown values
        and dates repeat thousands of times); its problems are reported at every cell that holds it."""
        i = col - 1
        raws = [row[i] if i < len(row) else None for _, row in kept]
        # 1, 1.0 and True are equal in Python but not in a cell: values are their own keys only when the
        # column holds at most one kind of number
        keys: list[Any] = raws if len(set(map(type, raws)) & _NUMBERS) <= 1 else [(v.__class__, v) for v in raws]
        first_row = dict(zip(reversed(keys), reversed(row_numbers)))  # value -> the first row holding it
        problems = self.report.problems
        parsed: dict[Any, Any] = {}  # a raw value (or its (type, value) key) -> the value parsed
        found: dict[Any, list[Problem]] = {}  # value -> its problems (reported at its first cell)
        for key, row in first_row.items():  # (problems are sorted by row and column at the end)
            before = len(problems)
            raw = key[1] if keys is not raws else key
            parsed[key] = self.parse_cell(sheet, row, col, column, raw, missing_ok=missing_ok)
            if len(problems) > before:
                found[key] = problems[before:]
        if found:  # the same problems at every other cell holding that value
            for key, row in zip(keys, row_numbers):
                hit = found.get(key)
                if hit is not None and row != first_row[key]:
                    for p in hit:
                        self.add(p.code, sheet, row, col, p.column, p.value, p.detail)
        values = [parsed[key] for key in keys]
        if column.kind == "multi":  # each record gets its own list
            values = [list(v) if isinstance(v, list) else v for v in values]
        return values

    def parse_cell(self, sheet: str, row: int, col: int | None, column: Column, raw: Any,
                   missing_ok: bool = False) -> Any:
        if col is None:
            return None
        if isinstance(raw, str):
            if len(raw) > CELL_LIMIT:
                self.add("text-too-long", sheet, row, col, column.header, raw[:20] + "…", str(len(raw)))
                return None
            if _MAYBE_UNWRITABLE.search(raw):
                if _CONTROL.search(raw):
                    self.add("control-characters", sheet, row, col, column.header)
                    raw = _CONTROL.sub("", raw)
                found = sorted({f"U+{ord(ch):04X}" for ch in _NONCHARACTER.findall(raw)})
                if found:
                    self.add("invalid-characters", sheet, row, col, column.header, detail="、".join(found))
                    raw = _NONCHARACTER.sub("", raw)
        if is_blank(raw):
            if column.required and not missing_ok:
                self.add("missing-value", sheet, row, col, column.header)
            return None
        kind = column.kind
        value: Any
        if kind in _SIMPLE_KINDS:  # id, number: parse or report
            parse, code = _SIMPLE_KINDS[kind]
            value = parse(raw)
            if value is None:
                self.add(code, sheet, row, col, column.header, raw)
            elif column.limits and not column.limits[0] <= value <= column.limits[1]:
                span = "{:g}–{:g}".format(*column.limits)
                self.add("number-out-of-range", sheet, row, col, column.header, raw, span, span)
                return None
            return value
        if kind == "date":
            value = parse_date(raw, self.term)
            if value is None:
                self.add("invalid-date", sheet, row, col, column.header, raw)
            elif column.in_term and self.term and not (self.term[0] <= value <= self.term[1]):
                days = {"first": self.term[0].isoformat(), "last": self.term[1].isoformat()}
                self.add("date-out-of-term", sheet, row, col, column.header, value.isoformat(),
                         t("validate.term_span", "zh", **days), t("validate.term_span", "en", **days))
            return value
        if kind == "choice":
            value, normalised = match_choice(raw, column.choices)
            if value is None:
                self.add("value-not-allowed", sheet, row, col, column.header, clean_text(raw),
                         "、".join(column.choices), ", ".join(column.choices))
            elif normalised:
                self.add("value-normalized", sheet, row, col, column.header, clean_text(raw), value)
            return value
        if kind == "multi":
            parts = split_multi(raw)
            bad = [p for p in parts if p not in self.categories]
            if bad:
                self.add("value-not-allowed", sheet, row, col, column.header, "、".join(bad),
                         t("validate.attention_categories", "zh"), t("validate.attention_categories", "en"))
            return [p for p in parts if p in self.categories]
        return clean_text(raw)

    # -- the class information sheet ---------------------------------------
    def read_class_info(self, wb: RawWorkbook, spec: SheetSpec = CLASS_INFO) -> None:
        """A key/value sheet (班级信息 of a class workbook, 填报信息 of an office's assessment workbook) into
        report.class_info; 学年 normalised and checked, 学期 and 填表日期 read for the versions and the term."""
        data = SheetData(spec)
        self.report.sheets[spec.key] = data
        name = _find_sheet(wb.sheet_names, spec)
        if name is None:
            if spec.required:
                self.add("missing-sheet", spec.name)
            else:
                self.term = self.settings.term_range()
            return
        data.name = name
        rows = _fill_merged(wb.sheet(name))
        lookup: dict[str, Column] = {}
        for column in spec.columns:
            for h in (column.header, *column.aliases):
                lookup.setdefault(header_key(h), column)
        found: dict[str, tuple[int, int, Any]] = {}
        value_col: int | None = None  # the 内容 column when the sheet has the template's 项目/内容 header
        for r, row in enumerate(rows):
            keys = [header_key(v) for v in row]
            if "项目" in keys and "内容" in keys:
                value_col = keys.index("内容")
                continue
            cells = [(c, v) for c, v in enumerate(row) if not is_blank(v)]
            for i, (c, v) in enumerate(cells):
                named = lookup.get(header_key(v))
                if named and named.field not in found:
                    if value_col is not None and value_col > c:
                        raw = row[value_col] if value_col < len(row) else None
                        found[named.field] = (r + 1, value_col + 1, raw)
                        break
                    nxt = cells[i + 1] if i + 1 < len(cells) else None
                    if nxt and header_key(nxt[1]) not in lookup:
                        found[named.field] = (r + 1, nxt[0] + 1, nxt[1])
                    else:
                        found[named.field] = (r + 1, c + 2, None)
                    break
        info: dict[str, Any] = {}
        for column in spec.columns:
            if column.field == "fill_date":
                continue
            hit = found.get(column.field)
            raw = hit[2] if hit else None
            if is_blank(raw):
                if column.required:
                    self.add("class-info-missing", name, hit[0] if hit else None, hit[1] if hit else None,
                             column.header)
                continue
            assert hit is not None  # (a value was found, so was its cell)
            info[column.field] = self.parse_cell(name, hit[0], hit[1], column, raw)
            if column.field == "school_year":  # it names the run's output files: only `YYYY-YYYY` passes
                year = school_year(info["school_year"])
                if year is None:
                    self.add("invalid-school-year", name, hit[0], hit[1], column.header, info.pop("school_year"))
                else:
                    info["school_year"] = year
        self.term = self.settings.term_range(info.get("school_year"), info.get("term"))
        if "term" in found:
            self.term_cell = (name, found["term"][0], found["term"][1], spec.column("term").header)
        hit = found.get("fill_date")
        if hit is None or is_blank(hit[2]):
            self.add("class-info-missing", name, hit[0] if hit else None, hit[1] if hit else None, "填表日期")
        else:
            info["fill_date"] = self.parse_cell(name, hit[0], hit[1], spec.column("fill_date"), hit[2])
        self.report.class_info = info

    # -- cross-sheet checks: every registered rule (workbook_engine/validation/rules) -----
    def check_class(self) -> None:
        rules.check_class(rules.ClassBook(self.report.sheets, self.settings, self.term, self.add, self.report))

    def check_own_term(self) -> None:
        """A book whose dated rows mostly fall outside the term it names (the wrong 学期 typed in 班级信息, or last
        term's book sent again) is one error at its 学期 cell, in place of a date error on every row: the
        records are not this term's, and the office corrects one cell or sends the right book."""
        if self.term is None or self.term_cell is None:
            return
        dated = sum(isinstance(rec.get(c.field), dt.date) for d in self.report.sheets.values()
                    for c in d.spec.columns if c.kind == "date" and c.in_term for rec in d.records)
        outside = [p for p in self.report.problems if p.code == "date-out-of-term"]
        if not dated or len(outside) * 2 <= dated:
            return
        self.report.problems = [p for p in self.report.problems if p.code != "date-out-of-term"]
        sheet, row, col, header = self.term_cell
        span = {"n": len(outside), "total": dated, "first": self.term[0].isoformat(), "last": self.term[1].isoformat()}
        self.add("dates-outside-own-term", sheet, row, col, header, self.report.class_info.get("term"),
                 t("validate.own_term", "zh", **span), t("validate.own_term", "en", **span))

    def check_template_version(self, wb: RawWorkbook) -> None:
        name = next((n for n in wb.sheet_names if header_key(n) == header_key("说明")), None)
        if name is None:
            return
        for r, row in enumerate(wb.sheet(name).rows[:10]):
            for c, v in enumerate(row):
                text = clean_text(v) or ""
                m = re.search(r"模板版本\s*[:：]?\s*v?(\d+(?:\.\d+)*)", text)
                if m:
                    version = m.group(1)
                    self.report.template_version = version
                    if _version(version) < _version(TEMPLATE_VERSION):
                        self.add("old-template-version", name, r + 1, c + 1, "模板版本", version, TEMPLATE_VERSION)
                    return

    def check_formulas(self, wb: RawWorkbook) -> None:
        headers = {d.name: {c: d.spec.column(f).header for f, c in d.columns.items()}
                   for d in self.report.sheets.values() if d.name}
        for sheet, cells in wb.error_cells.items():
            for ref, value in cells:
                if not ref:
                    continue
                row, col = parse_ref(ref)
                self.add("error-value", sheet, row, col, headers.get(sheet, {}).get(col), value)
        for sheet, count in wb.formula_counts.items():
            self.report.problems.append(Problem("formula-cells", sheet, None, None, None, count))
        for sheet, cells in wb.formula_cells.items():
            for ref, formula in cells:
                m = re.match(r"([A-Z]+)(\d+)", ref)
                self.report.problems.append(Problem("formula-without-value", sheet, ref or None,
                                                    int(m.group(2)) if m else None, None, "=" + formula))

    # -- one file ------------------------------------------------------------
    def run(self) -> FileReport:
        started = time.perf_counter()
        self._wb: RawWorkbook | None = None
        try:
            return self._run()
        finally:
            total = time.perf_counter() - started
            read = self._wb.read_seconds if self._wb is not None else total
            self.report.timings = {"read": read, "validate": max(total - read, 0.0)}

    def _run(self) -> FileReport:
        report = self.report
        try:
            wb = open_workbook(report.path, GateLimits.from_settings(self.settings))
            self._wb = wb
        except ReadFailure as exc:
            report.unreadable = True
            self.add_failure(exc)
            return report
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # never a traceback for a broken file (a reader's panic included)
            report.unreadable = True
            self.add_failure(damaged(exc))
            return report
        try:
            report.format = wb.format
            if wb.gated and wb.gated.macros:
                self.add("macros-ignored")
            if wb.gated and wb.gated.external_links:
                self.add("external-links", value=wb.gated.external_links)
            kind, spec = classify(wb.sheet_names)
            report.kind = kind
            if spec is None:
                self.add("unknown-workbook", detail="、".join(wb.sheet_names[:10]))
                return report
            if kind == "class":
                self.read_class_info(wb)
                self.check_template_version(wb)
            elif kind == "mentor":
                self.read_class_info(wb, MENTOR_INFO)
            else:
                self.read_class_info(wb, OFFICE_INFO)
            subset = kind == "assessment" and office_submission(wb.sheet_names)
            for sheet_spec in spec.sheets:
                if sheet_spec.layout != "table":
                    continue
                if subset and _find_sheet(wb.sheet_names, sheet_spec) is None:
                    continue  # an office sends only its own sheets: one it does not carry changes nothing
                report.sheets[sheet_spec.key] = self.read_table(wb, sheet_spec)
            self.check_own_term()
            if kind == "class":
                self.check_class()
            self.check_formulas(wb)
            order = {name: i for i, name in enumerate(wb.sheet_names)}
            report.problems.sort(key=lambda p: (order.get(p.sheet or "", -1), p.row or 0, _col_of(p.cell)))
            return report
        except ReadFailure as exc:
            report.unreadable = True
            self.add_failure(exc)
            return report
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # a damaged sheet part: the file is reported, the run goes on
            report.unreadable = True
            self.add_failure(damaged(exc))
            return report
        finally:
            wb.close()


def _col_of(cell: str | None) -> int:
    return parse_ref(cell)[1] if cell else 0


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in text.split(".") if p.isdigit())


def validate_file(path: str | Path, settings: Settings | ReadingSettings | None = None) -> FileReport:
    """Validate one workbook; never raises for bad content: every problem is in the report."""
    return _Validator(Path(path), reading_settings(settings)).run()


def reading_settings(settings: Settings | ReadingSettings | None) -> ReadingSettings:
    """What a reader needs of the settings (the defaults where none are given), as plain values: a worker is given
    these, never the settings' models (view.ReadingSettings)."""
    if settings is None:
        from workbook_engine.settings import Settings  # (only here: a reader does without pydantic)

        settings = Settings()
    return ReadingSettings.of(settings)


def failed_report(path: str | Path, failure: object) -> FileReport:
    """The report of a file whose worker died or raised (model.WorkerFailure): the message in the user's
    words, the technical reason kept as the problem's value (report.json) for whoever looks into it."""
    report = FileReport(Path(path), unreadable=True)
    reason = str(getattr(failure, "reason", failure))
    mb = getattr(failure, "memory_limit_mb", None)
    if mb:
        kw = {"mb": mb, "setting": "limits.worker_memory_mb"}
        report.problems.append(Problem("reader-crashed", value=reason, detail=t("validate.over_memory", "zh", **kw),
                                       detail_en=t("validate.over_memory", "en", **kw)))
    elif getattr(failure, "crashed", True):
        report.problems.append(Problem("reader-crashed", value=reason, detail=t("validate.crashed", "zh"),
                                       detail_en=t("validate.crashed", "en")))
    else:
        report.problems.append(Problem("unreadable-file", value=reason, detail=t("validate.reader_failed", "zh"),
                                       detail_en=t("validate.reader_failed", "en")))
    return report


def validate_and_hash(path: Path, settings: Settings | ReadingSettings) -> tuple[FileReport, str | None]:
    """A run's per-file work: validate one file and hash it. In the lightest module that does it, at module level,
    so a pool can pickle it and a spawned worker imports no more than reading and validating need (the pipeline
    module would add a quarter more)."""
    return validate_file(path, settings), file_sha256(path)


def file_sha256(path: Path) -> str | None:
    try:
        return sha256_of(path)  # never a pipe or a device (it might never end)
    except (OSError, ReadFailure):
        return None


def validate_files(paths: Iterable[str | Path], settings: Settings | None = None,
                   executor: Executor | None = None) -> ValidationReport:
    """Validate several files: in this process, or through an executor (worker processes isolate a crash)."""
    reading = reading_settings(settings)
    paths = list(paths)
    if executor is None:
        return ValidationReport([validate_file(p, reading) for p in paths])
    reports: list[FileReport | None] = [None] * len(paths)
    for i, result in executor.map_files(validate_file, paths, reading):
        reports[i] = failed_report(paths[i], result) if isinstance(result, WorkerFailure) else result
    return ValidationReport([r for r in reports if r is not None])
