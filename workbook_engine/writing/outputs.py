"""A run's workbooks as plain pieces of work: the merged book, the summary, the feedback books, the
导师分工明细表 and (with `run --handbooks`) the 导师工作手册, each written into the run's stage; then every output
listed in report.json with its SHA-256 (record_outputs).

Which process writes which is not decided here: execution.write_outputs runs these pieces (the merged book and
the summary in children beside this process where the platform allows, the handbooks shared between several).
"""
from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, Callable

from workbook_engine.files import sha256_of, write_json
from workbook_engine.privacy import Redactor
from workbook_engine.writing.books import write_merged_book
from workbook_engine.writing.feedback import write_feedback_books
from workbook_engine.writing.forms import by_teacher, write_assignment_form, write_handbook
from workbook_engine.writing.summary import write_summary

if TYPE_CHECKING:
    from workbook_engine.pipeline import RunResult


class RunOutputs:
    """The workbooks of one term's run, as methods that each write their share into the stage. `timings` is the
    run's (stage -> seconds)."""

    def __init__(self, result: RunResult) -> None:
        assert result.layout is not None
        self.result = result
        self.layout = result.layout
        self.timings = result.timings
        self.merged_target = result.staged(self.layout.merged)
        self._handbooks: list[tuple[dict[str, Any], str]] | None = None
        self._own: dict[str, dict[str, list[Any]]] = {}

    def merged_book(self, compliance: Callable[[], Any]) -> float:
        """The merged data book; begun as soon as the rows are merged, its data sheets need no compliance, and
        compliance() gives the grids' data once computed. Returns the seconds it took."""
        started = time.perf_counter()
        write_merged_book(self.result, self.merged_target, self.result.lang, compliance=compliance)
        return time.perf_counter() - started

    @property
    def compliance(self) -> Any:
        return self.result.compliance

    @property
    def with_compliance(self) -> bool:
        """The summary and the feedback books: written when the term's compliance is known."""
        return self.result.compliance is not None

    def share(self) -> None:
        """What the books below compute once (the compliance's derived tables), before any child is started, so
        that children share it instead of computing it again."""
        self.result.compliance.warm()

    def summary(self) -> float:
        """The principal's summary; returns the seconds it took."""
        started = time.perf_counter()
        write_summary(self.result, self.result.staged(self.layout.summary))
        return time.perf_counter() - started

    def feedback_books(self) -> None:
        started = time.perf_counter()
        write_feedback_books(self.result)
        self.timings["feedback books"] = time.perf_counter() - started

    @property
    def with_forms(self) -> bool:
        """The forms (forms.py): written when a class sent its workbook."""
        return bool(self.result.merged.class_files)

    def assignment_form(self) -> None:
        write_assignment_form(self.result, self.result.staged(self.layout.assignment))

    def handbooks(self) -> int:
        """How many 导师工作手册 there are to write (each teacher's own data grouped here, once, for every part)."""
        result = self.result
        if self._handbooks is None:
            self._handbooks = []
            if result.compliance is not None and self.layout.handbooks:
                handbooks = self.layout.handbooks
                self._handbooks = [(who, handbooks[who["teacher_id"]]) for who in result.teachers
                                   if who["teacher_id"] in handbooks]
                self._own = by_teacher(result)
        return len(self._handbooks)

    def handbook_part(self, part: int, parts: int) -> None:
        """Every `parts`-th handbook from the `part`-th (handbooks() first)."""
        for who, rel in (self._handbooks or [])[part::parts]:
            write_handbook(self.result, who, self._own.get(who["teacher_id"], {}), self.result.staged(rel))

    def written(self) -> list[str]:
        """The workbooks written, relative to OUT: the merged book, the summary and the feedback books, the
        assignment form and the handbooks (in result.teachers order)."""
        layout, files = self.layout, self.result.merged.class_files
        out = [layout.merged]
        if self.with_compliance:
            out += [layout.summary, *(layout.feedback[f.class_name] for f in files)]
        if self.with_forms:
            self.handbooks()
            out += [layout.assignment, *(rel for _, rel in self._handbooks or [])]
        return out


def record_outputs(result: RunResult, written: list[str]) -> list[str]:
    """report.json, listing every output written (relative to OUT) with its SHA-256, and each class's feedback
    book; returns the outputs, report.json last."""
    layout = result.layout
    assert layout is not None
    started = time.perf_counter()
    hashes = {rel: sha256_of(result.staged(rel)) for rel in written}
    result.report["outputs"] = [{"path": rel, "sha256": hashes[rel]} for rel in written]
    if result.compliance is not None:
        result.report["feedback"] = [{"class": f.class_name, "path": layout.feedback[f.class_name],
                                      "sha256": hashes[layout.feedback[f.class_name]]}
                                     for f in result.merged.class_files]
    else:
        result.report["feedback"] = []
    write_json(result.staged(layout.report), result.report, mask=Redactor(result.settings.privacy).json_text)
    result.timings["report.json"] = time.perf_counter() - started
    return written + [layout.report]


