"""The sheets of the documents' last duties, for the summary and the feedback book (summary/ and feedback.py
call them): the 整改名单 (rectification.py), the 级部 block of 学校工作 (school_work.py), a class's 学情研究
(rules/studies.py) and the mentor's own 月度总结 beside 谈话月度汇总 (compliance.compute). Every word from the
catalogue (its "duties." lines)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from workbook_engine.assessment.school_work import TEXT
from workbook_engine.catalogue import t
from workbook_engine.schema import MENTORS
from workbook_engine.validation.rules.studies import class_people, study_people
from workbook_engine.writing.sheet import Sheet, Styled

if TYPE_CHECKING:
    from workbook_engine.outcome import TermOutcome


def grade_work_rows(work: Any, lang: str = "zh") -> list[list[Any]]:
    """学校工作's second block: each grade's 级部计划 and 级部总结 (date, state) and the term's 级部交流."""
    w = TEXT[lang]
    if not work.grade_checked:  # (no 学校工作记录 sent, or the check is off: nothing to show)
        return []
    rows: list[list[Any]] = [[], [Styled(w["grade_block"], "header")] + [Styled(h, "header") for h in
                                                                        w["grade_headers"][1:]]]
    state = {k: w["grade_" + k] for k in ("on_time", "late", "missing", "not_due", "unchecked")}
    for g in work.grades:
        rows.append([g["grade"], g["plan"], state[g["plan_state"]], g["summary"], state[g["summary_state"]]])
    ex = work.exchange
    rows.append([w["grade_exchange"], ex.get("held", 0),
                 w["grade_held"] if ex.get("state") in ("on_time", "late") else state.get(ex.get("state"), None)])
    return rows


RECTIFY_STYLE = {"open": "warn", "rectified": "good", "replace": "bad"}


def rectification_rows(outcome: TermOutcome, lang: str = "zh", class_name: str | None = None) -> list[list[Any]]:
    """整改名单: one row a case (rectification.py), the mentees to pair again and the command where replacement is
    proposed; with `class_name`, the cases of that class's mentors and only its own mentees and command."""
    sep = t("sum.sep", lang)
    status = MENTORS.column("status")
    replace = t("duties.rect.action.replace", lang, sheet=MENTORS.name, column=status.header, left=status.choices[1])
    rows = []
    for c in outcome.rectification:
        if class_name is not None:
            if class_name not in c["classes"]:
                continue
            c = {**c, "mentees": [m for m in c["mentees"] if m["class"] == class_name],
                 "commands": [cmd for cmd in c["commands"] if _file_of(outcome, class_name) in cmd]}
        listed = c["listed_on"] + (t("duties.rect.from_term", lang, term=c["listed_term"]) if c.get("listed_term")
                                   else "")
        action = t("duties.rect.action.open", lang, deadline=c["deadline"]) if c["state"] == "open" else \
            "\n".join([replace, *c["commands"]]) if c["state"] == "replace" else None
        rows.append([c["teacher_id"], c.get("name"), sep.join(c["classes"]), sep.join(c["months"]), listed,
                     c["deadline"], sep.join(c["judged"]) or None,
                     Styled(t("duties.rect." + c["state"], lang), RECTIFY_STYLE[c["state"]]),
                     "\n".join(f"{m['class']} {m['student_id']} {m['name'] or ''}".strip() for m in c["mentees"])
                     or None, action])
    return rows


def _file_of(outcome: TermOutcome, class_name: str) -> str:
    return next((f.name for f in outcome.merged.class_files if f.class_name == class_name), "\0")


def rectification_sheet(book: Any, outcome: TermOutcome, lang: str = "zh", class_name: str | None = None) -> None:
    """The summary's 整改名单 (every case), or a class's own in its feedback book (written only when it has one)."""
    rows = rectification_rows(outcome, lang, class_name)
    if class_name is not None and not rows:
        return

    p = outcome.settings.policy
    book.add(Sheet(t("duties.rect.sheet", lang),
                   [t("duties.rect.col." + k, lang) for k in ("teacher_id", "name", "classes", "months", "listed_on",
                                                               "deadline", "judged", "state", "mentees", "action")],
                   rows, max_width=50,
                   note=t("duties.rect.note", lang, months=p.rectify_after_months, days=p.rectify_days,
                          floor=f"{p.needs_attention:.0%}")))


def study_rows(outcome: TermOutcome, class_name: str | None, lang: str = "zh") -> list[list[Any]]:
    """The class's 学情研究, by date: host, attendees, the class's mentors named among them, and whether the head
    teacher hosted with mentors taking part (《学情会商制度实施方案》三; rules/studies.py warns at the cells)."""
    records = outcome.merged.records
    info = next((f.report.class_info for f in outcome.merged.class_files
                 if f.class_name == class_name and f.report is not None), {})
    heads, mentors = class_people((m for m in records.get("mentors", []) if m.get("_class") == class_name),
                                  info.get("head_teacher"))
    rows = []
    for r in sorted((r for r in records.get("studies", []) if r.get("_class") == class_name),
                    key=lambda r: (str(r.get("date")), str(r.get("host")))):
        hosted, named = study_people(r, heads, mentors)
        faults = ([t("duties.study.not_head", lang)] if hosted is False else []) + \
            ([t("duties.study.no_mentor", lang)] if mentors and not named else [])
        rows.append([r.get("date"), r.get("host"), r.get("attendees"),
                     t("sum.sep", lang).join(mentors[m] or m for m in named) or None,
                     Styled(t("sum.sep", lang).join(faults), "warn") if faults else t("duties.study.ok", lang)])
    return rows


def summary_state(month: dict[str, Any], lang: str = "zh") -> str:
    """The mentor's own monthly summary beside the engine's count: the day handed in, 未交, or 不要求."""
    if month.get("summary_date"):
        return month["summary_date"]
    return t("duties.summary.missing" if month.get("summary_due") else "duties.summary.not_required", lang)
