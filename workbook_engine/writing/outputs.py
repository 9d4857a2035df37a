"""A run's workbooks as plain pieces of work: the merged book, the summary, each feedback book, the
导师分工明细表 and (with `run --handbooks`) each 导师工作手册, written into the run's stage; report.json's bulk
(report_body); then every output listed in report.json with its SHA-256 (record_outputs).

Which process writes which is not decided here: execution.write_outputs runs these pieces (the merged book and
the summary in children beside this process where the platform allows, the feedback books and the handbooks taken
one at a time by this process and a child).
"""
from __future__ import annotations

import pickle
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, Protocol

from workbook_engine.compliance.result import Compliance
from workbook_engine.files import claim, json_items, sha256_of, write_text
from workbook_engine.outcome import TermOutcome
from workbook_engine.privacy import Redactor
from workbook_engine.writing.books import write_merged_book
from workbook_engine.writing.feedback import by_class, feedback_targets, write_feedback
from workbook_engine.writing.forms import by_teacher, write_assignment_form, write_handbook
from workbook_engine.writing.summary import write_summary


class Run(Protocol):
    """What writing needs of a run (pipeline.RunResult): the term's outcome as it stands, report.json's dict,
    the timings, and the stage an output is written to."""

    outcome: TermOutcome
    report: dict[str, Any]
    timings: dict[str, float]

    def staged(self, rel: str) -> Path: ...


class RunOutputs:
    """The workbooks of one term's run, as methods that each write their share into the stage. The outcome is
    read when a piece runs (the run's stages replace it as they go); `timings` is the run's (stage -> seconds)."""

    def __init__(self, run: Run) -> None:
        self.run = run
        self.layout = run.outcome.layout
        self.timings = run.timings
        self.merged_target = run.staged(self.layout.merged)
        self._handbooks: list[tuple[dict[str, Any], str]] | None = None
        self._own: dict[str, dict[str, list[Any]]] = {}
        self._groups: dict[str | None, dict[str, list[Any]]] | None = None  # (class_groups, once)
        self._feedback: list[tuple[str | None, Path]] | None = None  # (feedback_targets, once)

    def merged_book(self, compliance: Callable[[], Compliance | None]) -> float:
        """The merged data book; begun as soon as the rows are merged, its data sheets need no compliance, and
        compliance() gives the grids' data once computed. Returns the seconds it took."""
        started = time.perf_counter()
        outcome = self.run.outcome
        write_merged_book(outcome, self.merged_target, outcome.lang, compliance=compliance)
        return time.perf_counter() - started

    def books_job(self) -> tuple[Callable[..., Any], bytes]:
        """The summary and every feedback book as one job for a spawned helper (execution.Helper): the function and
        what it needs, pickled once. Neither book reads the talks' and the parent contacts' rows (EVENT_RECORDS: most
        of the term's rows, kept here for the merged book and the ledger; what the books show of them was computed
        before, in compliance and the scores), nor the ledger's open connection."""
        outcome = self.run.outcome
        light = replace(outcome, history=None, merged=replace(outcome.merged, records={
            key: rows for key, rows in outcome.merged.records.items() if key not in EVENT_RECORDS}))
        payload = pickle.dumps((light, self.run.report, self.run.staged(self.layout.summary), self.feedback_targets),
                               protocol=pickle.HIGHEST_PROTOCOL)
        return summary_and_feedback, payload

    @property
    def compliance(self) -> Compliance | None:
        return self.run.outcome.compliance

    @property
    def with_compliance(self) -> bool:
        """The summary and the feedback books: written when the term's compliance is known."""
        return self.run.outcome.compliance is not None

    def share(self) -> None:
        """What the books below compute once (class_groups, the feedback books' targets), before any child is
        started, so that children share it instead of computing it again."""
        if self.with_compliance:
            self._class_groups()
            self.feedback_targets  # noqa: B018 (computed and kept)

    def _class_groups(self) -> dict[str | None, dict[str, list[Any]]]:
        if self._groups is None:
            self._groups = class_groups(self.run.outcome)
        return self._groups

    @property
    def feedback_targets(self) -> list[tuple[str | None, Path]]:
        """Each class's feedback book and where it is staged, in the order of the classes (feedback_targets)."""
        if self._feedback is None:
            self._feedback = feedback_targets(self.run.outcome, self.run.staged)
        return self._feedback

    def summary(self) -> float:
        """The principal's summary; returns the seconds it took."""
        started = time.perf_counter()
        write_summary(self.run.outcome, self.run.report, self.run.staged(self.layout.summary))
        return time.perf_counter() - started

    @property
    def classes(self) -> int:
        """How many feedback books there are to write (a class that sent its workbook has one)."""
        return len(self.run.outcome.merged.class_files)

    def report_body(self) -> tuple[Path, float]:
        """report.json but for its list of outputs (report_body), in a file beside it in the stage."""
        target = self.run.staged(self.layout.report)
        return report_body(self.run.outcome, self.run.report, target.with_name(".bulk-" + target.name))

    def feedback_book(self, i: int) -> None:
        """The i-th class's feedback book."""
        class_name, target = self.feedback_targets[i]
        write_feedback(self.run.outcome, class_name, target, self._class_groups())

    def claimed_feedback(self) -> float:
        """The feedback books no other process has claimed (files.claim), from the last, beside a helper that takes
        them from the first (summary_and_feedback): the two meet wherever their other work ends. Returns the seconds
        it took."""
        started = time.perf_counter()
        write_claimed(self.run.outcome, reversed(self.feedback_targets), self._class_groups())
        return time.perf_counter() - started

    def missing_books(self) -> None:
        """The summary and every feedback book not written (a helper that died on them): written here."""
        if not self.run.staged(self.layout.summary).exists():
            self.summary()
        for i, (_, target) in enumerate(self.feedback_targets):
            if not target.exists():
                self.feedback_book(i)

    @property
    def with_forms(self) -> bool:
        """The forms (forms.py): written when a class sent its workbook."""
        return bool(self.run.outcome.merged.class_files)

    def assignment_form(self) -> None:
        write_assignment_form(self.run.outcome, self.run.staged(self.layout.assignment))

    def handbooks(self) -> int:
        """How many 导师工作手册 there are to write (each teacher's own data grouped here, once, for every part)."""
        outcome = self.run.outcome
        if self._handbooks is None:
            self._handbooks = []
            if outcome.compliance is not None and self.layout.handbooks:
                handbooks = self.layout.handbooks
                self._handbooks = [(who, handbooks[who["teacher_id"]]) for who in outcome.teachers
                                   if who["teacher_id"] in handbooks]
                self._own = by_teacher(outcome)
        return len(self._handbooks)

    def handbook(self, i: int) -> None:
        """The i-th teacher's handbook (handbooks() first)."""
        who, rel = (self._handbooks or [])[i]
        write_handbook(self.run.outcome, who, self._own.get(who["teacher_id"], {}), self.run.staged(rel))

    def written(self) -> list[str]:
        """The workbooks written, relative to OUT: the merged book, the summary and the feedback books, the
        assignment form and the handbooks (in the outcome's teachers order)."""
        layout, files = self.layout, self.run.outcome.merged.class_files
        out = [layout.merged]
        if self.with_compliance:
            out += [layout.summary, *(layout.feedback[f.class_name] for f in files)]
        if self.with_forms:
            self.handbooks()
            out += [layout.assignment, *(rel for _, rel in self._handbooks or [])]
        return out


def class_groups(outcome: TermOutcome) -> dict[str | None, dict[str, list[Any]]]:
    """Each class's share of the run (feedback.by_class), the compliance's derived tables computed first: what every
    feedback book reads, computed once for all of them."""
    assert outcome.compliance is not None
    outcome.compliance.warm()
    return by_class(outcome)


EVENT_RECORDS = ("talks", "contacts")  # rows the summary and the feedback books never read (RunOutputs.books_job)


def summary_and_feedback(payload: bytes) -> tuple[float, float]:
    """The summary and every feedback book, from RunOutputs.books_job's payload (in a helper process); the seconds
    each part took."""
    outcome, report, summary_target, targets = pickle.loads(payload)
    started = time.perf_counter()
    write_summary(outcome, report, summary_target)
    summary = time.perf_counter() - started
    write_claimed(outcome, targets, class_groups(outcome))  # from the first; the run's process from the last
    return summary, time.perf_counter() - started - summary


def write_claimed(outcome: TermOutcome, targets: Iterable[tuple[str | None, Path]],
                  groups: dict[str | None, dict[str, list[Any]]]) -> None:
    """Each feedback book of targets (class, where it is staged), in their order, that no other process has claimed
    first (files.claim): the run's process and a spawned helper share them out this way."""
    for class_name, target in targets:
        if claim(target):
            write_feedback(outcome, class_name, target, groups)


LISTED = ("outputs", "feedback")  # report.json's last items: the outputs and their hashes, known once all are written


def report_body(outcome: TermOutcome, report: dict[str, Any], target: Path) -> tuple[Path, float]:
    """report.json's text but for its LISTED items, masked item by item (privacy.Redactor.json_text) into target
    (a file in the stage, newline=""), and the seconds it took: the bulk of the file, made while the workbooks are
    written (execution.write_outputs), never all in memory. The mask finds the same numbers item by item as in the
    whole: no number it masks runs over the ",\\n" between two items."""
    started = time.perf_counter()
    mask = Redactor(outcome.settings.privacy).json_text
    with target.open("w", encoding="utf-8", newline="") as out:
        for i, item in enumerate(json_items({k: v for k, v in report.items() if k not in LISTED})):
            out.write(",\n" + mask(item) if i else mask(item))
    return target, time.perf_counter() - started


def record_outputs(run: Run, written: list[str], body: tuple[Path, float],
                   hashed: Mapping[str, str] = MappingProxyType({})) -> list[str]:
    """report.json, listing every output written (relative to OUT) with its SHA-256, and each class's feedback
    book, after `body` (report_body: everything else); returns the outputs, report.json last. `hashed`: the SHA-256
    of outputs already hashed by the process that wrote them (the ledger's)."""
    outcome, report = run.outcome, run.report
    layout = outcome.layout
    started = time.perf_counter()
    hashes = {rel: hashed.get(rel) or sha256_of(run.staged(rel)) for rel in written}
    listed: dict[str, Any] = {"outputs": [{"path": rel, "sha256": hashes[rel]} for rel in written], "feedback": []}
    if outcome.compliance is not None:
        listed["feedback"] = [{"class": f.class_name, "path": layout.feedback[f.class_name],
                               "sha256": hashes[layout.feedback[f.class_name]]}
                              for f in outcome.merged.class_files]
    report.update(listed)
    tail = Redactor(outcome.settings.privacy).json_text(",\n".join(json_items(listed)))
    write_text(run.staged(layout.report), "{\n", body[0], ",\n" + tail + "\n}\n")
    body[0].unlink()
    run.timings["report.json"] = time.perf_counter() - started  # this process's share, after the workbooks
    run.timings["report.json (bulk)"] = body[1]  # the rest, beside the workbooks
    return written + [layout.report]
