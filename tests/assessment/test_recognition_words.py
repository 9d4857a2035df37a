"""Recognition in the run's language: each award's basis, the helpful stars and the mentor of the year, in Chinese
by default and in English with --lang en."""
from __future__ import annotations

import pandas as pd

from workbook_engine.assessment.across_terms import yearly_recognition
from workbook_engine.assessment.scoring import helpful_stars, recognition
from workbook_engine.settings import Settings


def _recognition(lang: str) -> list[dict]:
    """One community (德育量化 95, its two members' 4 talk periods all met: 100%), one pacesetter (percentile 40 →
    52.5) and one on-track mentor (total 9.25, rank 1, talk rate 95%)."""
    students = [{"class": "三年级1班", "community": "1", "student_id": sid, "name": name, "talk_periods_expected": 2,
                 "talk_periods_met": 2} for sid, name in (("01", "甲"), ("02", "乙"))]
    pct = pd.DataFrame([{"cohort": "三年级", "change": 12.5, "student_id": "01", "class_name": "三年级1班",
                         "name": "甲", "pct_previous": 40.0, "pct_current": 52.5}])
    mentors = [{"teacher_id": "T1", "name": "丙", "classes": ["三年级1班"], "rank": 1, "status": "on_track",
                "talk_rate": 0.95, "score": {"total": 9.25, "group": "grades+conduct+satisfaction"}}]
    records = {"conduct": [{"class_name": "三年级1班", "community": "1", "score": 95}]}
    return recognition(mentors, students, pct, records, {}, Settings(), lang)


def test_each_award_s_basis_is_in_the_run_s_language():
    zh = {r["type"]: (r["name"], r["reason"]) for r in _recognition("zh")}
    en = {r["type"]: (r["name"], r["reason"]) for r in _recognition("en")}
    assert zh == {"community": ("三年级1班第1共同体", "德育量化 95.0 分，成员谈心达标率 100.0%"),
                  "pacesetter": ("甲", "年级百分位由 40.0 升至 52.5（+12.5）"),
                  "term_praise": ("丙", "考核总分 9.25（考核组“成绩、德育、满意度”第 1 名），谈心达标率 95.0%，达标状态：达标")}
    assert en == {"community": ("三年级1班 community 1", "conduct score 95.0, members' talk rate 100.0%"),
                  "pacesetter": ("甲", "percentile in the grade up from 40.0 to 52.5 (+12.5)"),
                  "term_praise": ("丙", "total 9.25 (rank 1 in the group 'grades, conduct, satisfaction'), talk rate "
                                  "95.0%, compliance: on track")}


def test_helpful_stars_and_the_year_s_mentor_in_both_languages():
    # 甲 and 乙 are nominated by two classmates each (tied for the most), 丁 by one
    students = [{"class": "三年级1班", "student_id": sid, "name": name} for sid, name in
                (("01", "甲"), ("02", "乙"), ("03", "丁"))]
    votes = [("01", "A"), ("01", "B"), ("02", "A"), ("02", "C"), ("03", "A")]
    records = {"star_nominations": [{"student_id": s, "nominator": n} for s, n in votes]}
    assert [r["reason"] for r in helpful_stars(students, records, {})] == \
        ["获 2 人推荐（与乙并列最多）", "获 2 人推荐（与甲并列最多）"]
    assert [r["reason"] for r in helpful_stars(students, records, {}, "en")] == \
        ["nominated by 2 (the most, tied with 乙)", "nominated by 2 (the most, tied with 甲)"]
    # both terms on track: totals 9.0 and 8.5, mean 8.75; talk rates 100% and 90%
    year = [{"teacher_id": "T1", "name": "丙", "classes": ["三年级1班"], "year_total": 8.75, "year_rank": 1,
             "first": {"total": 9.0, "talk_rate": 1.0}, "second": {"total": 8.5, "talk_rate": 0.9}}]
    assert yearly_recognition(year, 3)[0]["reason"] == \
        "学年平均总分 8.75（第 1 名）：第一学期 9.0 分，谈心达标率 100.0%；第二学期 8.5 分，谈心达标率 90.0%；两个学期均达标"
    assert yearly_recognition(year, 3, "en")[0]["reason"] == \
        ("mean score of the year 8.75 (rank 1): term 1 9.0 points, talk rate 100.0%; term 2 8.5 points, talk rate "
         "90.0%; on track in both terms")
