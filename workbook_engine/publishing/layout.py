"""Where a run's outputs go in OUT: every path built here and only here, from validated parts (the term's folder
from term.term_folder_name, class and teacher names made safe and unique)."""
from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from workbook_engine.files import safe_file_name
from workbook_engine.privacy import mask_numbers
from workbook_engine.term import school_year, term_folder_name, term_name

REPORT_NAME = "report.json"
SENT_LOG = ".workbook-engine-sent.json"  # in OUT: which feedback book went to whom (mail.send); a second send skips it


FEEDBACK_FOLDER = "班级反馈"


HANDBOOK_FOLDER = "导师手册"


def feedback_files(classes: Iterable[str | None]) -> dict[str | None, str]:
    """Class -> its feedback book's path relative to OUT, the one mapping `run` and `send-feedback` share.
    A class whose name is already a safe, unique file name keeps it (`班级反馈/三年级1班.xlsx`); any other
    (changed by sanitising, or equal to another's ignoring case) gets a suffix from its own name's hash,
    so the same class always gets the same file and two classes never share one, in whatever order."""
    return unique_files(FEEDBACK_FOLDER, {c: c or "" for c in classes})


def handbook_files(teachers: Iterable[tuple[str, str | None]]) -> dict[str, str]:
    """工号 -> the teacher's 导师工作手册 relative to OUT (`导师手册/<工号>_<姓名>.xlsx`), safe and collision-free
    as feedback_files makes them."""
    return unique_files(HANDBOOK_FOLDER, {tid: f"{tid}_{name}" if name else tid for tid, name in teachers})


def unique_files(folder: str, names: dict[Any, str]) -> dict[Any, str]:
    """key -> `folder/<name>.xlsx`: a name that is already a safe file name, unique ignoring case, is kept; any
    other gets a suffix from its own text's hash (the same name always the same file, in whatever order)."""
    safe = {k: mask_numbers(safe_file_name(n), mask="_") for k, n in names.items()}  # no phone or ID number either
    folded = Counter(s.casefold() for s in safe.values())
    out: dict[Any, str] = {}
    taken: set[str] = set()
    for k in sorted(names, key=lambda k: (safe[k] != names[k], str(k))):
        name = safe[k]
        if name != names[k] or folded[name.casefold()] > 1 or name.casefold() in taken:
            digest = hashlib.sha256(names[k].encode("utf-8")).hexdigest()
            n = 6
            while f"{name}-{digest[:n]}".casefold() in taken:
                n += 2
            name = f"{name}-{digest[:n]}"
        taken.add(name.casefold())
        out[k] = f"{folder}/{name}.xlsx"
    return out


@dataclass
class OutputLayout:
    """Every file a run writes, as paths relative to OUT built here and only here, from validated parts:
    the term must be a `YYYY-YYYY` school year and 第一/第二学期 to appear in a name, class names pass
    through feedback_files. `path()` resolves a relative path under a root and refuses any that would leave it."""

    merged: str
    summary: str
    feedback: dict[str | None, str]
    assignment: str = ""  # 导师分工明细表 (the form every class signs)
    handbooks: dict[str, str] = field(default_factory=dict)  # 工号 -> 导师手册 (with `run --handbooks`)
    report: str = REPORT_NAME

    folder: str = ""  # the term's folder (term_folder_name); every path above lies inside it

    @classmethod
    def build(cls, year: Any, term: Any, classes: Iterable[str | None]) -> OutputLayout:
        suffix = f"{school_year(year) or ''}{term_name(term) or ''}"
        folder = term_folder_name(year, term)
        name = (lambda prefix: f"{folder}/{prefix}_{suffix}.xlsx") if suffix else \
            (lambda prefix: f"{folder}/{prefix}.xlsx")
        feedback = {c: f"{folder}/{rel}" for c, rel in feedback_files(classes).items()}
        return cls(name("合并数据"), name("汇总"), feedback, name("导师分工明细表"), report=f"{folder}/{REPORT_NAME}",
                   folder=folder)

    def with_handbooks(self, teachers: Iterable[tuple[str, str | None]]) -> None:
        """The 导师手册 paths, once the run knows its teachers (工号, name)."""
        self.handbooks = {tid: f"{self.folder}/{rel}" for tid, rel in handbook_files(teachers).items()}
