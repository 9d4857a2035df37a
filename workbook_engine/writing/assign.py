"""Two-way selection (双向选择): pair students with mentors, or form balanced communities and pair them.

Mode `students` (《学情会商制度实施方案》四(二), 导师与学生双向选择): student-proposing deferred acceptance with capacities — a stable matching.
Mode `communities` (《全员育人导师制实施方案》四.3, 选配导师): deal the class into N groups that mix 好/中/差, genders and special-attention
students alike, then match groups and subject mentors one to one (group-proposing deferred acceptance).
"""
from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from workbook_engine.catalogue import t
from workbook_engine.errors import UsageError
from workbook_engine.files import atomic_path
from workbook_engine.model import FileReport
from workbook_engine.reading.celltext import append_row, put
from workbook_engine.schema import CLASS_WORKBOOK
from workbook_engine.settings import Settings
from workbook_engine.validation.validate import validate_file
from workbook_engine.writing.annotate import editable_copy
from workbook_engine.writing.stable_save import save_openpyxl
from workbook_engine.writing.paper import PageText, openpyxl_page
from workbook_engine.writing.sheet import text_width

LEVELS = ("好", "中", "差")  # the roster's level words (schema data, what teachers pick from the dropdown)
GENDERS = ("男", "女")  # the roster's gender words (schema data)


@dataclass
class Assignment:
    student_id: str
    mentor_id: str | None
    choice: int | None  # 1, 2, 3 when one of the student's 志愿 was granted
    community: str | None
    reason: str = ""  # why no choice was granted: a key of the catalogue's "assign.reason." entries

    def to_dict(self) -> dict[str, Any]:
        return {"student_id": self.student_id, "mentor_id": self.mentor_id, "choice": self.choice,
                "community": self.community}


@dataclass
class AssignResult:
    mode: str
    assignments: list[Assignment]
    unmatched: list[dict[str, str]] = field(default_factory=list)
    capacity: dict[str, int] = field(default_factory=dict)
    groups: dict[str, list[str]] = field(default_factory=dict)  # community -> student ids

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        return {"mode": self.mode, "assignments": [a.to_dict() for a in self.assignments],
                "unmatched": [{**u, "reason": reason_text(u["reason"], lang)} for u in self.unmatched]}


def reason_text(reason: str, lang: str = "zh") -> str:
    """Why a student got no choice (or none at all), in words: reasons are kept as catalogue keys."""
    return t("assign.reason." + reason, lang) if reason else ""


@dataclass
class ClassBook:
    """What assignment needs from a class workbook."""

    students: list[dict[str, Any]]
    mentors: list[dict[str, Any]]  # available mentors, in sheet order
    choices: dict[str, list[str]]  # student -> mentor ids in order of preference
    wishes: dict[str, list[str]]  # mentor -> student ids in order
    report: FileReport


def read_class(path: Path, settings: Settings, lang: str = "zh") -> ClassBook:
    report = validate_file(path, settings)
    if report.unreadable or report.kind != "class":
        raise UsageError(t("assign.error.not_class", lang, path=path))
    students = [s for s in report.records("students")
                if s.get("student_id") and s.get("status") in (None, "在读")]  # (在读: the roster's status word)
    all_mentors = [m for m in report.records("mentors") if m.get("teacher_id")]
    by_name = {m.get("name"): m["teacher_id"] for m in all_mentors if m.get("name")}
    ids = {m["teacher_id"] for m in all_mentors}
    choices: dict[str, list[str]] = {}
    for r in report.records("choices"):
        picked = []
        for key in ("choice1", "choice2", "choice3"):
            v = (r.get(key) or "").strip()
            tid = v if v in ids else by_name.get(v)
            if tid and tid not in picked:
                picked.append(tid)
        if r.get("student_id"):
            choices[r["student_id"]] = picked
    wishes: dict[str, list[str]] = {}
    for r in sorted(report.records("wishes"), key=lambda r: (r.get("order") or 1e9, r["_row"])):
        if r.get("teacher_id") and r.get("student_id"):
            wishes.setdefault(r["teacher_id"], []).append(r["student_id"])
    return ClassBook(students, all_mentors, choices, wishes, report)


LEFT, HEAD_TEACHER = "离岗", "班主任"  # the mentor list's status and role words (schema data)


def available(mentors: list[dict[str, Any]], settings: Settings) -> list[dict[str, Any]]:
    return [m for m in mentors if m.get("status") != LEFT
            and (m.get("role") != HEAD_TEACHER or settings.assign.head_teacher_mentors)]


def capacities(mentors: list[dict[str, Any]], n_students: int, settings: Settings) -> dict[str, int]:
    """可带人数 where given; else the students divided by the mentors, rounded up; never above the ratio."""
    default = math.ceil(n_students / len(mentors)) if mentors else 0
    cap = settings.assign.max_per_mentor
    return {m["teacher_id"]: min(int(m["capacity"]) if m.get("capacity") else default, cap) for m in mentors}


def _balance_key(student: dict[str, Any], mentor_index: int, rng_order: dict[str, int]) -> tuple:
    """A mentor's order over students outside their own list: each mentor favours a different level and
    alternates on special-attention students, so the popular mentors' places spread the mix."""
    level = student.get("level")
    rotated = LEVELS[mentor_index % 3:] + LEVELS[:mentor_index % 3]
    attention_first = mentor_index % 2 == 0
    has_attention = bool(student.get("attention"))
    return (rotated.index(level) if level in rotated else 3,
            0 if has_attention == attention_first else 1,
            rng_order[student["student_id"]])


def mentor_rankings(book: ClassBook, mentors: list[dict[str, Any]], seed: int) -> dict[str, dict[str, int]]:
    """mentor -> student -> rank (lower is better): their 导师意向 list first, then balance."""
    rng = random.Random(seed)
    order = [s["student_id"] for s in book.students]
    rng.shuffle(order)
    rng_order = {sid: i for i, sid in enumerate(order)}
    ranks = {}
    for i, m in enumerate(mentors):
        tid = m["teacher_id"]
        wished = [sid for sid in book.wishes.get(tid, []) if sid in rng_order]
        rest = sorted((s for s in book.students if s["student_id"] not in wished),
                      key=lambda s: _balance_key(s, i, rng_order))
        ranking = wished + [s["student_id"] for s in rest]
        ranks[tid] = {sid: r for r, sid in enumerate(ranking)}
    return ranks


def deferred_acceptance(proposers: list[str], prefs: dict[str, list[str]], ranks: dict[str, dict[str, int]],
                        capacity: dict[str, int]) -> dict[str, str]:
    """Proposer-optimal stable matching: proposer -> receiver (absent when nobody acceptable took them)."""
    held: dict[str, list[str]] = {r: [] for r in capacity}
    nxt = {p: 0 for p in proposers}
    free = list(proposers)
    while free:
        p = free.pop(0)
        options = prefs.get(p, [])
        if nxt[p] >= len(options):
            continue
        r = options[nxt[p]]
        nxt[p] += 1
        if r not in held or capacity.get(r, 0) <= 0:
            free.append(p)
            continue
        held[r].append(p)
        held[r].sort(key=lambda x: ranks[r].get(x, 10**9))
        if len(held[r]) > capacity[r]:
            free.append(held[r].pop())
    return {p: r for r, ps in held.items() for p in ps}


def assign_students(book: ClassBook, settings: Settings, seed: int = 0,
                    keep: dict[str, str] | None = None, lang: str = "zh") -> AssignResult:
    """Mode `students`. `keep` (student -> mentor) holds pairings that must not change (repair)."""
    mentors = available(book.mentors, settings)
    if not mentors:
        raise UsageError(t("assign.error.no_mentors", lang))
    keep = {s: m for s, m in (keep or {}).items() if m in {x["teacher_id"] for x in mentors}}
    cap = capacities(mentors, len(book.students), settings)
    remaining = dict(cap)
    for m in keep.values():
        remaining[m] -= 1
    movers = [s["student_id"] for s in book.students if s["student_id"] not in keep]
    ranks = mentor_rankings(book, mentors, seed)
    prefs = {sid: [t for t in book.choices.get(sid, []) if t in cap] for sid in movers}
    matched = deferred_acceptance(movers, prefs, ranks, {m: max(v, 0) for m, v in remaining.items()})
    load = {m: cap[m] - remaining[m] for m in cap}
    for m in matched.values():
        load[m] += 1
    attention = {s["student_id"]: bool(s.get("attention")) for s in book.students}
    att_load = {m: 0 for m in cap}
    for sid, m in list(keep.items()) + list(matched.items()):
        att_load[m] += attention.get(sid, False)
    out, unmatched = [], []
    for s in book.students:
        sid = s["student_id"]
        if sid in keep:
            out.append(Assignment(sid, keep[sid], None, s.get("community"), "kept"))
            continue
        if sid in matched:
            m = matched[sid]
            out.append(Assignment(sid, m, prefs[sid].index(m) + 1, s.get("community")))
            continue
        # place where capacity remains, evening out load (and special-attention students)
        free = [m for m in cap if load[m] < cap[m]]
        if not free:
            unmatched.append({"student_id": sid, "reason": "full"})
            out.append(Assignment(sid, None, None, s.get("community"), "full"))
            continue
        m = min(free, key=lambda t: (load[t], att_load[t] if attention[sid] else 0, t))
        load[m] += 1
        att_load[m] += attention[sid]
        why = "no_choice" if not book.choices.get(sid) else "choices_full"
        out.append(Assignment(sid, m, None, s.get("community"), why))
    return AssignResult("students", out, unmatched, cap)


def form_groups(students: list[dict[str, Any]], n: int, seed: int = 0) -> dict[str, list[str]]:
    """N groups of near-equal size; per level the group counts differ by at most one; special-attention
    students and genders spread as evenly as those two allow (组内异质、组间同质). Greedy: each student,
    level by level with special-attention students first, joins the group with the fewest of their level,
    then the fewest special-attention students, then the fewest members, then the fewest of their gender."""
    rng = random.Random(seed)
    ordered: list[dict[str, Any]] = []
    for level in (*LEVELS, None):
        same = [s for s in students if (s.get("level") if s.get("level") in LEVELS else None) == level]
        rng.shuffle(same)
        same.sort(key=lambda s: (not s.get("attention"), s.get("gender") or ""))
        ordered += same
    names = [str(g + 1) for g in range(n)]
    groups: dict[str, list[str]] = {g: [] for g in names}
    count: dict[tuple[str, Any], int] = {}
    for s in ordered:
        lv = s.get("level") if s.get("level") in LEVELS else None
        att = bool(s.get("attention"))
        gender = s.get("gender")
        g = min(names, key=lambda g: (count.get((g, ("level", lv)), 0),
                                      count.get((g, "attention"), 0) if att else 0, len(groups[g]),
                                      count.get((g, ("gender", gender)), 0), int(g)))
        groups[g].append(s["student_id"])
        for k in (("level", lv), ("gender", gender)) + (("attention",) if att else ()):
            key = (g, k if k != ("attention",) else "attention")
            count[key] = count.get(key, 0) + 1
    # the greedy order can leave two sizes apart by two: move a student from the largest group to the
    # smallest, of a level the largest has more of (so levels stay within one), attention-neutral if it can
    by_id = {s["student_id"]: s for s in students}
    level_of = lambda sid: by_id[sid].get("level") if by_id[sid].get("level") in LEVELS else None  # noqa: E731
    for _ in range(len(students)):
        big = max(names, key=lambda g: (len(groups[g]), -int(g)))
        small = min(names, key=lambda g: (len(groups[g]), int(g)))
        if len(groups[big]) - len(groups[small]) <= 1:
            break
        def attention(g: str) -> int:
            return sum(bool(by_id[x].get("attention")) for x in groups[g])

        want_attention = attention(big) > attention(small)
        movable = [x for x in groups[big]
                   if sum(level_of(y) == level_of(x) for y in groups[big])
                   > sum(level_of(y) == level_of(x) for y in groups[small])]
        movable.sort(key=lambda x: (bool(by_id[x].get("attention")) != want_attention, x))
        moved = movable[0]
        groups[big].remove(moved)
        groups[small].append(moved)
    return groups


def assign_communities(book: ClassBook, settings: Settings, n_groups: int | None = None, seed: int = 0,
                       keep_groups: dict[str, list[str]] | None = None,
                       keep_mentors: dict[str, str] | None = None, lang: str = "zh") -> AssignResult:
    n = n_groups or settings.assign.groups
    mentors = available(book.mentors, settings)
    groups = keep_groups or form_groups(book.students, n, seed)
    if len(mentors) < len(groups) - len(keep_mentors or {}):
        raise UsageError(t("assign.error.few_mentors", lang, mentors=len(mentors), groups=len(groups)))
    ids = {m["teacher_id"] for m in mentors}
    keep_mentors = {g: m for g, m in (keep_mentors or {}).items() if m in ids}
    taken = set(keep_mentors.values())
    free_mentors = [m for m in mentors if m["teacher_id"] not in taken]
    open_groups = [g for g in groups if g not in keep_mentors]
    votes: dict[str, dict[str, int]] = {}
    for g in open_groups:
        tally: dict[str, int] = {}
        for sid in groups[g]:
            for rank, tid in enumerate(book.choices.get(sid, [])):
                tally[tid] = tally.get(tid, 0) + (3 - rank)
        votes[g] = tally
    prefs = {g: sorted((m["teacher_id"] for m in free_mentors), key=lambda t: (-votes[g].get(t, 0), t))
             for g in open_groups}
    ranks = {}
    for m in free_mentors:
        wished = book.wishes.get(m["teacher_id"], [])
        score = {g: sum(len(wished) - wished.index(s) for s in groups[g] if s in wished) for g in open_groups}
        ranks[m["teacher_id"]] = {g: r for r, g in enumerate(sorted(open_groups, key=lambda g: (-score[g], int(g))))}
    matched = deferred_acceptance(open_groups, prefs, ranks, {m["teacher_id"]: 1 for m in free_mentors})
    matched.update(keep_mentors)
    out: list[Assignment] = []
    unmatched: list[dict[str, Any]] = []
    for s in book.students:
        sid = s["student_id"]
        g = next(k for k, members in groups.items() if sid in members)
        mentor_id = matched.get(g)
        own = book.choices.get(sid, [])
        choice = own.index(mentor_id) + 1 if mentor_id in own else None
        why = "" if choice else ("no_choice" if not own else "community")
        out.append(Assignment(sid, mentor_id, choice, g, why))
        if mentor_id is None:
            unmatched.append({"student_id": sid, "reason": "no_mentor"})
    return AssignResult("communities", out, unmatched, {m["teacher_id"]: 1 for m in mentors}, groups)


def repair(book: ClassBook, settings: Settings, mode: str, seed: int = 0, lang: str = "zh") -> AssignResult:
    """Re-pair only the students (or the group) of mentors now 离岗; every other pairing stays."""
    active = {m["teacher_id"] for m in available(book.mentors, settings)}
    if mode == "students":
        keep = {s["student_id"]: s["mentor_id"] for s in book.students if s.get("mentor_id") in active}
        return assign_students(book, settings, seed, keep=keep, lang=lang)
    groups: dict[str, list[str]] = {}
    group_mentor: dict[str, str] = {}
    for s in book.students:
        g = s.get("community") or "1"
        groups.setdefault(g, []).append(s["student_id"])
        if s.get("mentor_id"):
            group_mentor.setdefault(g, s["mentor_id"])
    keep = {g: m for g, m in group_mentor.items() if m in active}
    return assign_communities(book, settings, len(groups), seed, keep_groups=groups, keep_mentors=keep, lang=lang)


CHANGE_LEFT, CHANGE_MOVED = "导师离岗", "学生调整"  # 结对变更's 原因 dropdown values (schema data)


def write_assigned(src: Path, out: Path, book: ClassBook, result: AssignResult, on: dt.date,
                   repairing: bool = False, lang: str = "zh") -> Path:
    """A new workbook (never the input): the roster's 导师工号, 导师姓名, 共同体 and 结对日期 filled, a
    结对变更 row for each student who moved from one mentor to another, and a sheet 分配说明 explaining per
    mentor and group the mix and each student's granted choice. A repair touches the 结对日期 of the students
    it moves and no other (a blank one means the term's start: filling it in would erase weeks of talks).
    The sheets and headers the validator reads keep their names; the notes sheet speaks `lang`."""
    if out.resolve() == src.resolve():
        raise UsageError(t("assign.error.same_file", lang, option="--out"))
    wb = editable_copy(src, book.report.format)
    roster = book.report.sheets["students"]
    ws = wb[roster.name]
    spec = CLASS_WORKBOOK.sheet("students")
    cols = dict(roster.columns)
    for fld in ("mentor_id", "mentor_name", "community", "paired_on"):
        if fld not in cols:
            col = ws.max_column + 1
            put(ws.cell(roster.header_row, col), spec.column(fld).header)
            cols[fld] = col
    names = {m["teacher_id"]: m.get("name") for m in book.mentors}
    by_id = {a.student_id: a for a in result.assignments}
    rows = {s["student_id"]: s["_row"] for s in book.students}
    before = {s["student_id"]: s for s in book.students}
    status = {m["teacher_id"]: m.get("status") for m in book.report.records("mentors") if m.get("teacher_id")}
    moves = []
    for sid, a in by_id.items():
        r = rows[sid]
        old = before[sid]
        changed = a.mentor_id != old.get("mentor_id")
        if changed and old.get("mentor_id") and a.mentor_id:
            moves.append([sid, old["mentor_id"], a.mentor_id, on,
                          CHANGE_LEFT if status.get(old["mentor_id"]) == LEFT else CHANGE_MOVED])
        put(ws.cell(r, cols["mentor_id"]), a.mentor_id)
        ws.cell(r, cols["mentor_id"]).number_format = "@"
        put(ws.cell(r, cols["mentor_name"]), names.get(a.mentor_id))
        if a.community is not None:
            put(ws.cell(r, cols["community"]), a.community)
        if changed or (not old.get("paired_on") and not repairing):
            put(ws.cell(r, cols["paired_on"]), on)
            ws.cell(r, cols["paired_on"]).number_format = "yyyy-mm-dd"
    if moves:
        _append_changes(wb, book, moves)
    _write_notes(wb, book, result, names, lang)
    with atomic_path(out) as tmp:
        save_openpyxl(wb, tmp)
    return out


# 分配说明's columns: the mix table uses all eight; the student table's reason spans the last three (F:H), so
# neither table's numbers sit in a wide column. 89 units: an A4 portrait page.
NOTE_WIDTHS = [18, 10, 10, 11, 12, 8, 8, 12]
REASON_WIDTH = sum(NOTE_WIDTHS[5:])


def _write_notes(wb: Any, book: ClassBook, result: AssignResult, names: dict[str | None, Any], lang: str) -> None:
    """The sheet 分配说明: the mode, each mentor's and community's mix, then each student's granted choice and
    why. A notes sheet of an earlier assignment (in either language) is replaced."""
    for old in {t("assign.sheet", "zh"), t("assign.sheet", "en")}:
        if old in wb.sheetnames:
            del wb[old]
    note = wb.create_sheet(t("assign.sheet", lang))
    bold, rule = Font(bold=True), Border(bottom=Side(style="thin"))

    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)

    def heading(values: list[Any], widths: Sequence[float]) -> None:
        append_row(note, values)
        for cell in note[note.max_row]:
            cell.font, cell.border, cell.alignment = bold, rule, centre
        lines = max(-(-text_width(v) // max(w - 2, 1)) for v, w in zip(values, widths))
        note.row_dimensions[note.max_row].height = 15 * max(lines, 1)  # wrapped headers: their height set

    append_row(note, [t("assign.mode", lang, mode=t("assign.mode." + result.mode, lang))])
    note["A1"].font = Font(bold=True, size=12)
    append_row(note, [])
    heading([t("assign.col." + k, lang) for k in ("who", "count", "good", "mid", "low", "boys", "girls",
                                                  "attention")], NOTE_WIDTHS)
    students = {s["student_id"]: s for s in book.students}

    def mix(label: str, members: list[str]) -> None:
        ss = [students[x] for x in members]
        append_row(note, [label, len(ss), *(sum(s.get("level") == lv for s in ss) for lv in LEVELS),
                          *(sum(s.get("gender") == g for s in ss) for g in GENDERS),
                          sum(bool(s.get("attention")) for s in ss)])
        for cell in note[note.max_row][1:]:
            cell.alignment = centre

    for m in book.mentors:
        members = [a.student_id for a in result.assignments if a.mentor_id == m["teacher_id"]]
        if members:
            mix(f"{m.get('name') or ''} {m['teacher_id']}", members)
    for g, members in sorted(result.groups.items()):
        mix(t("assign.community", lang, g=g), members)
    append_row(note, [])
    heading([t("assign.col." + k, lang) for k in ("student_id", "name", "mentor", "community", "choice", "reason")],
            [*NOTE_WIDTHS[:5], REASON_WIDTH])
    note.merge_cells(start_row=note.max_row, start_column=6, end_row=note.max_row, end_column=8)
    top = Alignment(wrap_text=True, vertical="top")
    for a in result.assignments:
        reason = reason_text(a.reason, lang)
        append_row(note, [a.student_id, students[a.student_id].get("name"), names.get(a.mentor_id) or "",
                          a.community, t("assign.choice", lang, n=a.choice) if a.choice else t("assign.no_choice", lang),
                          reason])
        r = note.max_row
        note.merge_cells(start_row=r, start_column=6, end_row=r, end_column=8)
        for cell in note[r][:6]:
            cell.alignment = top
        lines = -(-text_width(reason) // (REASON_WIDTH - 2)) if reason else 1
        if lines > 1:  # a merged cell's wrapped text gets no height of its own in Excel or LibreOffice
            note.row_dimensions[r].height = 15 * lines
    for c, w in enumerate(NOTE_WIDTHS, start=1):
        note.column_dimensions[get_column_letter(c)].width = w
    info = book.report.class_info or {}
    where = " ".join(str(v) for v in (info.get("school"), info.get("class_name")) if v)
    openpyxl_page(note, PageText(t("assign.title", lang), where, lang=lang), NOTE_WIDTHS)


def _append_changes(wb: Any, book: ClassBook, moves: list[list[Any]]) -> None:
    """One 结对变更 row per moved student, below the sheet's rows (the sheet made with its headers if missing)."""
    spec = CLASS_WORKBOOK.sheet("pair_changes")
    data = book.report.sheets.get("pair_changes")
    if data is not None and data.name in wb.sheetnames and data.header_row:
        ws = wb[data.name]
        cols = dict(data.columns)
        header = data.header_row
        row = max([header, *(r["_row"] for r in data.records)]) + 1
    else:
        ws = wb.create_sheet(spec.name)
        cols, header, row = {}, 1, 2
    for c in spec.columns:
        if c.field not in cols:
            cols[c.field] = max([0, *cols.values()]) + 1
            put(ws.cell(header, cols[c.field]), c.template_header)
    for move in moves:
        for c, value in zip(spec.columns, move):
            cell = ws.cell(row, cols[c.field])
            put(cell, value)
            cell.number_format = "yyyy-mm-dd" if c.kind == "date" else "@" if c.kind == "id" else cell.number_format
        row += 1


def run_assign(path: str | Path, out: str | Path, settings: Settings | None = None, mode: str | None = None,
               groups: int | None = None, seed: int = 0, repair_mode: bool = False,
               on: dt.date | None = None, lang: str = "zh") -> AssignResult:
    settings = settings or Settings()
    mode = mode or settings.assign.mode
    book = read_class(Path(path), settings, lang)
    if repair_mode:
        result = repair(book, settings, mode, seed, lang)
    elif mode == "students":
        result = assign_students(book, settings, seed, lang=lang)
    else:
        result = assign_communities(book, settings, groups, seed, lang=lang)
    write_assigned(Path(path), Path(out), book, result, on or dt.date.today(), repairing=repair_mode, lang=lang)
    return result
