"""The office's folder: discover every workbook, validate, choose the newest version of each class, merge.

Nothing is lost: every row read from every file is either accepted or rejected with a reason, rows that
an older version had and the winning version lacks are reported and kept, and the inbox is never written.
"""
from __future__ import annotations

import datetime as dt
import gc
import hashlib
import json
import os
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from workbook_engine.errors import UsageError
from workbook_engine.combine import IDENTITY as COMBINE_IDENTITY, Conflict, combine
from workbook_engine.executor import Executor, WorkerFailure, default_executor, refuse_in_reimported_main
from workbook_engine.output import OutputLayout, inside
from workbook_engine.problems import Problem, Severity
from workbook_engine.gate import SPREADSHEET_SUFFIXES, looks_like_workbook
from workbook_engine.schema import SheetSpec
from workbook_engine.settings import Settings, load_settings
from workbook_engine.validate import FileReport, failed_report, validate_file

TEMP_SUFFIXES = (".tmp", ".temp", ".part", ".crdownload", ".download", ".swp", "~")
SETTINGS_NAME = "school.toml"

# Which fields identify "the same row" across two versions of one submission: a record's identity
# (combine.IDENTITY) within its own file. A row whose identity is incomplete is compared on every field instead.
IDENTITY: dict[str, tuple[str, ...]] = {k: tuple(f for f in v if f != "_class") for k, v in COMBINE_IDENTITY.items()}
DEFAULT_OFFICE = "教务处"  # an assessment workbook without 填报信息

ACCEPTED, SUPERSEDED, REJECTED, SKIPPED = "accepted", "superseded", "rejected", "skipped"


@dataclass
class RowCount:
    read: int = 0
    accepted: int = 0
    rejected: int = 0
    superseded: int = 0  # of the rejected rows, those in a version that a newer file replaced

    def to_dict(self) -> dict[str, int]:
        return {"read": self.read, "accepted": self.accepted, "rejected": self.rejected, "superseded": self.superseded}


@dataclass
class InboxFile:
    """One file found in the inbox and what became of it."""

    path: Path
    name: str  # path relative to the inbox, with forward slashes
    status: str = ACCEPTED
    reason: str = ""
    sha256: str | None = None
    mtime: float = 0.0
    report: FileReport | None = None
    superseded_by: str | None = None
    rows: dict[str, RowCount] = field(default_factory=dict)  # sheet name -> counts
    provenance: dict[str, Any] | None = None  # from, date, subject, message_id when it came by email

    @property
    def kind(self) -> str:
        return self.report.kind if self.report else "other"

    @property
    def class_name(self) -> str | None:
        return self.report.class_info.get("class_name") if self.report else None

    @property
    def fill_date(self) -> dt.date | None:
        value = self.report.class_info.get("fill_date") if self.report else None
        return value if isinstance(value, dt.date) else None

    @property
    def problems(self) -> list[Problem]:
        return self.report.problems if self.report else []

    @property
    def errors(self) -> int:
        return sum(p.severity is Severity.ERROR for p in self.problems)

    @property
    def warnings(self) -> int:
        return sum(p.severity is Severity.WARNING for p in self.problems)

    @property
    def accounting_ok(self) -> bool:
        return all(c.read == c.accepted + c.rejected for c in self.rows.values())

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        return {
            "path": self.name,
            "kind": self.kind,
            "class": self.class_name,
            "status": self.status,
            "reason": self.reason,
            "superseded_by": self.superseded_by,
            "provenance": self.provenance,
            "sha256": self.sha256,
            "fill_date": self.fill_date.isoformat() if self.fill_date else None,
            "format": self.report.format if self.report else None,
            "rows": {sheet: c.to_dict() for sheet, c in self.rows.items()},
            "rows_accounted": self.accounting_ok,
            "errors": self.errors,
            "warnings": self.warnings,
            "problems": [p.to_dict(lang) for p in self.problems],
        }


@dataclass
class RejectedRow:
    file: str
    class_name: str | None
    spec: SheetSpec
    row: int
    reason: str
    record: dict[str, Any]


@dataclass
class LostRow:
    class_name: str | None
    spec: SheetSpec
    old_file: str
    row: int
    kept_file: str
    record: dict[str, Any]


@dataclass
class Merged:
    """Every accepted row by sheet key, each tagged with its class and source file; and what was not taken."""

    records: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    rejected: list[RejectedRow] = field(default_factory=list)
    lost: list[LostRow] = field(default_factory=list)
    class_files: list[InboxFile] = field(default_factory=list)  # the winning class files, by class name
    assessments: list[InboxFile] = field(default_factory=list)  # the winning workbook of each office
    mentor_files: list[InboxFile] = field(default_factory=list)  # the winning 导师工作手册 of each mentor
    duplicates: dict[str, int] = field(default_factory=dict)  # sheet key -> rows also in another submission
    conflicts: list[Conflict] = field(default_factory=list)  # same identity, other content: the newer one kept


# -- discovery -----------------------------------------------------------------------------------
def discover(inbox: Path, extract_to: Path | None = None, settings: Settings | None = None,
             lang: str = "zh") -> tuple[list[InboxFile], list[InboxFile]]:
    """(workbooks to read, files skipped with the reason), both sorted by relative path. Saved emails
    (.eml) have their spreadsheet attachments extracted into extract_to (never into the inbox), each
    read as `<mail>.eml/<attachment>` with the sender, date and subject as provenance. Only regular files
    are read: a pipe, a device, or a link leading outside the inbox is skipped with the reason."""
    from workbook_engine.mail import STATE_FILE, date_of

    limits = (settings or Settings()).limits
    candidates: list[InboxFile] = []
    skipped: list[InboxFile] = []
    fetched: dict[str, Any] = {}
    state = inbox / STATE_FILE
    if state.is_file():  # provenance of attachments that fetch-mail saved here
        try:
            fetched = json.loads(state.read_text(encoding="utf-8")).get("files", {})
        except (ValueError, OSError):
            fetched = {}
    home = inbox.resolve()
    for root, dirs, files in os.walk(inbox):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for fname in sorted(files):
            path = Path(root) / fname
            rel = path.relative_to(inbox).as_posix()
            reason = _skip_reason(path, home, limits, lang)
            entry = InboxFile(path, rel)
            try:
                entry.mtime = path.stat().st_mtime
            except OSError:
                pass
            if reason:
                entry.status, entry.reason = SKIPPED, reason
                skipped.append(entry)
            elif path.suffix.lower() == ".eml":
                found = _from_email(entry, extract_to, limits.max_email_mb, lang)
                candidates.extend(found)
                if not found:
                    entry.status = SKIPPED
                    entry.reason = entry.reason or _say("邮件中没有表格附件", "no spreadsheet attached to the mail", lang)
                    skipped.append(entry)
            else:
                entry.provenance = fetched.get(rel)
                entry.mtime = date_of(entry.provenance) or entry.mtime
                candidates.append(entry)
    return candidates, skipped


def _say(zh: str, en: str, lang: str) -> str:
    return en if lang == "en" else zh


def _from_email(entry: InboxFile, extract_to: Path | None, max_mb: float = 50, lang: str = "zh") -> list[InboxFile]:
    from workbook_engine.gate import ReadFailure, open_regular
    from workbook_engine.mail import date_of, parse_message

    try:
        with open_regular(entry.path) as fh:  # size checked before anything is read; never more than the limit
            raw = fh.read(int(max_mb * 1_000_000) + 1)
        if len(raw) > max_mb * 1_000_000:
            entry.reason = _say(f"邮件过大（超过 {max_mb:g} MB 上限 limits.max_email_mb），未读取",
                                f"the mail is larger than the {max_mb:g} MB limit (limits.max_email_mb): not read", lang)
            return []
        prov, attachments = parse_message(raw, entry.name)
    except (OSError, ValueError, ReadFailure) as exc:
        entry.reason = _say(f"邮件无法读取：{type(exc).__name__}", f"the mail cannot be read: {type(exc).__name__}", lang)
        return []
    if not attachments or extract_to is None:
        return []
    folder = extract_to / f"{len(list(extract_to.iterdir()))}"
    folder.mkdir()
    provenance = prov.to_dict()
    mtime = date_of(provenance) or entry.mtime
    out = []
    for att in attachments:
        target = folder / att.name
        target.write_bytes(att.data)
        out.append(InboxFile(target, f"{entry.name}/{att.name}", mtime=mtime, provenance=provenance))
    return out


def noise_reason(name: str, lang: str = "zh") -> str:
    """Why a file of this name is nobody's work (a lock, hidden or temporary file), or "": discovery skips
    these, and `watch` ignores their changes (a sync client touching its hidden files must not re-run)."""
    if name.startswith("~$") or name.startswith(".~lock."):
        return _say("Excel/WPS 打开文件时留下的锁文件", "a lock file left by Excel/WPS", lang)
    if name.startswith("."):
        return _say("隐藏文件", "a hidden file", lang)
    if name.lower().endswith(TEMP_SUFFIXES) or name.startswith("~"):
        return _say("临时文件", "a temporary file", lang)
    return ""


def _skip_reason(path: Path, home: Path | None = None, limits: Any = None, lang: str = "zh") -> str:
    """Why a file found in the inbox is not read ("" when it is). home is the inbox, resolved."""
    import stat

    limits = limits or Settings().limits
    name = path.name
    noise = noise_reason(name, lang)
    if noise:
        return noise
    if name.lower() == SETTINGS_NAME:
        return _say("学校设置文件", "the school's settings file", lang)
    # what the name points at, before anything is opened: a link must stay inside the inbox, and only a
    # regular file is read (a pipe would wait forever for a writer, a device never ends)
    try:
        if path.is_symlink():
            target = path.resolve()
            if home is not None and target != home and home not in target.parents:
                return _say("链接指向收件目录之外的文件，不读取", "a link to a file outside the inbox: not read", lang)
        st = path.stat()
    except (OSError, RuntimeError):  # a broken or looping link, a file removed meanwhile
        return _say("无法访问（链接无效或文件已被移走）", "cannot be reached (a broken link, or moved away)", lang)
    if not stat.S_ISREG(st.st_mode):
        return _say("不是普通文件（管道、设备等），不读取", "not a regular file (a pipe, a device …): not read", lang)
    if path.suffix.lower() == ".eml":
        if st.st_size > limits.max_email_mb * 1_000_000:
            return _say(f"邮件过大（{st.st_size / 1e6:.1f} MB，上限 {limits.max_email_mb:g} MB，limits.max_email_mb），未读取",
                        f"the mail is too large ({st.st_size / 1e6:.1f} MB, limit {limits.max_email_mb:g} MB, "
                        "limits.max_email_mb): not read", lang)
        return ""  # a saved email: its attachments are read
    if path.suffix.lower() in SPREADSHEET_SUFFIXES:
        return ""
    if st.st_size <= limits.max_file_mb * 1_000_000 and looks_like_workbook(path):
        return ""  # a workbook under another name: read it
    return _say("不是表格文件", "not a spreadsheet", lang)


STILL_WRITING = "文件仍在写入，稍后自动重新处理"
STILL_WRITING_EN = "still being written; it is read again automatically"


def _stat_key(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def _still_being_written(entries: list[InboxFile], seen: list[tuple[int, int] | None],
                         lang: str) -> tuple[list[InboxFile], list[InboxFile]]:
    """(entries to judge, entries set aside): a file whose size or time changed between discovery and the
    end of its reading was still being copied in. What was read of it says nothing (a half-copied workbook
    looks damaged), so it is skipped as "still being written"; `watch` runs again once it has settled."""
    keep, writing = [], []
    for entry, before in zip(entries, seen):
        if _stat_key(entry.path) == before:
            keep.append(entry)
        else:
            writing.append(_set_aside(entry, lang))
    return keep, writing


def _set_aside(entry: InboxFile, lang: str) -> InboxFile:
    entry.status, entry.report, entry.sha256 = SKIPPED, None, None
    entry.reason = STILL_WRITING_EN if lang == "en" else STILL_WRITING
    return entry


# -- per-file work (runs in worker processes) ------------------------------------------------------
def process_file(path: Path, settings: Settings) -> tuple[FileReport, str | None]:
    """Validate one file and hash it. Module level so a process pool can pickle it."""
    return validate_file(path, settings), _sha256(path)


def _sha256(path: Path) -> str | None:
    from workbook_engine.gate import ReadFailure, open_regular

    try:
        h = hashlib.sha256()
        with open_regular(path) as fh:  # never a pipe or a device (it might never end)
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        return h.hexdigest()
    except (OSError, ReadFailure):
        return None


# -- versions and row accounting ---------------------------------------------------------------------
def _identity(key: str, rec: dict[str, Any], spec: SheetSpec) -> tuple:
    fields = IDENTITY.get(key)
    if fields and all(rec.get(f) not in (None, "", []) for f in fields):
        return tuple(rec.get(f) for f in fields)
    return tuple(_hashable(rec.get(c.field)) for c in spec.columns)


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _sheet_specs(report: FileReport) -> list[tuple[str, SheetSpec, str]]:
    """(key, spec, name in file) for each table sheet the file has."""
    return [(k, d.spec, d.name) for k, d in report.sheets.items() if d.name is not None and d.spec.layout == "table"]


def lost_rows(winner: InboxFile, older: InboxFile) -> list[LostRow]:
    """Rows of an older version whose identity is missing (or fewer times present) in the winner."""
    out: list[LostRow] = []
    assert winner.report and older.report
    for key, spec, _ in _sheet_specs(older.report):
        new = Counter(_identity(key, r, spec) for r in winner.report.records(key))
        for rec in older.report.records(key):
            ident = _identity(key, rec, spec)
            if new[ident] > 0:
                new[ident] -= 1
            else:
                out.append(LostRow(older.class_name, spec, older.name, rec["_row"], winner.name, rec))
    return out


def _reason_text(problems: list[Problem], lang: str) -> str:
    return "；".join(f"{p.cell or ''} {p.message(lang)}".strip() for p in problems)


def _raw_record(spec: SheetSpec, rec: dict[str, Any], problems: list[Problem]) -> dict[str, Any]:
    """The record with each rejected cell's original text put back, so the rejected list keeps what was typed."""
    out = dict(rec)
    by_header = {c.header: c.field for c in spec.columns}
    for p in problems:
        fld = by_header.get(p.column or "")
        if fld and p.value is not None:
            out[fld] = p.value
    return out


def settle(entries: list[InboxFile], settings: Settings, lang: str = "zh") -> Merged:
    """Decide each file's status, pick versions, count rows and gather the merged records."""
    strict = settings.policy.strict
    for e in entries:
        r = e.report
        assert r is not None
        if r.unreadable:
            e.status = REJECTED
            e.reason = r.problems[0].message(lang) if r.problems else "无法读取"
        elif r.kind == "unknown":
            e.status = REJECTED
            e.reason = "不是班级学情工作簿或学校考核数据工作簿" if lang != "en" else "not a class or assessment workbook"
        elif r.kind == "class" and not e.class_name:
            e.status = REJECTED
            e.reason = ("班级信息中没有班级名称，无法归入任何班级" if lang != "en"
                        else "the class information sheet has no class name")
        elif r.kind == "mentor" and not r.class_info.get("teacher_id"):
            e.status = REJECTED
            e.reason = ("基本信息中没有工号，无法确定是哪位导师的工作手册" if lang != "en"
                        else "the information sheet has no teacher id")
        elif r.kind in ("class", "mentor") and not (r.class_info.get("school_year") and r.class_info.get("term")):
            e.status = REJECTED
            e.reason = ("班级信息中的学年或学期缺失或无效，无法确定是哪个学期的文件" if lang != "en"
                        else "the class information sheet has no valid school year or term")
        elif strict and not r.valid:
            e.status = REJECTED
            e.reason = (f"严格模式：文件有 {e.errors} 个错误，整份退回" if lang != "en"
                        else f"strict mode: {e.errors} errors, the whole file is rejected")
        else:
            e.status = ACCEPTED

    merged = Merged()
    groups: dict[tuple, list[InboxFile]] = {}
    for e in entries:
        if e.status != ACCEPTED:
            continue
        info = e.report.class_info if e.report else {}
        if e.kind == "class":
            key: tuple = ("class", info.get("school_year"), info.get("term"), e.class_name)
        elif e.kind == "mentor":
            key = ("mentor", info.get("school_year"), info.get("term"), info.get("teacher_id"))
        else:
            key = ("assessment", info.get("office") or DEFAULT_OFFICE)
        groups.setdefault(key, []).append(e)
    for key, group in sorted(groups.items(), key=lambda kv: tuple(str(x) for x in kv[0])):
        group.sort(key=lambda e: (e.fill_date or dt.date.min, e.mtime, e.name), reverse=True)
        winner = group[0]
        lost_counts: Counter[str] = Counter()
        for older in group[1:]:
            older.status = SUPERSEDED
            older.superseded_by = winner.name
            older.reason = (f"已被较新的版本“{winner.name}”取代" if lang != "en"
                            else f"superseded by the newer version '{winner.name}'")
            for lost in lost_rows(winner, older):  # versions of any one submission: rows the newest lacks
                merged.lost.append(lost)
                lost_counts[lost.spec.name] += 1
        for sheet, count in sorted(lost_counts.items()):
            winner.report.problems.append(Problem("rows-lost", sheet, None, None, None, count,
                                                  "、".join(o.name for o in group[1:])))
        if winner.kind == "class":
            merged.class_files.append(winner)
        elif winner.kind == "mentor":
            merged.mentor_files.append(winner)
        else:
            merged.assessments.append(winner)
    merged.class_files.sort(key=lambda e: e.class_name or "")

    for e in entries:
        _account(e, merged, lang)
    winners = sorted(merged.class_files + merged.mentor_files + merged.assessments, key=lambda e: (e.fill_date or dt.date.min, e.mtime,
                                                                             e.name), reverse=True)
    combined = combine(merged.records, [e.name for e in winners])
    merged.records, merged.duplicates, merged.conflicts = combined.records, combined.duplicates, combined.conflicts
    return merged


def check_people(merged: Merged, files: list[InboxFile]) -> dict[str, list[dict[str, Any]]]:
    """Check the assessment rows against the term's people (see assessment.screen) and mentor names across
    classes; each finding becomes a warning at its cell in the file it came from. Returns the records to score."""
    from workbook_engine.assessment import name_clashes, screen

    by_name = {f.name: f for f in files}
    scored, flags = screen(merged.records)
    found = [(f.record, f.sheet, f.code, f.field, f.record.get(f.field), f.detail) for f in flags]
    found += [(rec, "mentors", "teacher-name-mismatch", "name", rec.get("teacher_id"), first)
              for rec, first in name_clashes(merged.records)]
    for rec, sheet, code, fld, value, detail in found:
        entry = by_name.get(rec.get("_source"))
        data = entry.report.sheets.get(sheet) if entry and entry.report else None
        if data is None:
            continue
        row = rec.get("_row")
        entry.report.problems.append(Problem(code, data.name, data.cell(row, fld) if row else None, row,
                                             data.spec.column(fld).header, value, detail))
    return scored


def _account(e: InboxFile, merged: Merged, lang: str) -> None:
    r = e.report
    if r is None:
        return
    rejected_by_key = r.rejected_rows()
    whole_file_rejected = e.status == REJECTED and not r.unreadable
    for key, spec, name in _sheet_specs(r):
        records = r.records(key)
        count = RowCount(read=len(records))
        bad = rejected_by_key.get(key, {})
        if e.status == ACCEPTED:
            taken = merged.records.setdefault(key, [])
            for rec in records:
                problems = bad.get(rec["_row"])
                if problems:
                    count.rejected += 1
                    merged.rejected.append(RejectedRow(e.name, e.class_name, spec, rec["_row"],
                                                       _reason_text(problems, lang), _raw_record(spec, rec, problems)))
                else:
                    count.accepted += 1
                    row = dict(rec)
                    if e.kind == "mentor":  # a mentor's own book: each row names its class, 导师工号 may be blank
                        row["_class"] = row.pop("class_name", None)
                        if not row.get("teacher_id") and key != "mentees":
                            row["teacher_id"] = r.class_info.get("teacher_id")
                    else:
                        row["_class"] = e.class_name
                    row["_source"] = e.name
                    taken.append(row)
        else:
            count.rejected = len(records)
            if e.status == SUPERSEDED:
                count.superseded = len(records)
            if whole_file_rejected:
                for rec in records:
                    merged.rejected.append(RejectedRow(e.name, e.class_name, spec, rec["_row"], e.reason,
                                                       _raw_record(spec, rec, bad.get(rec["_row"], []))))
        e.rows[name] = count


# -- the whole run -------------------------------------------------------------------------------
@dataclass
class RunResult:
    inbox: Path
    out: Path
    settings: Settings
    as_of: dt.date
    files: list[InboxFile]
    merged: Merged
    report: dict[str, Any]
    outputs: list[Path] = field(default_factory=list)
    school_year: str | None = None
    term: str | None = None
    compliance: Any = None  # compliance.Compliance when the term is known
    timings: dict[str, float] = field(default_factory=dict)  # stage -> seconds (read/validate: summed over workers)
    percentiles: Any = None  # assessment.percentile_changes table
    recognition: list[dict[str, Any]] = field(default_factory=list)
    teachers: list[dict[str, Any]] = field(default_factory=list)  # one entry per person over all their classes
    layout: OutputLayout | None = None  # every output's path relative to OUT
    stage: Path | None = None  # where this run writes its outputs before they are published into OUT

    def staged(self, rel: str) -> Path:
        """An output's path in the stage (created on the way), never outside it."""
        assert self.stage is not None
        path = inside(self.stage, rel)
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    @property
    def exit_code(self) -> int:
        bad = any(f.status == REJECTED or (f.status == ACCEPTED and f.errors) for f in self.files)
        return 1 if bad else 0

    def count(self, status: str) -> int:
        return sum(f.status == status for f in self.files)


def resolve_settings(inbox: Path, config: str | Path | None) -> Settings:
    if config:
        return load_settings(config)
    local = settings_file(inbox)
    return load_settings(local) if local is not None else Settings()


def settings_file(inbox: Path) -> Path | None:
    """The inbox's school.toml, its name in any case (School.toml, SCHOOL.TOML), on every kind of disk:
    the exact name first, else the first by name."""
    try:
        names = sorted(p.name for p in inbox.iterdir() if p.name.lower() == SETTINGS_NAME and p.is_file())
    except OSError:
        return None
    if not names:
        return None
    return inbox / (SETTINGS_NAME if SETTINGS_NAME in names else names[0])


def default_as_of(term_range: tuple[dt.date, dt.date] | None, today: dt.date | None = None) -> dt.date:
    today = today or dt.date.today()
    if term_range and today > term_range[1]:
        return term_range[1]
    return today


def _run_term(settings: Settings, class_files: list[InboxFile]) -> tuple[str | None, str | None]:
    if settings.term.school_year and settings.term.term:
        return settings.term.school_year, settings.term.term
    seen = Counter((f.report.class_info.get("school_year"), f.report.class_info.get("term"))
                   for f in class_files if f.report)
    if not seen:
        return settings.term.school_year, settings.term.term
    (year, term), _ = max(seen.items(), key=lambda kv: (kv[1], str(kv[0])))
    return settings.term.school_year or year, settings.term.term or term


def check_out_dir(inbox: Path, out: Path) -> None:
    inbox_r, out_r = inbox.resolve(), out.resolve()
    if out_r == inbox_r or inbox_r in out_r.parents:
        raise UsageError(f"输出目录 {out} 在收件目录 {inbox} 之内；输出不能写进收件目录 / "
                         "the output directory must not be inside the inbox")


def run_inbox(inbox: str | Path, out: str | Path, settings: Settings | None = None,
              config: str | Path | None = None, as_of: dt.date | None = None, lang: str = "zh",
              executor: Executor | None = None, progress: Callable[[InboxFile], None] | None = None,
              on_start: Callable[[int], None] | None = None,
              on_wait: Callable[[], None] | None = None, unsettled: Iterable[str | Path] = ()) -> RunResult:
    """Run the office's whole job on a folder: read, validate, choose versions, merge, check, score, write.
    OUT is checked writable before anything is read and held for the run (a second run waits, on_wait tells);
    outputs are published as one set (publish.py). publish.OutputError when they cannot be written.
    Files in `unsettled` (the watcher saw them still changing) and files that change while they are read are
    skipped as still being written, not judged."""
    from workbook_engine.publish import OutputError, check_writable, explain, locked, work_dir

    refuse_in_reimported_main()  # a worker re-importing a script that has no `if __name__ == "__main__":`
    inbox, out = Path(inbox), Path(out)
    if not inbox.is_dir():
        raise UsageError(f"找不到收件目录 / no such folder: {inbox}")
    check_out_dir(inbox, out)
    check_writable(out, lang)
    settings = settings or resolve_settings(inbox, config)
    # The run builds millions of small objects that all live until it ends; Python's cycle collector would
    # scan them again and again and find nothing to free (~1 s of a 100-class run, the same peak memory
    # without it), so it is paused for the run and restored afterwards.
    collecting = gc.isenabled()
    gc.disable()
    try:
        with locked(out, on_wait=on_wait):
            work = work_dir(out)
            try:
                mail_dir = work / "mail"
                mail_dir.mkdir()
                return _run(inbox, out, settings, as_of, lang, executor, progress, on_start, mail_dir,
                            {os.path.realpath(p) for p in unsettled})
            except OutputError:
                raise
            except OSError as exc:
                if exc.filename and not _within(Path(exc.filename), out):
                    raise
                raise explain(exc, None, lang) from None
            finally:
                from workbook_engine.publish import recover

                recover(out)  # the stage and extracted attachments go; a published set stays
    finally:
        if collecting:
            gc.enable()


def _within(path: Path, folder: Path) -> bool:
    path, folder = Path(os.path.abspath(path)), Path(os.path.abspath(folder))
    return path == folder or folder in path.parents


def _import_later_stages() -> None:
    import workbook_engine.assessment  # noqa: F401
    import workbook_engine.compliance  # noqa: F401
    import workbook_engine.summary  # noqa: F401


def _run(inbox: Path, out: Path, settings: Settings, as_of: dt.date | None, lang: str, executor: Executor | None,
         progress: Callable[[InboxFile], None] | None, on_start: Callable[[int], None] | None,
         mail_dir: Path, unsettled: set[str] | None = None) -> RunResult:
    from workbook_engine.books import start_merged_book, write_outputs
    from workbook_engine.runreport import build_report

    candidates, skipped = discover(inbox, mail_dir, settings, lang)
    if unsettled:  # the watcher saw these still changing: not worth reading yet
        writing = [e for e in candidates if os.path.realpath(e.path) in unsettled]
        candidates = [e for e in candidates if os.path.realpath(e.path) not in unsettled]
        skipped += [_set_aside(e, lang) for e in writing]
    seen = [_stat_key(e.path) for e in candidates]
    if on_start:
        on_start(len(candidates))
    clock = time.perf_counter()
    timings: dict[str, float] = {}
    executor = executor or default_executor(settings.limits.worker_memory_mb)
    paths = [e.path for e in candidates]
    preload: threading.Thread | None = None
    for index, outcome in executor.map_files(process_file, paths, settings):
        if preload is None:  # the workers are running: import the later stages (pandas …) meanwhile
            preload = threading.Thread(target=_import_later_stages, daemon=True)
            preload.start()
        entry = candidates[index]
        if isinstance(outcome, WorkerFailure):
            entry.report, entry.sha256 = failed_report(entry.path, outcome), _sha256(entry.path)
        else:
            entry.report, entry.sha256 = outcome
        if progress:
            progress(entry)
    if preload is not None:
        preload.join()  # (before any fork: forking is safe only with one thread)
    candidates, writing = _still_being_written(candidates, seen, lang)
    skipped += writing
    timings["files (wall)"] = time.perf_counter() - clock
    timings["read (cpu)"] = sum(e.report.timings.get("read", 0) for e in candidates if e.report)
    timings["validate (cpu)"] = sum(e.report.timings.get("validate", 0) for e in candidates if e.report)
    clock = time.perf_counter()
    merged = settle(candidates, settings, lang)
    timings["merge"] = time.perf_counter() - clock
    files = sorted(candidates + skipped, key=lambda e: e.name)
    school_year, term = _run_term(settings, merged.class_files)
    term_range = settings.term_range(school_year, term)
    as_of = as_of or default_as_of(term_range)
    result = RunResult(inbox, out, settings, as_of, files, merged, {}, school_year=school_year, term=term)
    result.timings = timings
    scored_records = check_people(merged, candidates)
    result.layout = OutputLayout.build(school_year, term, [f.class_name for f in merged.class_files])
    from workbook_engine.publish import stage_dir

    result.stage = stage_dir(out)
    merged_book = start_merged_book(result, lang)  # its data sheets are written while compliance is computed
    try:
        if term_range:
            from workbook_engine.compliance import compute

            clock = time.perf_counter()
            result.compliance = compute(merged, settings, term_range, as_of)
            timings["compliance"] = time.perf_counter() - clock
            clock = time.perf_counter()
            from workbook_engine.assessment import recognition, score_teachers, teachers

            comp = result.compliance
            grades = {f.class_name: f.report.class_info.get("grade") for f in merged.class_files
                      if f.report and f.report.class_info.get("grade")}
            result.teachers = teachers(comp.mentors, settings)
            result.percentiles = score_teachers(result.teachers, comp.students, scored_records, grades, settings)
            by_teacher = {t["teacher_id"]: t for t in result.teachers}
            for m in comp.mentors:  # the class view shows the teacher's one school-wide score and rank
                m["score"], m["rank"] = by_teacher[m["teacher_id"]]["score"], by_teacher[m["teacher_id"]]["rank"]
            result.recognition = recognition(result.teachers, comp.students, result.percentiles, scored_records,
                                             grades, settings)
            timings["scoring"] = time.perf_counter() - clock
        clock = time.perf_counter()
        result.report = build_report(result, lang)
        timings["report"] = time.perf_counter() - clock
        clock = time.perf_counter()
        written = write_outputs(result, lang, merged_book)
        timings["outputs (wall)"] = time.perf_counter() - clock
    except BaseException:
        merged_book.cancel()
        raise
    from workbook_engine.publish import publish

    publish(out, written, lang)
    result.outputs = [out / rel for rel in written]
    return result
