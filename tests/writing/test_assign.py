"""Two-way selection: stable, capacity-respecting pairing; balanced communities; repair after a mentor leaves."""
from __future__ import annotations

import datetime as dt
import json
import random
from collections import Counter
from pathlib import Path

import openpyxl
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from tests.builders import class_book, sha256
from workbook_engine.cli import main
from workbook_engine.settings import Settings
from workbook_engine.writing.assign import available, capacities, form_groups, mentor_rankings, read_class, run_assign
from workbook_engine.writing.samples import make_class

ON = dt.date(2026, 9, 7)


def _class_file(tmp_path: Path, *, students=30, mentors=4, popular: str | None = None, seed=1) -> Path:
    c = make_class(9, 7, 5, students=students, mentors=mentors, until=dt.date(2026, 9, 5))
    rng = random.Random(seed)
    ids = [m["teacher_id"] for m in c.sheets["mentors"][1:]]
    c.sheets["choices"] = []
    for s in c.sheets["students"]:
        picks = rng.sample(ids, 3) if len(ids) >= 3 else ids
        if popular:
            picks = [popular] + [p for p in picks if p != popular][:2]
        name_or_id = [picks[0], c.sheets["mentors"][ids.index(picks[1]) + 1]["name"], picks[2]]  # a name works too
        c.sheets["choices"].append({"student_id": s["student_id"], "student_name": s["name"],
                                    "choice1": name_or_id[0], "choice2": name_or_id[1], "choice3": name_or_id[2]})
        s["mentor_id"] = s["mentor_name"] = None
        s["community"] = None
    wished = [s["student_id"] for s in c.sheets["students"]][-4:]
    c.sheets["wishes"] = [{"teacher_id": ids[0], "student_id": sid, "order": i + 1} for i, sid in enumerate(wished)]
    return class_book(tmp_path, c, "七年级5班.xlsx")


def test_students_mode_is_stable_and_within_capacity(tmp_path):
    path = _class_file(tmp_path)
    settings = Settings()
    result = run_assign(path, tmp_path / "out.xlsx", settings, "students", seed=3, on=ON)
    book = read_class(path, settings)
    mentors = available(book.mentors, settings)
    cap = capacities(mentors, len(book.students), settings)
    assert cap == {m["teacher_id"]: 8 for m in mentors}  # 30 students / 4 mentors, rounded up
    load = Counter(a.mentor_id for a in result.assignments)
    assert all(load[m] <= cap[m] for m in cap) and None not in load
    assert "070500" not in load  # the head teacher is not a mentor in the split
    ranks = mentor_rankings(book, mentors, 3)
    got = {a.student_id: a for a in result.assignments}
    for a in result.assignments:
        prefs = book.choices[a.student_id]
        better = prefs[: a.choice - 1] if a.choice else prefs
        for m in better:  # a mentor the student prefers: full, and every student there ranked above
            mine = [x for x in got.values() if x.mentor_id == m]
            assert len(mine) == cap[m]
            assert all(ranks[m][x.student_id] < ranks[m][a.student_id] for x in mine if x.choice)
    assert sum(a.choice == 1 for a in result.assignments) > 10


def test_heavy_demand_for_one_mentor(tmp_path):
    star = "070501"
    path = _class_file(tmp_path, popular=star)
    result = run_assign(path, tmp_path / "out.xlsx", Settings(), "students", seed=0, on=ON)
    at_star = [a.student_id for a in result.assignments if a.mentor_id == star]
    assert len(at_star) == 8
    book = read_class(path, Settings())
    assert set(book.wishes[star]) <= set(at_star)  # the mentor's own requests are served first
    loads = Counter(a.mentor_id for a in result.assignments)
    assert max(loads.values()) - min(loads.values()) <= 2 and not result.unmatched


def test_communities_are_balanced_with_one_mentor_each(tmp_path):
    path = _class_file(tmp_path, students=31)
    result = run_assign(path, tmp_path / "out.xlsx", Settings(), "communities", groups=4, seed=5, on=ON)
    book = read_class(path, Settings())
    level = {s["student_id"]: s.get("level") for s in book.students}
    attention = {s["student_id"]: bool(s.get("attention")) for s in book.students}
    sizes = [len(v) for v in result.groups.values()]
    assert len(sizes) == 4 and max(sizes) - min(sizes) <= 1 and sum(sizes) == len(book.students) == 30  # one left
    for lv in ("好", "中", "差"):
        counts = [sum(level[s] == lv for s in members) for members in result.groups.values()]
        assert max(counts) - min(counts) <= 1, lv
    att = [sum(attention[s] for s in members) for members in result.groups.values()]
    assert max(att) - min(att) <= 1
    mentor_of = {}
    for a in result.assignments:
        assert mentor_of.setdefault(a.community, a.mentor_id) == a.mentor_id  # one mentor per group
    assert len(set(mentor_of.values())) == 4 and None not in mentor_of.values()


def test_output_is_a_new_explained_workbook_and_deterministic(tmp_path, capsys):
    path = _class_file(tmp_path)
    before = sha256(path)
    out = tmp_path / "分配结果.xlsx"
    assert main(["assign", str(path), "--out", str(out), "--seed", "7", "--json", "-", "--date", "2026-09-07"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert set(first) == {"mode", "assignments", "unmatched"} and first["mode"] == "students"
    assert set(first["assignments"][0]) == {"student_id", "mentor_id", "choice", "community"}
    assert main(["assign", str(path), "--out", str(tmp_path / "again.xlsx"), "--seed", "7", "--json", "-"]) == 0
    assert json.loads(capsys.readouterr().out) == first
    assert sha256(path) == before
    assert main(["assign", str(path), "--out", str(path)]) == 2  # never the input
    wb = openpyxl.load_workbook(out)
    roster = wb["学生名册"]
    assert roster["F2"].value == first["assignments"][0]["mentor_id"] and roster["G2"].value
    assert roster["H2"].value.date() == ON
    note = [r for r in wb["分配说明"].iter_rows(values_only=True)]
    assert any(r[0] == "学号" for r in note) and any(r and r[4] == "第1志愿" for r in note)


def _leave(path: Path, teacher_id: str) -> None:
    wb = openpyxl.load_workbook(path)
    for row in wb["导师名单"].iter_rows(min_row=2):
        if row[0].value == teacher_id:
            row[7].value = "离岗"
    wb.save(path)


def test_repair_in_students_mode_touches_only_the_leaving_mentors_students(tmp_path):
    path = _class_file(tmp_path)
    first = run_assign(path, tmp_path / "assigned.xlsx", Settings(), "students", seed=2, on=ON)
    leaving = "070502"
    _leave(tmp_path / "assigned.xlsx", leaving)
    second = run_assign(tmp_path / "assigned.xlsx", tmp_path / "repaired.xlsx", Settings(), "students",
                        seed=2, repair_mode=True, on=dt.date(2026, 11, 2))
    old = {a.student_id: a.mentor_id for a in first.assignments}
    new = {a.student_id: a.mentor_id for a in second.assignments}
    moved = {s for s in old if old[s] != new[s]}
    assert moved == {s for s in old if old[s] == leaving} and moved
    assert leaving not in new.values() and not second.unmatched
    roster = openpyxl.load_workbook(tmp_path / "repaired.xlsx")["学生名册"]
    dates = {r[0].value: r[7].value for r in roster.iter_rows(min_row=2) if r[0].value}
    assert all((dates[s].date() == dt.date(2026, 11, 2)) == (s in moved) for s in old)


def test_repair_in_communities_mode_hands_the_group_to_a_free_mentor(tmp_path):
    path = _class_file(tmp_path, mentors=5)
    first = run_assign(path, tmp_path / "assigned.xlsx", Settings(), "communities", groups=4, seed=2, on=ON)
    group_mentor = {a.community: a.mentor_id for a in first.assignments}
    leaving = group_mentor["1"]
    _leave(tmp_path / "assigned.xlsx", leaving)
    second = run_assign(tmp_path / "assigned.xlsx", tmp_path / "repaired.xlsx", Settings(), "communities",
                        seed=2, repair_mode=True)
    after = {a.community: a.mentor_id for a in second.assignments}
    assert after["1"] not in (leaving, None) and after["1"] not in group_mentor.values()
    assert {g: m for g, m in after.items() if g != "1"} == {g: m for g, m in group_mentor.items() if g != "1"}
    assert {a.student_id: a.community for a in second.assignments} == {a.student_id: a.community for a in first.assignments}


@hsettings(max_examples=80, deadline=None)
@given(st.integers(12, 50), st.sampled_from([4, 5]), st.integers(0, 10**6))
def test_groups_are_alike_for_any_class(n, groups, seed):
    r = random.Random(seed)
    students = [{"student_id": str(i), "level": r.choice(["好", "中", "差"]), "gender": r.choice(["男", "女"]),
                 "attention": ["留守儿童"] if r.random() < 0.2 else []} for i in range(n)]
    made = form_groups(students, groups, seed)
    by_id = {s["student_id"]: s for s in students}
    assert sorted(x for g in made.values() for x in g) == sorted(by_id)  # everyone, once
    spread = lambda f: max(f(g) for g in made.values()) - min(f(g) for g in made.values())  # noqa: E731
    assert spread(len) <= 1
    assert spread(lambda g: sum(bool(by_id[x]["attention"]) for x in g)) <= 1
    for lv in ("好", "中", "差"):
        assert spread(lambda g, lv=lv: sum(by_id[x]["level"] == lv for x in g)) <= 1
