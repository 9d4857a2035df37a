"""The run, top to bottom, as the README lists its stages (each stage's input and output named):

1. **prepare OUT** (OUT) — writable before anything is read, held for this run, whatever a killed run left there
   finished or undone (publishing.publish);
2. **discover** (INBOX -> `InboxFile`s) — every file: a workbook to read, an email's attachments, or skipped with
   the reason (reading.inbox);
3. **validate** (`InboxFile`s -> each with its `FileReport` and SHA-256) — gated, read and checked in worker
   processes (validation.validate, through execution.py); `validate_inbox`;
4. **combine** (-> one `TermOutcome` per term, its `Merged` records) — the files split by the term each names
   (combining.terms), each term's submissions record by record (combining.combine); a run that would shrink a
   term the ledger holds stops here (ledger.guard); assessment rows checked against the term's people;
5. **comply** (`Merged` -> `Compliance`) — every required frequency in the school calendar (compliance); `comply`;
6. **assess** (`TermOutcome` -> teachers, percentiles, recognition, `AcrossTerms`, `SchoolWork`, open flags,
   整改名单) — one score per teacher over all their classes, with what the ledger remembers of earlier terms
   (assessment); `assess`, `review_school_work`;
7. **remember** (`TermMemory` -> the staged ledger) — this term into the school ledger, in a child process begun
   with the merged rows (their records go in while stages 5-6 run) and given the figures after them, beside the
   writing (ledger.store); `begin_remembering`, `memory_of`, `figures_of`;
8. **write and publish** (`TermOutcome` -> report.json, the merged book, the summary, a feedback book per class,
   the forms) — staged and published into the term's folder `OUT/<学年><学期>/` as one set, with the ledger and
   OUT's index of terms (writing, publishing).

Which process does what — workers, forked children, spawn, the collector pause, preloading — is execution.py's;
this module only says what happens in which order, and keeps what publishing produced in `RunResult`.
"""
from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbook_engine.assessment.cell_warnings import warn_at
from workbook_engine.catalogue import t
from workbook_engine.combining.combine import settle
from workbook_engine.combining.terms import records_count, split_terms
from workbook_engine.errors import UsageError
from workbook_engine.execution import (
    Forked,
    Helper,
    begin_merged_book,
    collector_paused,
    default_executor,
    preload,
    refuse_in_reimported_main,
    write_outputs,
)
from workbook_engine.files import sha256_of, staged, write_json
from workbook_engine.ledger.file import Hold, hold, location
from workbook_engine.ledger.file import outputs as ledger_outputs
from workbook_engine.ledger.guard import check_shrink
from workbook_engine.ledger.store import History, TermMemory, recall
from workbook_engine.ledger.store import remember as remember_term
from workbook_engine.model import (
    ACCEPTED,
    REJECTED,
    Executor,
    InboxFile,
    Merged,
    Record,
    WorkerFailure,
)
from workbook_engine.outcome import TermOutcome
from workbook_engine.publishing.index import build_index, is_index, read_json
from workbook_engine.publishing.layout import REPORT_NAME, OutputLayout
from workbook_engine.publishing.publish import (
    OutputError,
    check_writable,
    explain,
    locked,
    move_flat_layout,
    publish,
    recover,
    stage_dir,
    work_dir,
)
from workbook_engine.reading.inbox import (
    check_out_dir,
    discover,
    resolve_settings,
    set_aside,
    stat_key,
    still_being_written,
)
from workbook_engine.settings import Settings
from workbook_engine.term import parse_term, term_words
from workbook_engine.validation.rules.load import too_few_mentees
from workbook_engine.validation.validate import failed_report, file_sha256, reading_settings, validate_and_hash

if TYPE_CHECKING:
    import pandas as pd

    from workbook_engine.assessment.across_terms import AcrossTerms
    from workbook_engine.compliance.result import Compliance

# The later stages load pandas, numpy and xlsxwriter (about half a second): they are imported inside the stage
# functions below, in a thread while the workers read the files (execution.preload), never before the first
# file is read.

HELPER_MAX_ROWS = 250_000  # a term with more rows writes its books in this process: the helper's copy of what they
                          # read (~600 MB at 400 classes, 440,000 rows) would cost more memory than its speed is worth
HELPER_MODULES = ("workbook_engine.writing.outputs",)  # what the helper's books need (outputs.summary_and_feedback)
LATER_STAGES = ("workbook_engine.assessment.scoring", "workbook_engine.compliance.compute",
                "workbook_engine.writing.summary", "workbook_engine.writing.outputs",
                "workbook_engine.writing.runreport")


@dataclass
class RunResult:
    """What a run did for one term: the term's outcome (outcome.TermOutcome: typed, never changed once built)
    and what writing and publishing it produced. `run_inbox` returns the newest term's, the run's older terms in
    `other_terms`."""

    outcome: TermOutcome
    report: dict[str, Any] = field(default_factory=dict)  # report.json, as published
    outputs: list[Path] = field(default_factory=list)  # every file published into OUT
    timings: dict[str, float] = field(default_factory=dict)  # stage -> seconds (read/validate: summed over workers)
    stage: Path | None = None  # where this run writes its outputs before they are published into OUT
    ledger: str | None = None  # the ledger's path relative to OUT when it is one of this run's outputs
    remembering: Forked | None = None  # the child writing the staged ledger while the outputs are written
    held: bool = False  # not published: a term with no accepted class file never replaces one already kept
    notices: list[str] = field(default_factory=list)  # said once, at the top of the console output
    other_terms: list[RunResult] = field(default_factory=list)  # the run's other (older) terms, oldest first

    # the term's outcome, read through (result.files, result.compliance …): what the command line, the web page
    # and the tests read of a run
    @property
    def inbox(self) -> Path:
        return self.outcome.inbox

    @property
    def out(self) -> Path:
        return self.outcome.out

    @property
    def school_year(self) -> str | None:
        return self.outcome.school_year

    @property
    def term(self) -> str | None:
        return self.outcome.term

    @property
    def settings(self) -> Settings:
        return self.outcome.settings

    @property
    def as_of(self) -> dt.date:
        return self.outcome.as_of

    @property
    def lang(self) -> str:
        return self.outcome.lang

    @property
    def files(self) -> list[InboxFile]:
        return self.outcome.files

    @property
    def merged(self) -> Merged:
        return self.outcome.merged

    @property
    def layout(self) -> OutputLayout:
        return self.outcome.layout

    @property
    def compliance(self) -> Compliance | None:
        return self.outcome.compliance

    @property
    def teachers(self) -> list[Record]:
        return self.outcome.teachers

    @property
    def percentiles(self) -> pd.DataFrame | None:
        return self.outcome.percentiles

    @property
    def recognition(self) -> list[Record]:
        return self.outcome.recognition

    @property
    def across(self) -> AcrossTerms | None:
        return self.outcome.across

    @property
    def open_flags(self) -> list[Record]:
        return self.outcome.open_flags

    @property
    def default_dates(self) -> bool:
        return self.outcome.default_dates

    @property
    def folder(self) -> Path:
        return self.outcome.folder

    def count(self, status: str) -> int:
        """How many of the term's files ended with this status."""
        return self.outcome.count(status)

    @property
    def terms(self) -> list[RunResult]:
        """Every term of the run, oldest first (this one, the newest, last)."""
        return [*self.other_terms, self]

    def staged(self, rel: str) -> Path:
        """An output's path in the stage (created on the way), never outside it."""
        assert self.stage is not None
        return staged(self.stage, rel)

    @property
    def exit_code(self) -> int:
        bad = any(f.status == REJECTED or (f.status == ACCEPTED and f.errors) for r in self.terms for f in r.files)
        return 1 if bad else 0


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
    each term found in the files is its own set, published into its own folder (combining.terms, publishing.publish);
    publish.OutputError when they cannot be written. Returns the newest term's result, the others in
    `other_terms`. `term` ("2026-2027第一学期"): that term alone. A term that would lose more than a fifth of
    its records in the ledger stops the run (UsageError) unless `replace_term`.
    Files in `unsettled` (the watcher saw them still changing) and files that change while they are read are
    skipped as still being written, not judged. `handbooks`: also a printable 导师工作手册 per teacher."""
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
    """An OUT written before terms had folders: its outputs moved into their term's folder (publishing.publish)."""
    ledger_rel = location(out, settings)[0]
    return move_flat_layout(out, ledger_rel, lambda: build_index(out, ledger=ledger_rel))


def _run(inbox: Path, out: Path, settings: Settings, as_of: dt.date | None, lang: str, executor: Executor | None,
         progress: Callable[[InboxFile], None] | None, on_start: Callable[[int], None] | None,
         mail_dir: Path, unsettled: set[str], handbooks: bool = False, only: tuple[str, str] | None = None,
         replace_term: bool = False) -> RunResult:
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    mail_dir.mkdir(parents=True, exist_ok=True)
    candidates, skipped = discover(inbox, mail_dir, settings, lang)  # 2. discover
    if unsettled:  # the watcher saw these still changing: not worth reading yet
        skipped += [set_aside(e, lang) for e in candidates if os.path.realpath(e.path) in unsettled]
        candidates = [e for e in candidates if os.path.realpath(e.path) not in unsettled]
    candidates, writing = validate_inbox(candidates, settings, executor, lang, progress, on_start)  # 3. validate
    skipped += writing
    timings["files (wall)"] = time.perf_counter() - clock
    timings["read (cpu)"] = sum(e.report.timings.get("read", 0) for e in candidates if e.report)
    timings["validate (cpu)"] = sum(e.report.timings.get("validate", 0) for e in candidates if e.report)

    runs = []
    for part in split_terms(candidates, skipped, settings, only, lang):  # each term its own set
        clock = time.perf_counter()
        term_settings = settings.for_term(part.school_year, part.term)
        merged = settle(part.files, term_settings, lang)  # 4. combine
        term_range = term_settings.term_range(part.school_year, part.term)
        outcome = TermOutcome(
            inbox, out, part.school_year, part.term, term_settings, as_of or default_as_of(term_range), lang,
            sorted(part.files + part.skipped, key=lambda e: e.name), merged,
            OutputLayout.build(part.school_year, part.term, [f.class_name for f in merged.class_files]),
            handbooks=handbooks,
            default_dates=bool(part.term and settings.default_dates(part.school_year, part.term)))
        run = RunResult(outcome, timings=dict(timings))
        run.timings["merge"] = time.perf_counter() - clock
        runs.append(run)
    history = recall(out, settings, lang)
    try:
        for run in runs:
            run.held = not run.merged.class_files and (
                run.folder.is_dir() or history.term_id(run.school_year, run.term) is not None)
        check_shrink(history, [(r.school_year, r.term, records_count(r.merged)) for r in runs if not r.held],
                     replace_term, lang)
    finally:
        history.close()
    from workbook_engine.writing.runreport import build_report  # (heavy: see the imports above)

    # where nothing forks, one spawned helper for the books of every term, importing while compliance is computed
    helped = [not r.held and records_count(r.merged) <= HELPER_MAX_ROWS for r in runs]
    helper = Helper.where_needed(HELPER_MODULES) if any(helped) else None
    try:
        for run, with_helper in zip(runs, helped):
            if run.default_dates:
                run.notices.append(t("timeline.default_dates", lang, first=run.settings.term.start,
                                     term=term_words(run.school_year, run.term, lang), last=run.settings.term.end,
                                     table="[[terms]]"))
            if run.held:  # reported, never published: the term's folder and ledger rows stay as they are
                run.notices.append(t("timeline.held", lang, term=term_words(run.school_year, run.term, lang)))
                run.report = build_report(run.outcome, lang)
            else:
                _run_term(run, [f for f in run.files if f.report is not None], helper if with_helper else None)
    except BaseException:
        if helper is not None:
            helper.close(kill=True)
        raise
    if helper is not None:
        helper.close()
    newest = runs[-1]
    newest.other_terms = runs[:-1]
    newest.notices = [n for r in runs for n in r.notices]
    return newest


def _run_term(run: RunResult, candidates: list[InboxFile], helper: Helper | None = None) -> None:
    """One term's set from its settled files: comply, assess, remember, write and publish into its folder."""
    from workbook_engine.assessment.scoring import flag_people  # (heavy: see the imports above)

    outcome = run.outcome
    scored_records = flag_people(outcome.merged, candidates,
                                 outcome.settings.term_range(outcome.school_year, outcome.term))
    ledger = hold(outcome.out, outcome.settings, outcome.lang)  # checked, held, a hot journal rolled back
    try:
        run.outcome = replace(outcome, history=History(ledger.history()))
        _write_and_publish(run, scored_records, ledger, helper)
    finally:
        ledger.discard()


def _write_and_publish(run: RunResult, scored_records: dict[str, list[Record]], ledger: Hold,
                       helper: Helper | None = None) -> None:
    """Stages 5-8 with the ledger held: comply, assess, remember, write and publish."""
    from workbook_engine.writing.outputs import RunOutputs, record_outputs  # (heavy: see the imports above)
    from workbook_engine.writing.runreport import build_report

    outcome, timings = run.outcome, run.timings
    out, lang = outcome.out, outcome.lang
    term_range = outcome.settings.term_range(outcome.school_year, outcome.term)
    run.stage = stage_dir(out)
    work = RunOutputs(run)  # every workbook of the run; execution decides which process writes which
    merged_book = begin_merged_book(work)  # its data sheets are written while compliance is computed
    try:
        run.remembering = begin_remembering(run)  # 7. remember: the term's records first, its figures below
        if term_range:
            clock = time.perf_counter()
            outcome = replace(outcome, compliance=comply(outcome.merged, outcome.settings, term_range,
                                                         outcome.as_of))  # 5. comply
            timings["compliance"] = time.perf_counter() - clock
            clock = time.perf_counter()
            outcome = assess(outcome, scored_records)  # 6. assess
            outcome = review_school_work(outcome)
            if outcome.handbooks:
                outcome.layout.with_handbooks((t["teacher_id"], t["name"]) for t in outcome.teachers)
            timings["scoring"] = time.perf_counter() - clock
        run.outcome = outcome
        run.remembering.give(figures_of(outcome))  # 7. remember: the rest of the term, beside the writing
        clock = time.perf_counter()
        run.report = build_report(run.outcome, lang)  # 8. write and publish
        timings["report"] = time.perf_counter() - clock
        clock = time.perf_counter()
        written, body, remembered = write_outputs(work, merged_book, run.remembering, helper)
        hashed: dict[str, str] = {}
        if remembered is not None:  # the school ledger, staged by the remember stage: published with the set
            run.ledger, timings["ledger"], hashed = remembered
        written = record_outputs(run, written + ledger_outputs(run.stage, run.ledger), body,
                                 hashed)  # report.json: its bulk, then every output and its hash
        written.append(_stage_index(run))  # OUT/report.json: the terms present, this one as just written
        timings["outputs (wall)"] = time.perf_counter() - clock
    except BaseException:
        merged_book.cancel()
        if run.remembering is not None:
            run.remembering.cancel()
        raise
    ledger.release()  # (a file open here could not be renamed on Windows)
    publish(out, written, lang, outcome.layout.report, carried=_carried(run))
    run.outputs = [out / rel for rel in written]
    ledger.replace()  # a ledger kept outside OUT: its staged copy takes its place once the set is published
    if outcome.history is not None:
        outcome.history.close()


def _carried(run: RunResult) -> list[str]:
    """What this run read at OUT and carries forward, so it may replace it though no term's report listed it:
    the school ledger (and its previous copy), and OUT's index of terms."""
    carried = ledger_outputs(run.stage, run.ledger)
    if is_index(read_json(run.out / REPORT_NAME)):
        carried.append(REPORT_NAME)
    return carried


def _stage_index(run: RunResult) -> str:
    index = build_index(run.out, run.report, run.layout.folder, run.ledger)
    write_json(run.staged(REPORT_NAME), index)
    return REPORT_NAME


def validate_inbox(candidates: list[InboxFile], settings: Settings, executor: Executor | None, lang: str,
                   progress: Callable[[InboxFile], None] | None = None,
                   on_start: Callable[[int], None] | None = None) -> tuple[list[InboxFile], list[InboxFile]]:
    """Stage 3: each file validated and hashed (in worker processes by default), its report attached as it
    arrives. Returns (files read, files set aside because they changed while they were read: still being
    written)."""
    seen = [stat_key(e.path) for e in candidates]
    if on_start:
        on_start(len(candidates))
    executor = executor or default_executor(settings.limits.worker_memory_mb)
    loading = None
    for index, result in executor.map_files(validate_and_hash, [e.path for e in candidates],
                                            reading_settings(settings)):  # (plain values: no pydantic to import)
        if loading is None:  # the workers are running: import the later stages (pandas …) meanwhile
            loading = preload(*LATER_STAGES)
        entry = candidates[index]
        if isinstance(result, WorkerFailure):
            entry.report, entry.sha256 = failed_report(entry.path, result), file_sha256(entry.path)
        else:
            entry.report, entry.sha256 = result
        if progress:
            progress(entry)
    if loading is not None:
        loading.join()  # (before any fork: forking is safe only with one thread)
    return still_being_written(candidates, seen, lang)


def comply(merged: Merged, settings: Settings, term_range: tuple[dt.date, dt.date], as_of: dt.date) -> Compliance:
    """Stage 5: every frequency the school sets, per student and pairing, to the as-of date."""
    from workbook_engine.compliance.compute import compute  # (heavy: see the imports above)

    return compute(merged, settings, term_range, as_of)


def begin_remembering(run: RunResult) -> Forked:
    """Stage 7: this term into the school ledger, in the stage, to be published with the outputs
    (ledger.store.remember). Begun by a child process as soon as the rows are merged: the term's records go in
    while this process computes compliance and the scores, the rest once .give(figures_of(outcome)) hands over its
    figures; the child goes on beside the writing (execution.Forked; in this process where fork is not available).
    _write_and_publish waits for it before hashing the set. Returns (the ledger's path relative to OUT or None,
    the seconds it worked: not those it waited for the figures, the SHA-256 of each of its files in the stage)."""
    start, out, stage, lang = memory_of(run.outcome), run.out, run.stage, run.lang
    assert stage is not None

    def job(figures: Callable[[], dict[str, Any]]) -> tuple[str | None, float, dict[str, str]]:
        waited = 0.0

        def later() -> TermMemory:
            nonlocal waited
            clock = time.perf_counter()
            given = figures()
            waited = time.perf_counter() - clock
            return replace(start, **given)

        started = time.perf_counter()
        rel = remember_term(start, out, stage, lang, later=later)
        seconds = time.perf_counter() - started - waited
        # its files hashed here, just written (80 MB at 400 classes: 0.12 s of the run's serial end otherwise)
        return rel, seconds, {name: sha256_of(staged(stage, name)) for name in ledger_outputs(stage, rel)}

    return Forked(job, yielding=True)


FIGURES = ("students", "mentors", "classes", "teachers", "rectification")  # what the ledger needs once assessed


def figures_of(outcome: TermOutcome) -> dict[str, Any]:
    """The term's figures the ledger keeps (TermMemory's FIGURES), once computed: all that goes to the child."""
    memory = memory_of(outcome)
    return {name: getattr(memory, name) for name in FIGURES}


def memory_of(outcome: TermOutcome) -> TermMemory:
    """What the ledger keeps of the term (ledger.store.TermMemory), from its outcome."""
    comp = outcome.compliance
    return TermMemory(outcome.school_year, outcome.term, outcome.as_of, outcome.settings, outcome.merged,
                      comp.students if comp else None, comp.mentors if comp else [], comp.classes if comp else [],
                      outcome.teachers, outcome.rectification)


def assess(outcome: TermOutcome, records: dict[str, list[Record]]) -> TermOutcome:
    """Stage 6: one score per teacher over all their classes (the class view shows the same score and rank), and
    the term's recognition candidates, from the assessment records that name known people; then what the
    ledger's earlier terms add (yearly awards into recognition, trends, tracking)."""
    from workbook_engine.assessment import across_terms  # (heavy: see the imports above)
    from workbook_engine.assessment.scoring import recognition, score_teachers, teachers

    comp, merged, settings = outcome.compliance, outcome.merged, outcome.settings
    assert comp is not None
    history, files = outcome.history, outcome.files
    grades: dict[str, str] = {}  # class -> its grade, as its 班级信息 names it
    for f in merged.class_files:
        grade = f.report.class_info.get("grade") if f.report else None
        if f.class_name and grade:
            grades[f.class_name] = grade
    if history is not None:  # rules across terms, from what the ledger remembers
        across_terms.check_pairings(merged, files, history, outcome.school_year, outcome.term)
        records = across_terms.grade_baseline(records, files, history, outcome.school_year, outcome.term, grades,
                                              settings.ledger.grades[0] if settings.ledger.grades else None)
    people = teachers(comp.mentors, settings)
    _warn_light_loads(outcome, people)
    percentiles = score_teachers(people, comp.students, records, grades, settings)
    by_teacher = {t["teacher_id"]: t for t in people}
    for m in comp.mentors:
        m["score"], m["rank"] = by_teacher[m["teacher_id"]]["score"], by_teacher[m["teacher_id"]]["rank"]
    outcome = replace(outcome, teachers=people, percentiles=percentiles,
                      recognition=recognition(people, comp.students, percentiles, records, grades, settings,
                                              outcome.lang))
    across = across_terms.compute(history, comp, people, merged.records, settings, outcome.as_of, outcome.school_year,
                                  outcome.term, outcome.lang)  # trends, tracking, the year's 优秀导师 (a 第二学期)
    return replace(outcome, across=across, recognition=[*outcome.recognition, *across.recognition])


def _warn_light_loads(outcome: TermOutcome, people: list[Record]) -> None:
    """too-few-mentees at each 导师名单 row of a subject teacher with fewer than min_mentees over all classes."""
    files = {f.name: f for f in outcome.files}
    for rec, detail, detail_en in too_few_mentees(outcome.merged.records.get("mentors", []), people,
                                                  outcome.settings):
        warn_at(files, rec, "mentors", "teacher_id", "too-few-mentees", rec.get("teacher_id"), detail, detail_en)


def review_school_work(outcome: TermOutcome) -> TermOutcome:
    """The principal's monthly meeting and the school's events from 学校工作记录, the special-attention students
    without a 包靠 leader, the 需学校关注 flags still open on the as-of date (school_work), and the mentors on the
    整改名单 (rectification)."""
    from workbook_engine.assessment import rectification, school_work  # (heavy: see the imports above)

    comp, merged, settings = outcome.compliance, outcome.merged, outcome.settings
    assert comp is not None
    outcome = replace(outcome, school_work=school_work.compute(merged, comp, settings))
    school_work.flag(merged, outcome.files, settings)
    outcome = replace(outcome, open_flags=school_work.open_flags(merged.records, comp, outcome.as_of))
    carried = rectification.carried_cases(outcome.history, outcome.school_year, outcome.term)
    return replace(outcome, rectification=rectification.compute(comp, outcome.teachers, merged.class_files,
                                                                settings.policy, outcome.as_of, carried, outcome.lang))
