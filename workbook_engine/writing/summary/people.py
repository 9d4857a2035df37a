"""The summary's sheets on people: 导师考核 (each teacher's score, in score groups), 班级达标, 导师达标,
重点关注学生 and 表彰建议."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from workbook_engine.assessment.scoring import group_label, score_groups, tie_rules
from workbook_engine.catalogue import t
from workbook_engine.compliance.result import StudentFigures
from workbook_engine.writing.books import Book
from workbook_engine.writing.sheet import Styled
from workbook_engine.writing.tables import (
    band_legend,
    band_text,
    colour_rates,
    colour_status,
    compliance,
    headers,
    pct,
    ranking_note,
    score_cells,
    score_note,
    score_scheme,
    sep,
    teacher_headers,
)

if TYPE_CHECKING:
    from workbook_engine.outcome import TermOutcome


def teachers(book: Book, outcome: TermOutcome, report: dict[str, Any]) -> None:
    """导师考核: one row per teacher over all the classes they mentor in, in score groups — mentors whose scores are
    built from the same parts, best-evaluated group first, each headed with its parts and size and ranked within
    — then the teachers not ranked; every part of the scheme shown (不适用 for a part without data, 未交 for a
    missing review) and why; a note says how groups and ties are ranked and that the compliance band beside it is
    measured separately."""
    lang = book.lang
    people = outcome.teachers
    head = teacher_headers(score_scheme(outcome), lang)

    def row(p: dict[str, Any]) -> list[Any]:
        s = p.get("score", {})
        return [p["teacher_id"], p["name"], sep(lang).join(p["classes"]), p["mentees"],
                *score_cells(s, p.get("rank"), lang), band_text(p["status"], lang), pct(p["talk_rate"]),
                pct(p["parent_rate"]), score_note(s, lang, grouped=False)]  # (the group heads the rows)

    def heading(text: str) -> list[Any]:
        return [Styled(text, "span")] + [Styled("", "span")] * (len(head) - 1)

    rows = []
    for n, (group, members) in enumerate(score_groups(people), start=1):
        rows.append(heading(t("score.group.head", lang, n=n, parts=group_label(group, lang), size=len(members))))
        rows += [row(p) for p in members]
    unranked = sorted((p for p in people if p.get("rank") is None), key=lambda p: p["teacher_id"])
    if unranked:
        rows.append(heading(t("score.group.unranked", lang, size=len(unranked))))
        rows += [row(p) for p in unranked]
    status = len(head) - 4
    ws = book.table(t("sum.sheet.teachers", lang), head, rows, pct_cols=(status + 1, status + 2), max_width=44,
                    note=ranking_note(outcome, lang))
    colour_rates(book, ws, 1, len(rows), status + 1, outcome)
    colour_rates(book, ws, 1, len(rows), status + 2, outcome)
    colour_status(book, ws, 1, len(rows), status)


def classes(book: Book, outcome: TermOutcome, report: dict[str, Any]) -> None:
    """班级达标: each class's rates and its meetings due and held."""
    lang = book.lang
    class_rows = [[c["class"], c["students"], pct(c["talk_rate"]), pct(c["parent_rate"]),
                   c["study_weeks_expected"], c["study_weeks_met"], c["community_months_expected"],
                   c["community_months_met"], c["attention_students"], c["escalated_students"]]
                  for c in compliance(outcome).classes]
    ws = book.table(t("sum.sheet.classes", lang), [t("col.class", lang)] + [
        t("sum.classes." + k, lang) for k in ("students", "talk_rate", "parent_rate", "study_expected", "study_met",
                                               "community_expected", "community_met", "attention_students",
                                               "escalated_students")], class_rows,
        pct_cols=(2, 3), note=band_legend(outcome, lang) + " " + t("sum.classes.note", lang))
    colour_rates(book, ws, 1, len(class_rows), 2, outcome)
    colour_rates(book, ws, 1, len(class_rows), 3, outcome)


def mentors(book: Book, outcome: TermOutcome, report: dict[str, Any]) -> None:
    """导师达标: each mentor in each class with mentees: periods due and met, rates, band, the plan on time."""
    lang = book.lang
    mrows = [[m["class"], m["teacher_id"], m["name"], m["mentees"], m["talk_periods_expected"], m["talk_periods_met"],
              pct(m["talk_rate"]), m["parent_periods_expected"], m["parent_periods_met"], pct(m["parent_rate"]),
              band_text(m["status"], lang),
              t({True: "plan.on_time", False: "plan.late", None: "plan.not_due"}[m.get("plan_on_time")], lang)]
             for m in compliance(outcome).mentors if m["mentees"]]
    ws = book.table(t("sum.sheet.mentors", lang),
                    headers(["class", "teacher_id", "name", "mentees", "talk_expected", "talk_met", "talk_rate",
                             "parent_expected", "parent_met", "parent_rate", "status", "plan"], lang), mrows,
                    pct_cols=(6, 9), note=band_legend(outcome, lang))
    colour_rates(book, ws, 1, len(mrows), 6, outcome)
    colour_rates(book, ws, 1, len(mrows), 9, outcome)
    colour_status(book, ws, 1, len(mrows), 10)


def attention(book: Book, outcome: TermOutcome, report: dict[str, Any]) -> None:
    """重点关注学生: every student with a special-attention category or escalated, their mentor and 包靠 leader;
    the parent's phone and the note only where `[privacy]` allows."""
    head, rows = attention_rows(outcome, compliance(outcome).students, book.lang)
    book.table(t("sum.sheet.attention", book.lang), head, rows)


def attention_rows(outcome: TermOutcome, students: list[StudentFigures], lang: str = "zh"
                   ) -> tuple[list[str], list[list[Any]]]:
    comp = compliance(outcome)
    privacy = outcome.settings.privacy
    mentors = {(m["class"], m["teacher_id"]): m["name"] for m in comp.mentors}
    leaders: dict[tuple[Any, Any], list[Any]] = {}
    for r in outcome.merged.records.get("leaders", []):
        leaders.setdefault((r.get("class_name"), r.get("student_id")), []).append(r.get("leader"))
    roster = {(r.get("_class"), r.get("student_id")): r for r in outcome.merged.records.get("students", [])}
    keys = ["class", "student_id", "name", "attention", "mentor", "last_talk", "last_parent_contact", "escalated",
            "leader"]
    if privacy.include_phone_numbers:
        keys.append("parent_phone")
    if privacy.include_private_text:
        keys.append("note")
    rows = []
    for s in sorted(students, key=lambda s: (s["class"], s["student_id"])):
        if not (s["attention"] or s["escalated"]):
            continue
        lead = leaders.get((s["class"], s["student_id"])) or leaders.get((s["class"], None)) or []
        row = [s["class"], s["student_id"], s["name"], sep(lang).join(s["attention"]),
               mentors.get((s["class"], s["mentor_id"])), s["last_talk"], s["last_parent_contact"],
               t("word.yes" if s["escalated"] else "word.no", lang), sep(lang).join(x for x in lead if x)]
        extra = roster.get((s["class"], s["student_id"]), {})
        if privacy.include_phone_numbers:
            row.append(extra.get("parent_phone"))
        if privacy.include_private_text:
            row.append(extra.get("note"))
        rows.append(row)
    return headers(keys, lang), rows


def recognition(book: Book, outcome: TermOutcome, report: dict[str, Any]) -> None:
    """表彰建议: the term's candidates for each award, with their basis; a line when no mentor reached 学期表扬."""
    lang = book.lang
    praise = [] if any(r["type"] == "term_praise" for r in outcome.recognition) else [
        [t("recognition.term_praise", lang), None, None, None, None, None,
         t("recognition.term_praise.none", lang, band=f"{outcome.settings.policy.on_track:.0%}")]]
    book.table(t("sum.sheet.recognition", lang), headers(["category", "grade", "class", "who", "id", "rank", "basis"],
                                                         lang),
               [[t("recognition." + r["type"], lang), r["grade"], r["class"], r["name"], r["id"], r.get("rank"),
                 r["reason"]] for r in outcome.recognition] + praise, max_width=50, note=tie_rules(lang))
