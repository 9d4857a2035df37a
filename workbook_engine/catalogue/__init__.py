"""The one zh/en catalogue of user-facing text: workbook titles, sheet names, headers and labels, notes,
CLI lines, problem messages. `t(key, lang, **kw)` gives the text in the language asked (Chinese by default),
formatted with kw.

The texts are written by area, one section module each (books, forms, assessment, ledger, run, cli, mail, web, problems),
and assembled here into CATALOGUE; a key given by two sections stops the import. Every key has both languages;
tests/catalogue/test_languages.py checks that English texts hold no Han character and Chinese texts no English word
(codes such as SHA-256 excepted).
"""
from __future__ import annotations

import os
from types import ModuleType
from typing import Any

from workbook_engine.catalogue import assessment, books, cli, forms, ledger, mail, problems, run, web

LANGS = ("zh", "en")
ENV = "WORKBOOK_ENGINE_LANG"


def default_lang() -> str:
    """WORKBOOK_ENGINE_LANG when it names a known language, else Chinese."""
    value = (os.environ.get(ENV) or "").strip().lower()
    return value if value in LANGS else "zh"


def t(key: str, lang: str = "zh", **kw: Any) -> str:
    """The text for key in lang (en, else zh), formatted with kw."""
    zh, en = CATALOGUE[key]
    text = en if lang == "en" else zh
    return text.format(**kw) if kw else text


def term_name(term: str | None, lang: str) -> str:
    """A term as the reader says it: 第一学期 / Term 1 (the workbooks' own words in Chinese)."""
    key = {"第一学期": "across.term.first", "第二学期": "across.term.second"}.get(term or "")
    return t(key, lang) if key else (term or "")


def term_label(school_year: str | None, term: str | None, lang: str) -> str:
    """A school year and term as the reader says them: 2026-2027第一学期 / 2026-2027 Term 1."""
    sep = " " if lang == "en" and school_year and term else ""
    return f"{school_year or ''}{sep}{term_name(term, lang)}"


def pick(pair: tuple[str, str], lang: str) -> str:
    """The English or the Chinese of a (zh, en) pair."""
    return pair[1] if lang == "en" else pair[0]


def _assemble(*sections: ModuleType) -> dict[str, tuple[str, str]]:
    """The sections' TEXTS in one dictionary; a key two sections both give is an error, not a silent override."""
    whole: dict[str, tuple[str, str]] = {}
    for section in sections:
        twice = sorted(whole.keys() & section.TEXTS.keys())
        if twice:
            raise ValueError(f"catalogue keys given twice ({section.__name__}): {', '.join(twice)}")
        whole.update(section.TEXTS)
    return whole


CATALOGUE: dict[str, tuple[str, str]] = _assemble(books, forms, assessment, ledger, run, cli, mail, web, problems)


# -- the schemas' sheets and columns in English (the Chinese names are the schema's own, schema.py) ----------------
SHEET_EN: dict[str, str] = {
    "class_info": "Class", "mentors": "Mentors", "students": "Students", "talks": "Talks", "contacts": "Parent contacts",
    "studies": "Class studies", "community": "Community activities", "archive": "Growth archive",
    "paperwork": "Plans and summaries", "choices": "Mutual choice", "wishes": "Mentor wishes", "reports": "Student reports",
    "office_info": "Office", "grades": "Grades", "conduct": "Conduct", "satisfaction": "Satisfaction",
    "deductions": "Deductions", "leaders": "School leaders", "four_party": "Four-party review",
    "mentor_info": "Mentor", "mentees": "Mentees", "pair_changes": "Pairing changes", "school_work": "School work",
    "star_nominations": "Helpful-star nominations",
}
FIELD_EN: dict[str, str] = {
    "transformation": "Transformation", "new_mentor_id": "New mentor ID", "old_mentor_id": "Former mentor ID",
    "nominator": "Nominated by", "enrolled_on": "Enrolled on",
    "school": "School", "school_year": "School year", "term": "Term", "grade": "Grade", "class_name": "Class",
    "head_teacher": "Head teacher", "filled_by": "Filled by", "fill_date": "Fill date", "teacher_id": "Teacher ID",
    "name": "Name", "subject": "Subject", "role": "Role", "phone": "Phone", "email": "Email", "capacity": "Capacity",
    "status": "Status", "student_id": "Student ID", "gender": "Gender", "level": "Level", "community": "Community",
    "mentor_id": "Mentor ID", "mentor_name": "Mentor", "paired_on": "Paired on", "attention": "Attention",
    "left_on": "Left on", "parent_name": "Parent", "parent_phone": "Parent phone", "note": "Note", "date": "Date",
    "teacher_name": "Mentor", "student_name": "Student", "form": "Form", "topic": "Topic", "summary": "Summary",
    "follow_up": "Follow-up", "escalate": "School attention", "way": "Way", "contact_person": "Contact",
    "host": "Host", "attendees": "Attendees", "students": "Students studied", "measures": "Problems and measures",
    "content": "Content", "family": "Family", "morality": "Conduct", "mental": "Mental health",
    "highlights": "Strengths", "improvement": "To improve", "recorder": "Recorded by", "plan_date": "Plan handed in",
    "summary_date": "Summary handed in", "reflection_date": "Reflection handed in", "choice1": "Choice 1",
    "choice2": "Choice 2", "choice3": "Choice 3", "order": "Order", "office": "Office", "previous": "Last term",
    "current": "This term", "score": "Score", "rating": "Rating", "kind": "Kind", "reason": "Reason",
    "leader": "Leader", "self": "Self", "teachers": "Teachers",
    "classes": "Classes covered",
}


def sheet_name(spec: Any, lang: str) -> str:
    """A schema sheet's name: the template's own (Chinese) name, or its English name."""
    return SHEET_EN.get(spec.key, spec.name) if lang == "en" else spec.name


def column_header(column: Any, lang: str) -> str:
    """A schema column's header: the template's own, or its English name."""
    return FIELD_EN.get(column.field, column.header) if lang == "en" else column.header
