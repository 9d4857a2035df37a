"""The run, top to bottom, as the README lists its stages:

1. **prepare OUT** — writable before anything is read, held for this run, and whatever a killed run left there
   finished or undone (publish);
2. **discover** — every file in INBOX: a workbook to read, an email's attachments, or skipped with the reason
   (inbox);
3. **validate** — each file gated, read and checked, in worker processes (validate, executor);
4. **combine** — the files split by the term each names, each term its own set from here on (timeline); each
   file's status, the versions of each submission, then all submissions record by record (combine); a run that
   would shrink a term the ledger holds stops here (timeline.check_shrink); assessment rows checked against the
   term's people (assessment.flag_people);
5. **comply** — every required frequency in the school calendar (compliance);
6. **assess** — one score per teacher over all their classes, recognition candidates (assessment), with what
   the ledger remembers of earlier terms (the grade baseline, pairings across the school year, yearly awards);
   the school's own work: the principal's monthly meeting, 包靠 gaps and open 需学校关注 flags (school_work);
7. **remember** — this term into the school ledger, staged with the outputs (ledger);
8. **write and publish** — report.json, the merged book, the summary and a feedback book per class, staged and
   published into the term's folder `OUT/<学年><学期>/` as one set, with the ledger and OUT's index of terms
   (books, summary, publish).

Processes, forking, the collector pause and import preloading are the executor's; this module only says what
happens in which order.
"""
from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from workbook_engine.combining.combine import settle
from workbook_engine.model import Merged
from workbook_engine.errors import UsageError
from workbook_engine.execution import (
    Executor, WorkerFailure, collector_paused, default_executor, preload, refuse_in_reimported_main,
)
from workbook_engine.reading.inbox import _set_aside, _stat_key, _still_being_written, check_out_dir, discover, resolve_settings
from workbook_engine.model import ACCEPTED, REJECTED, InboxFile
from workbook_engine.catalogue import t
from workbook_engine.publishing.layout import OutputLayout
from workbook_engine.files import inside
from workbook_engine.term import term_folder_name
from workbook_engine.settings import Settings
from workbook_engine.publishing.timeline import build_index, check_shrink, is_index, read_json, records_count, split_terms
from workbook_engine.term import parse_term, term_words
from workbook_engine.validation.validate import failed_report, validate_file
from workbook_engine.model import FileReport

LATER_STAGES = ("workbook_engine.assessment.scoring", "workbook_engine.compliance.compute", "workbook_engine.writing.summary")


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
    history: Any = None  # ledger.History: what earlier runs remembered (read before this run changes anything)
    ledger: str | None = None  # the ledger's path relative to OUT when it is one of this run's outputs
    remembering: Any = None  # executor.Forked writing the staged ledger while the outputs are written
    across: Any = None  # across_terms.AcrossTerms: yearly awards, trends, 教育转化 tracking
    school_work: Any = None  # school_work.SchoolWork: the principal's monthly meeting, events, 包靠 gaps
    open_flags: list[dict[str, Any]] = field(default_factory=list)  # 需学校关注 flags still open, oldest first
    rectification: list[dict[str, Any]] = field(default_factory=list)  # 整改名单 (rectification.py)
    lang: str = "zh"  # the language of every workbook this run writes
    handbooks: bool = False  # `run --handbooks`: a 导师工作手册 per teacher (forms.py)
    default_dates: bool = False  # the settings hold no calendar for this term: the default dates were used
    held: bool = False  # not published: a term with no accepted class file never replaces one already kept
    notices: list[str] = field(default_factory=list)  # said once, at the top of the console output
    other_terms: list[RunResult] = field(default_factory=list)  # the run's other (older) terms, oldest first

    @property
    def folder(self) -> Path:
        """This term's folder in OUT (output.term_folder_name)."""
        return self.out / (self.layout.folder if self.layout else term_folder_name(self.school_year, self.term))

    @property
    def terms(self) -> list[RunResult]:
        """Every term of the run, oldest first (this one, the newest, last)."""
        return [*self.other_terms, self]

    def staged(self, rel: str) -> Path:
        """An output's path in the stage (created on the way), never outside it."""
        assert self.stage is not None
        path = inside(self.stage, rel)
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    @property
    def exit_code(self) -> int:
        bad = any(f.status == REJECTED or (f.status == ACCEPTED and f.errors) for r in self.terms for f in r.files)
        return 1 if bad else 0

    def count(self, status: str) -> int:
        return sum(f.status == status for f in self.files)



def default_as_of(term_range: tuple[dt.date, dt.date] | None, today: dt.date | None = None) -> dt.date:
    today = today or dt.date.today()
    if term_range and today > term_range[1]:
        return term_range[1]
    return today



def run_inbox(inbox: str | Path, out: str | Path, settings: Settings | None = None,
              config: str | Path | None = None, as_of: dt.date | None = None, lang: str = "zh",
              executor: Executor | None = None, progress: Callable[[InboxFile], None] | None = None,
              on_start: Callable[[int], None] | None = None,
              on_wait: Callable[[], None] | None = None, unsettled: Iterable[str | Path] = (),
              handbooks: bool = False, term: str | None = None, replace_term: bool = False) -> RunResult:
    """Run the office's whole job on a folder: read, validate, combine, check, score, write.
    OUT is checked writable before anything is read and held for the run (a second run waits, on_wait tells);
    each term found in the files is its own set, published into its own folder (publish.py, timeline.py);
    publish.OutputError when they cannot be written. Returns the newest term's result, the others in
    `other_terms`. `term` ("2026-2027第一学期"): that term alone. A term that would lose more than a fifth of
    its records in the ledger stops the run (UsageError) unless `replace_term`.
    Files in `unsettled` (the watcher saw them still changing) and files that change while they are read are
    skipped as still being written, not judged. `handbooks`: also a printable 导师工作手册 per teacher."""
    from workbook_engine.publishing.publish import OutputError, check_writable, explain, locked, recover, work_dir

    refuse_in_reimported_main()  # a worker re-importing a script that has no `if __name__ == "__main__":`
    inbox, out = Path(inbox), Path(out)
    if not inbox.is_dir():
        raise UsageError(t("pipeline.no_inbox", lang, path=inbox))
    check_out_dir(inbox, out, lang)
    check_writable(out, lang)  # 1. prepare OUT
    settings = settings or resolve_settings(inbox, config, lang)
    only = parse_term(term, lang) if term else None
    with collector_paused(), locked(out, on_wait=on_wait, lang=lang):
        work = work_dir(out, lang)
        try:
            moved = _move_flat_layout(out, settings)
            result = _run(inbox, out, settings, as_of, lang, executor, progress, on_start, work / "mail",
                          {os.path.realpath(p) for p in unsettled}, handbooks, only, replace_term)
            if moved:
                result.notices.insert(0, t("timeline.moved", lang, folder=moved, out=out))
            return result
        except OutputError:
            raise
        except OSError as exc:
            if exc.filename and not _within(Path(exc.filename), out):
                raise
            raise explain(exc, exc.filename or out, lang) from None
        finally:
            recover(out)  # the stage and extracted attachments go; a published set stays


def _within(path: Path, folder: Path) -> bool:
    path, folder = Path(os.path.abspath(path)), Path(os.path.abspath(folder))
    return path == folder or folder in path.parents


def _move_flat_layout(out: Path, settings: Settings) -> str | None:
    """An OUT written before terms had folders: its outputs moved into their term's folder (publish.py)."""
    from workbook_engine.ledger.store import location
    from workbook_engine.publishing.publish import move_flat_layout

    ledger_rel = location(out, settings)[0]
    return move_flat_layout(out, ledger_rel, lambda: build_index(out, ledger=ledger_rel))


def _run(inbox: Path, out: Path, settings: Settings, as_of: dt.date | None, lang: str, executor: Executor | None,
         progress: Callable[[InboxFile], None] | None, on_start: Callable[[int], None] | None,
         mail_dir: Path, unsettled: set[str], handbooks: bool = False, only: tuple[str, str] | None = None,
         replace_term: bool = False) -> RunResult:
    from workbook_engine.ledger.store import recall
    from workbook_engine.publishing.runreport import build_report

    timings: dict[str, float] = {}
    clock = time.perf_counter()
    mail_dir.mkdir(parents=True, exist_ok=True)
    candidates, skipped = discover(inbox, mail_dir, settings, lang)  # 2. discover
    if unsettled:  # the watcher saw these still changing: not worth reading yet
        skipped += [_set_aside(e, lang) for e in candidates if os.path.realpath(e.path) in unsettled]
        candidates = [e for e in candidates if os.path.realpath(e.path) not in unsettled]
    candidates, writing = validate_files(candidates, settings, executor, lang, progress, on_start)  # 3. validate
    skipped += writing
    timings["files (wall)"] = time.perf_counter() - clock
    timings["read (cpu)"] = sum(e.report.timings.get("read", 0) for e in candidates if e.report)
    timings["validate (cpu)"] = sum(e.report.timings.get("validate", 0) for e in candidates if e.report)

    results = []
    for part in split_terms(candidates, skipped, settings, only, lang):  # each term its own set
        clock = time.perf_counter()
        term_settings = settings.for_term(part.school_year, part.term)
        merged = settle(part.files, term_settings, lang)  # 4. combine
        term_range = term_settings.term_range(part.school_year, part.term)
        result = RunResult(inbox, out, term_settings, as_of or default_as_of(term_range),
                           sorted(part.files + part.skipped, key=lambda e: e.name), merged, {},
                           school_year=part.school_year, term=part.term, timings=dict(timings), lang=lang,
                           handbooks=handbooks, default_dates=bool(part.term and settings.default_dates(
                               part.school_year, part.term)))
        result.timings["merge"] = time.perf_counter() - clock
        result.layout = OutputLayout.build(part.school_year, part.term, [f.class_name for f in merged.class_files])
        results.append(result)
    history = recall(out, settings, lang)
    try:
        for result in results:
            result.held = not result.merged.class_files and (
                result.folder.is_dir() or history.term_id(result.school_year, result.term) is not None)
        check_shrink(history, [(r.school_year, r.term, records_count(r.merged)) for r in results if not r.held],
                     replace_term, lang)
    finally:
        history.close()
    for result in results:
        if result.default_dates:
            result.notices.append(t("timeline.default_dates", lang,
                                    term=term_words(result.school_year, result.term, lang),
                                    first=result.settings.term.start, last=result.settings.term.end,
                                    table="[[terms]]"))
        if result.held:  # reported, never published: the term's folder and ledger rows stay as they are
            result.notices.append(t("timeline.held", lang, term=term_words(result.school_year, result.term, lang)))
            result.report = build_report(result, lang)
        else:
            _run_term(result, [f for f in result.files if f.report is not None])
    newest = results[-1]
    newest.other_terms = results[:-1]
    newest.notices = [n for r in results for n in r.notices]
    return newest


def _run_term(result: RunResult, candidates: list[InboxFile]) -> None:
    """One term's set from its settled files: comply, assess, remember, write and publish into its folder."""
    from workbook_engine.assessment.scoring import flag_people
    from workbook_engine.ledger.store import History
    from workbook_engine.ledger.file import hold

    scored_records = flag_people(result.merged, candidates,
                                 result.settings.term_range(result.school_year, result.term))
    ledger = hold(result.out, result.settings, result.lang)  # checked, held, a hot journal rolled back
    try:
        result.history = History(ledger.history())
        _write_and_publish(result, scored_records, ledger)
    finally:
        ledger.discard()


def _write_and_publish(result: RunResult, scored_records: dict[str, list[dict[str, Any]]], ledger: Any) -> None:
    """Stages 5-8 with the ledger held (ledgerfile.Hold): comply, assess, remember, write and publish."""
    from workbook_engine.writing.books import start_merged_book, write_outputs
    from workbook_engine.publishing.publish import publish, stage_dir
    from workbook_engine.publishing.runreport import build_report

    out, lang, timings = result.out, result.lang, result.timings
    handbooks = result.handbooks
    term_range = result.settings.term_range(result.school_year, result.term)
    result.stage = stage_dir(out)
    merged_book = start_merged_book(result, lang)  # its data sheets are written while compliance is computed
    try:
        if term_range:
            clock = time.perf_counter()
            comply(result, term_range)  # 5. comply
            timings["compliance"] = time.perf_counter() - clock
            clock = time.perf_counter()
            assess(result, scored_records)  # 6. assess
            review_school_work(result)
            if handbooks:
                result.layout.with_handbooks((t["teacher_id"], t["name"]) for t in result.teachers)
            timings["scoring"] = time.perf_counter() - clock
        remember(result)  # 7. remember (in a child where the platform allows, beside the writing)
        clock = time.perf_counter()
        result.report = build_report(result, lang)  # 8. write and publish
        timings["report"] = time.perf_counter() - clock
        clock = time.perf_counter()
        written = write_outputs(result, lang, merged_book)
        written.append(_stage_index(result))  # OUT/report.json: the terms present, this one as just written
        timings["outputs (wall)"] = time.perf_counter() - clock
    except BaseException:
        merged_book.cancel()
        if result.remembering is not None:
            result.remembering.cancel()
        raise
    ledger.release()  # (a file open here could not be renamed on Windows)
    publish(out, written, lang, result.layout.report, carried=_carried(result))
    result.outputs = [out / rel for rel in written]
    ledger.replace()  # a ledger kept outside OUT: its staged copy takes its place once the set is published
    result.history.close()


def _carried(result: RunResult) -> list[str]:
    """What this run read at OUT and carries forward, so it may replace it though no term's report listed it:
    the school ledger (and its previous copy), and OUT's index of terms."""
    from workbook_engine.ledger.file import outputs as ledger_outputs
    from workbook_engine.publishing.layout import REPORT_NAME

    carried = ledger_outputs(result)
    if is_index(read_json(result.out / REPORT_NAME)):
        carried.append(REPORT_NAME)
    return carried


def _stage_index(result: RunResult) -> str:
    from workbook_engine.publishing.layout import REPORT_NAME
    from workbook_engine.files import write_json

    index = build_index(result.out, result.report, result.layout.folder if result.layout else None, result.ledger)
    write_json(result.staged(REPORT_NAME), index)
    return REPORT_NAME


def validate_files(candidates: list[InboxFile], settings: Settings, executor: Executor | None, lang: str,
                   progress: Callable[[InboxFile], None] | None = None,
                   on_start: Callable[[int], None] | None = None) -> tuple[list[InboxFile], list[InboxFile]]:
    """Each file validated and hashed (in worker processes by default), its report attached as it arrives.
    Returns (files read, files set aside because they changed while they were read: still being written)."""
    seen = [_stat_key(e.path) for e in candidates]
    if on_start:
        on_start(len(candidates))
    executor = executor or default_executor(settings.limits.worker_memory_mb)
    loading = None
    for index, outcome in executor.map_files(process_file, [e.path for e in candidates], settings):
        if loading is None:  # the workers are running: import the later stages (pandas …) meanwhile
            loading = preload(*LATER_STAGES)
        entry = candidates[index]
        if isinstance(outcome, WorkerFailure):
            entry.report, entry.sha256 = failed_report(entry.path, outcome), _sha256(entry.path)
        else:
            entry.report, entry.sha256 = outcome
        if progress:
            progress(entry)
    if loading is not None:
        loading.join()  # (before any fork: forking is safe only with one thread)
    return _still_being_written(candidates, seen, lang)


def comply(result: RunResult, term_range: tuple[dt.date, dt.date]) -> None:
    """Every frequency the school sets, per student and pairing, to the as-of date."""
    from workbook_engine.compliance.compute import compute

    result.compliance = compute(result.merged, result.settings, term_range, result.as_of)


def remember(result: RunResult) -> None:
    """This term into the school ledger, in the stage, to be published with the outputs (ledger.remember).
    The ledger is written by a child process while this one writes the workbooks (executor.Forked; in this
    process where fork is not available); write_outputs waits for it before hashing the set."""
    from workbook_engine.execution import Forked
    from workbook_engine.ledger.store import remember as remember_term

    def job(_: Any) -> tuple[str | None, float]:
        started = time.perf_counter()
        return remember_term(result), time.perf_counter() - started

    result.remembering = Forked(job)
    result.remembering.give()


def assess(result: RunResult, records: dict[str, list[dict[str, Any]]]) -> None:
    """One score per teacher over all their classes (the class view shows the same score and rank), and the
    term's recognition candidates, from the assessment records that name known people."""
    from workbook_engine.assessment import across_terms
    from workbook_engine.assessment.scoring import recognition, score_teachers, teachers

    comp, merged, settings = result.compliance, result.merged, result.settings
    history, files = result.history, result.files
    grades = {f.class_name: f.report.class_info.get("grade") for f in merged.class_files
              if f.report and f.report.class_info.get("grade")}
    if history is not None:  # rules across terms, from what the ledger remembers
        across_terms.check_pairings(merged, files, history, result.school_year, result.term)
        records = across_terms.grade_baseline(records, files, history, result.school_year, result.term, grades,
                                              settings.ledger.grades[0] if settings.ledger.grades else None)
    result.teachers = teachers(comp.mentors, settings)
    _warn_light_loads(result)
    result.percentiles = score_teachers(result.teachers, comp.students, records, grades, settings)
    by_teacher = {t["teacher_id"]: t for t in result.teachers}
    for m in comp.mentors:
        m["score"], m["rank"] = by_teacher[m["teacher_id"]]["score"], by_teacher[m["teacher_id"]]["rank"]
    result.recognition = recognition(result.teachers, comp.students, result.percentiles, records, grades, settings,
                                     result.lang)
    result.across = across_terms.compute(history, comp, result.teachers, merged.records, settings, result.as_of,
                                         result.school_year, result.term, result.lang)  # trends, tracking
    result.recognition.extend(result.across.recognition)  # the school year's 优秀导师, in a 第二学期


def _warn_light_loads(result: RunResult) -> None:
    """too-few-mentees at each 导师名单 row of a subject teacher with fewer than min_mentees over all classes."""
    from workbook_engine.assessment.cell_warnings import warn_at
    from workbook_engine.validation.rules.load import too_few_mentees

    files = {f.name: f for f in result.files}
    for rec, detail, detail_en in too_few_mentees(result.merged.records.get("mentors", []), result.teachers,
                                                  result.settings):
        warn_at(files, rec, "mentors", "teacher_id", "too-few-mentees", rec.get("teacher_id"), detail, detail_en)


def review_school_work(result: RunResult) -> None:
    """The principal's monthly meeting and the school's events from 学校工作记录, the special-attention students
    without a 包靠 leader, the 需学校关注 flags still open on the as-of date (school_work), and the mentors on the
    整改名单 (rectification)."""
    from workbook_engine.assessment import school_work

    from workbook_engine.assessment import rectification

    comp, merged, settings = result.compliance, result.merged, result.settings
    result.school_work = school_work.compute(merged, comp, settings)
    school_work.flag(merged, result.files, settings)
    result.open_flags = school_work.open_flags(merged.records, comp, result.as_of)
    carried = rectification.carried_cases(result.history, result.school_year, result.term)
    result.rectification = rectification.compute(comp, result.teachers, merged.class_files, settings.policy,
                                                 result.as_of, carried, result.lang)


# -- per-file work (runs in worker processes) ------------------------------------------------------
def process_file(path: Path, settings: Settings) -> tuple[FileReport, str | None]:
    """Validate one file and hash it. Module level so a process pool can pickle it."""
    return validate_file(path, settings), _sha256(path)


def _sha256(path: Path) -> str | None:
    from workbook_engine.files import ReadFailure, sha256_of

    try:
        return sha256_of(path)  # never a pipe or a device (it might never end)
    except (OSError, ReadFailure):
        return None


