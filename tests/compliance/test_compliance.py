"""Compliance against hand-computed calendars: exempt weeks, make-up days, pairing, leaving, wrong teachers."""
from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from tests.builders import class_book
from workbook_engine.compliance.compute import compute
from workbook_engine.model import Merged
from workbook_engine.pipeline import run_inbox
from workbook_engine.settings import Settings
from workbook_engine.writing.samples import make_class, school_toml, write_messy

D = dt.date
TERM = (D(2026, 9, 1), D(2027, 1, 22))
CLS = "七年级1班"


def school(talk_frequency: str = "weekly", workday: bool = True) -> Settings:
    """国庆 10-01..10-07 (Thu–Wed), 期中考试 11-09..11-13, and Saturday 10-10 worked as a make-up day."""
    return Settings.model_validate({
        "term": {"school_year": "2026-2027", "term": "第一学期", "start": TERM[0], "end": TERM[1],
                 "holidays": [{"name": "国庆节", "start": D(2026, 10, 1), "end": D(2026, 10, 7)},
                              {"name": "期中考试", "start": D(2026, 11, 9), "end": D(2026, 11, 13)}],
                 "workdays": [{"date": D(2026, 10, 10), "note": "调休"}] if workday else []},
        "policy": {"talk_frequency": talk_frequency},
    })


def student(sid, mentor="T1", paired=None, status="在读", left=None, attention=(), community="1"):
    return {"_class": CLS, "student_id": sid, "name": f"学生{sid}", "mentor_id": mentor, "paired_on": paired,
            "status": status, "left_on": left, "attention": list(attention), "community": community}


def talk(sid, day, teacher="T1", escalate="否"):
    return {"_class": CLS, "student_id": sid, "teacher_id": teacher, "date": day, "escalate": escalate}


S1_TALKS = [D(2026, 9, 2), D(2026, 9, 8), D(2026, 9, 15), D(2026, 9, 16), D(2026, 9, 22), D(2026, 9, 29),
            D(2026, 10, 8), D(2026, 10, 13), D(2026, 10, 27), D(2026, 11, 3), D(2026, 11, 10)]
S3_TALKS = [D(2026, 9, 2), D(2026, 9, 8), D(2026, 9, 14), D(2026, 9, 21), D(2026, 9, 28), D(2026, 10, 9),
            D(2026, 10, 12)]


def merged() -> Merged:
    m = Merged()
    m.records["mentors"] = [{"_class": CLS, "teacher_id": "T1", "name": "王老师", "role": "科任导师"},
                            {"_class": CLS, "teacher_id": "T2", "name": "李老师", "role": "科任导师"}]
    m.records["students"] = [
        student("S1", attention=["留守儿童"]),
        student("S2", paired=D(2026, 10, 19)),
        student("S3", status="转出", left=D(2026, 10, 14)),
        student("S4"),
        student("S6", mentor="T2", community="2"),
    ]
    talks = [talk("S1", d) for d in S1_TALKS]
    talks += [talk("S2", D(2026, 10, 14)), talk("S2", D(2026, 10, 20)), talk("S2", D(2026, 11, 3))]
    talks += [talk("S3", d) for d in S3_TALKS]
    talks += [talk("S4", d, teacher="T2") for d in S1_TALKS]  # by another teacher: kept, never counted
    talks[0]["escalate"] = "是"
    m.records["talks"] = talks
    m.records["contacts"] = [talk("S1", D(2026, 9, 10)), talk("S1", D(2026, 10, 20)), talk("S3", D(2026, 9, 20))]
    m.records["studies"] = [{"_class": CLS, "date": d} for d in (D(2026, 9, 3), D(2026, 9, 10), D(2026, 9, 11))]
    m.records["community"] = [{"_class": CLS, "date": D(2026, 9, 21), "community": "1"},
                              {"_class": CLS, "date": D(2026, 10, 21), "community": "1"},
                              {"_class": CLS, "date": D(2026, 10, 22), "community": "2"}]
    m.records["archive"] = [{"_class": CLS, "student_id": "S1", "date": D(2026, 9, 30)}]
    m.records["paperwork"] = [{"_class": CLS, "teacher_id": "T1", "plan_date": D(2026, 9, 10)},
                              {"_class": CLS, "teacher_id": "T2", "plan_date": D(2026, 9, 25)}]
    return m


def by_id(comp):
    return {s["student_id"]: s for s in comp.students}


AS_OF = D(2026, 11, 15)
WEEKS = ["2026-08-31", "2026-09-07", "2026-09-14", "2026-09-21", "2026-09-28", "2026-10-05", "2026-10-12",
         "2026-10-19", "2026-10-26", "2026-11-02"]  # 2026-11-09 is the exam week, exempt


def test_weekly_across_an_exempt_week_with_a_make_up_day():
    comp = compute(merged(), school(), TERM, AS_OF)
    s = by_id(comp)
    # 10 due weeks: the exam week is exempt, the National Day week is due thanks to Saturday's make-up day
    assert s["S1"]["talk_periods_expected"] == 10
    assert s["S1"]["talk_periods_met"] == 9  # two talks in the week of 09-14 count once, none in 10-19
    assert s["S1"]["missing_talk_periods"] == ["2026-10-19"]
    assert s["S1"]["last_talk"] == "2026-11-10"
    assert s["S6"]["missing_talk_periods"] == WEEKS  # no talks at all: every due week, never the exam week
    grid = comp.grid
    state = lambda sid, period, rule="talk": grid[(grid.student_id == sid) & (grid.rule == rule)  # noqa: E731
                                                  & (grid.name == period)].state.item()
    assert state("S6", "2026-11-09") == "exempt" and state("S1", "2026-11-09") == "met"  # a talk is shown even when exempt
    assert state("S1", "2026-11-16") == "future"
    assert state("S1", "2026-10-19") == "missed"
    assert state("S2", "2026-09-07") == "unpaired"


def test_without_the_make_up_day_the_national_day_week_is_exempt():
    s = by_id(compute(merged(), school(workday=False), TERM, AS_OF))
    assert s["S1"]["talk_periods_expected"] == 9 and s["S1"]["talk_periods_met"] == 8
    assert "2026-10-05" not in s["S6"]["missing_talk_periods"]


def test_paired_mid_term_left_and_wrong_teacher():
    s = by_id(compute(merged(), school(), TERM, AS_OF))
    # paired Monday 10-19: due 10-19, 10-26, 11-02; the talk of 10-14 came before pairing
    assert (s["S2"]["talk_periods_expected"], s["S2"]["talk_periods_met"]) == (3, 2)
    assert s["S2"]["missing_talk_periods"] == ["2026-10-26"]
    assert s["S2"]["parent_periods_expected"] == 0  # fewer than half of October's weekdays after pairing
    # left Wednesday 10-14: weeks up to 10-12 (three of its five weekdays enrolled) are due
    assert (s["S3"]["talk_periods_expected"], s["S3"]["talk_periods_met"]) == (7, 7)
    assert s["S3"]["parent_periods_expected"] == 1 and s["S3"]["parent_periods_met"] == 1
    # every talk with S4 was by T2, not S4's mentor T1: none counts
    assert (s["S4"]["talk_periods_expected"], s["S4"]["talk_periods_met"]) == (10, 0)
    assert s["S4"]["last_talk"] is None


def test_semimonthly_policy():
    s = by_id(compute(merged(), school("semimonthly"), TERM, AS_OF))
    # 09-01, 09-16, 10-01, 10-16 and 11-01 (five of its ten weekdays are teaching days before the exams)
    assert s["S1"]["talk_periods_expected"] == 5 and s["S1"]["talk_periods_met"] == 5
    assert s["S6"]["missing_talk_periods"] == ["2026-09-01", "2026-09-16", "2026-10-01", "2026-10-16", "2026-11-01"]


def test_parent_contacts_mentors_classes_and_overdue():
    comp = compute(merged(), school(), TERM, AS_OF)
    s = by_id(comp)
    assert (s["S1"]["parent_periods_expected"], s["S1"]["parent_periods_met"]) == (2, 2)
    assert s["S1"]["missing_parent_periods"] == [] and s["S6"]["missing_parent_periods"] == ["2026-09-01", "2026-10-01"]
    assert s["S1"]["escalated"] and s["S1"]["attention"] == ["留守儿童"]
    assert (s["S1"]["archive_periods_expected"], s["S1"]["archive_periods_met"]) == (2, 1)
    mentors = {m["teacher_id"]: m for m in comp.mentors}
    t1 = mentors["T1"]
    # S1, S2, S3, S4 are T1's; S3 left on 10-14, so on 11-15 T1's load is 3 — the periods S3 was due still count
    assert t1["mentees"] == 3
    assert (t1["talk_periods_expected"], t1["talk_periods_met"]) == (10 + 3 + 7 + 10, 9 + 2 + 7 + 0)
    assert t1["talk_rate"] == round(18 / 30, 4) and t1["status"] == "off_track"
    assert t1["plan_on_time"] is True and mentors["T2"]["plan_on_time"] is False
    assert t1["summary_on_time"] is None  # not due before the term ends
    cls = comp.classes[0]
    assert (cls["study_weeks_expected"], cls["study_weeks_met"]) == (10, 2)
    assert (cls["community_months_expected"], cls["community_months_met"]) == (2, 2)  # per class (default)
    per_community = school()
    per_community.policy.community_meeting = "per_community"
    cls = compute(merged(), per_community, TERM, AS_OF).classes[0]
    assert (cls["community_months_expected"], cls["community_months_met"]) == (4, 3)
    overdue = {(o["student_id"], o["rule"]) for o in comp.overdue}
    assert ("S6", "talk") in overdue and ("S1", "talk") not in overdue  # S1 talked in the exam week
    assert not any(o["student_id"] == "S3" for o in comp.overdue)  # left the school


def test_bands_at_their_boundaries():
    from workbook_engine.compliance.result import band

    s = Settings()
    assert band(0.95, s) == "on_track" and band(0.9499, s) == "needs_attention"
    assert band(0.80, s) == "needs_attention" and band(0.7999, s) == "off_track"
    assert band(None, s) == "on_track"


def test_dates_typed_as_text_give_the_same_figures(tmp_path):
    data = make_class(8, 7, 3, students=10, mentors=2, until=D(2026, 11, 20))
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    class_book(a, data, "七年级3班.xlsx")
    write_messy(data, b / "七年级3班.xlsx")  # text dates, numeric ids, title row, renamed columns
    toml = school_toml(["七年级3班"])
    (a / "school.toml").write_text(toml, encoding="utf-8")
    (b / "school.toml").write_text(toml, encoding="utf-8")
    ra = run_inbox(a, tmp_path / "oa", as_of=D(2026, 11, 20))
    rb = run_inbox(b, tmp_path / "ob", as_of=D(2026, 11, 20))
    assert ra.report["students"] == rb.report["students"]
    assert ra.report["mentors"] == rb.report["mentors"]
    assert sum(s["talk_periods_met"] for s in ra.report["students"]) > 50


days = st.dates(D(2026, 9, 1), D(2026, 11, 15))


@hsettings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["S1", "S2", "S3", "S4", "S6"]), days, st.sampled_from(["T1", "T2"])),
                max_size=40),
       st.sampled_from(["S1", "S2", "S3", "S4", "S6"]), days)
def test_met_never_exceeds_expected_and_a_talk_never_lowers_met(extra, sid, day):
    m = merged()
    m.records["talks"] = m.records["talks"] + [talk(s, d, t) for s, d, t in extra]
    before = by_id(compute(m, school(), TERM, AS_OF))
    for s in before.values():
        assert 0 <= s["talk_periods_met"] <= s["talk_periods_expected"]
        assert s["talk_periods_expected"] - s["talk_periods_met"] == len(s["missing_talk_periods"])
    m.records["talks"].append(talk(sid, day))
    after = by_id(compute(m, school(), TERM, AS_OF))
    for k in before:
        assert after[k]["talk_periods_met"] >= before[k]["talk_periods_met"]
        assert after[k]["talk_periods_expected"] == before[k]["talk_periods_expected"]
