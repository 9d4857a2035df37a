"""The school's settings as a pydantic model whose defaults follow 《学情会商制度实施方案》 and
《全员育人导师制实施方案》: the term calendars, the checks and their frequencies, the assessment scheme, mail,
privacy, the ledger, limits and the office's web page."""
from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from workbook_engine.catalogue import t
from workbook_engine.schema import DEDUCTIONS
from workbook_engine.term import calendar_range, default_term_range, term_of_date
from workbook_engine.term import school_year as parse_school_year

DEFAULT_ATTENTION = [
    # 《学情会商制度实施方案》三、内容与形式: the five types of students
    "学习困难", "家庭贫困", "家庭优越", "思想波动", "心理障碍",
    # 《学情会商制度实施方案》四(二)1 摸底调查: the special groups and the "eight types" (八类学生)
    "进城务工人员子女", "留守儿童", "行为偏差", "家庭教育环境不良", "心理有障碍", "学习有困难",
    "个性发展有特殊要求", "潜能难以充分发展",
    # 《全员育人导师制实施方案》四、实施步骤 3 选配导师: the students to watch especially
    "家境贫寒", "行为不良", "心理封闭", "父母离异",
]

Frequency = Literal["weekly", "semimonthly", "monthly"]


class SettingValueError(ValueError):
    """A bad value found by a model's own check, as catalogue text (the catalogue's "settings.*"): load_settings
    says it in the language asked for."""

    def __init__(self, key: str, **kw: object) -> None:
        super().__init__(t(key, "en", **kw))
        self.key, self.kw = key, kw

    def say(self, lang: str) -> str:
        return t(self.key, lang, **self.kw)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class School(_Strict):
    name: str = ""
    classes: list[str] = Field(default_factory=list, description="the school's classes, to list missing files")
    principal: str = Field(default="", description="the principal's name: hosts the monthly meeting")
    leaders: list[str] = Field(default_factory=list, description="school leaders who may host the monthly meeting")


class Holiday(_Strict):
    name: str = ""
    start: dt.date
    end: dt.date

    @model_validator(mode="after")
    def _ordered(self) -> Holiday:
        if self.end < self.start:
            raise SettingValueError("settings.end_before_start", start=self.start, end=self.end)
        return self


class Workday(_Strict):
    date: dt.date
    note: str = ""


class Term(_Strict):
    school_year: str | None = None
    term: Literal["第一学期", "第二学期"] | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    holidays: list[Holiday] = Field(default_factory=list)
    workdays: list[Workday] = Field(default_factory=list)

    @model_validator(mode="after")
    def _ordered(self) -> Term:
        if self.school_year is not None:
            year = parse_school_year(self.school_year)
            if year is None:
                raise SettingValueError("settings.bad_school_year", value=self.school_year)
            self.school_year = year
        if self.start and self.end and self.end < self.start:
            raise SettingValueError("settings.end_before_start", start=self.start, end=self.end)
        return self

    def key(self) -> tuple[str, str] | None:
        """(学年, 学期) this calendar is for: as named, else read from its first day (a term starting August to
        December is that school year's 第一学期, January to July the 第二学期), else None."""
        if self.school_year and self.term:
            return self.school_year, self.term
        if self.start is None:
            return None
        year, term = term_of_date(self.start)
        return self.school_year or year, self.term or term


class Policy(_Strict):
    talk_frequency: Literal["weekly", "semimonthly"] = "weekly"
    parent_contact_frequency: Frequency = "monthly"
    study_frequency: Frequency = "weekly"
    community_frequency: Frequency = "monthly"
    archive_frequency: Frequency = "monthly"
    check_talks: bool = True
    check_parent_contacts: bool = True
    check_studies: bool = True
    check_community: bool = True
    check_plans: bool = True
    check_archive: bool = True
    plan_due_days: int = Field(default=14, ge=0)
    strict: bool = False
    late_after_days: int = Field(default=14, ge=0)
    on_track: float = Field(default=0.95, ge=0, le=1)
    needs_attention: float = Field(default=0.80, ge=0, le=1)
    head_teacher_talks_count: bool = False
    check_student_reports: bool = True
    check_principal_meeting: bool = True
    community_meeting: Literal["per_class", "per_community"] = "per_class"
    check_reflections: bool = True
    mentee_load_spread: int = Field(default=3, ge=0)
    # a subject teacher (not the head teacher) mentors several students (多名)
    min_mentees: int = Field(default=2, ge=0)
    pairing_days: int = Field(default=7, ge=0)
    check_monthly_summary: bool = True
    rectify_after_months: int = Field(default=2, ge=1)
    rectify_days: int = Field(default=30, ge=1)
    check_grade_work: bool = True


class Attention(_Strict):
    categories: list[str] = Field(default_factory=lambda: list(DEFAULT_ATTENTION))


class Assessment(_Strict):
    scheme: Literal["points", "four_party"] = "points"
    base: float = 5
    grade_max: float = 3
    grade_tiers: list[tuple[float, float]] = Field(default_factory=lambda: [(5.0, 3.0), (2.0, 2.0), (0.0, 1.0)])
    conduct_max: float = 1
    satisfied_ratings: list[str] = Field(default_factory=lambda: ["满意", "基本满意"])
    satisfaction_tiers: list[tuple[float, float]] = Field(default_factory=lambda: [(1.0, 1.0), (0.9, 0.8), (0.8, 0.6)])
    deduction_per_case: float = 1  # per 不满意 vote, and per 考核扣分 row of a 类型 not in deduction_points
    deduction_points: dict[str, float] = Field(default_factory=lambda: {"教育效果不明显": 1.0, "其他": 1.0})
    deduction_max: float = 5
    missing_part: Literal["scale", "zero"] = "scale"  # a part with no data: total scaled to full marks, or 0
    four_party_weights: dict[str, float] = Field(
        default_factory=lambda: {"self": 0.25, "students": 0.25, "teachers": 0.25, "school": 0.25}
    )
    outstanding_communities: int = 3
    progress_pacesetters: int = 5
    outstanding_mentors: int = 3

    @model_validator(mode="after")
    def _known_types(self) -> Assessment:
        kinds = DEDUCTIONS.column("kind").choices
        unknown = [k for k in self.deduction_points if k not in kinds]
        if unknown:
            raise SettingValueError("settings.unknown_deduction", unknown="、".join(unknown), kinds="、".join(kinds),
                                    sheet=DEDUCTIONS.name, column=DEDUCTIONS.column("kind").header)
        return self


class Assign(_Strict):
    mode: Literal["students", "communities"] = "students"
    groups: int = Field(default=5, ge=2, le=5)
    max_per_mentor: int = Field(default=15, ge=1)
    head_teacher_mentors: bool = False


class Mail(_Strict):
    smtp_host: str = ""
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_security: Literal["none", "starttls", "ssl"] = "starttls"
    sender: str = ""
    username: str = ""
    password_env: str = "WORKBOOK_ENGINE_MAIL_PASSWORD"
    imap_host: str = ""
    imap_port: int = Field(default=993, ge=1, le=65535)
    imap_security: Literal["none", "starttls", "ssl"] = "ssl"
    imap_folder: str = "INBOX"
    recipients: dict[str, str] = Field(default_factory=dict)
    # the whole of one message (connect, retries, reply): past it, that class fails
    timeout_s: float = Field(default=60, gt=0)
    receipts: bool = False  # fetch-mail replies to each sender once per received file (accepted, or the problems)


class Privacy(_Strict):
    include_phone_numbers: bool = False
    include_private_text: bool = False


class Ledger(_Strict):
    path: str = "学校台账.sqlite"  # relative: inside OUT, published with the run's outputs; absolute: anywhere
    grades: list[str] = Field(default_factory=lambda: ["一年级", "二年级", "三年级", "四年级", "五年级", "六年级"],
                              description="the school's grades, lowest first: new-term moves each class up one; "
                                          "the last grade leaves the school")


class Limits(_Strict):
    max_file_mb: float = Field(default=50, gt=0)
    max_email_mb: float = Field(default=50, gt=0)
    max_uncompressed_mb: float = Field(default=1000, gt=0)
    max_compression_ratio: float = Field(default=200, gt=1)
    max_parts: int = Field(default=5000, gt=0)
    worker_memory_mb: int = Field(default=4096, ge=256)
    passwords: list[str] = Field(default_factory=list)


class Web(_Strict):
    """`serve`: the office's page on the school network."""

    office_password: str = ""  # the office's board; WORKBOOK_ENGINE_OFFICE_PASSWORD, when set, is used instead
    # self-checks one address may make in an hour (a teacher cannot fill the disk)
    checks_per_hour: int = Field(default=60, ge=1)


class Settings(_Strict):
    school: School = Field(default_factory=School)
    term: Term = Field(default_factory=Term)
    terms: list[Term] = Field(default_factory=list, description="a calendar per term ([[terms]])")
    policy: Policy = Field(default_factory=Policy)
    attention: Attention = Field(default_factory=Attention)
    assessment: Assessment = Field(default_factory=Assessment)
    assign: Assign = Field(default_factory=Assign)
    mail: Mail = Field(default_factory=Mail)
    privacy: Privacy = Field(default_factory=Privacy)
    ledger: Ledger = Field(default_factory=Ledger)
    limits: Limits = Field(default_factory=Limits)
    web: Web = Field(default_factory=Web)
    source: str | None = Field(default=None, exclude=True)

    @model_validator(mode="after")
    def _named_terms(self) -> Settings:
        seen: set[tuple[str, str]] = set()
        for entry in self.terms:
            if not (entry.school_year and entry.term):
                raise SettingValueError("settings.term_unnamed", table="[[terms]]", keys="school_year, term")
            if entry.key() in seen:
                raise SettingValueError("settings.term_twice", term=f"{entry.school_year}{entry.term}",
                                        table="[[terms]]")
            seen.add(entry.key())  # type: ignore[arg-type]
        return self

    def calendars(self) -> list[Term]:
        """Every term calendar the settings hold: the [[terms]] entries, and the single [term] table as one more
        entry when it names its term or gives its first day (and no [[terms]] entry is for the same term)."""
        found = list(self.terms)
        key = self.term.key()
        if key is not None and key not in {e.key() for e in found}:
            found.append(self.term)
        return found

    def calendar(self, school_year: str | None, term: str | None) -> Term | None:
        """The settings' calendar of that term, or None (the default dates apply)."""
        return next((e for e in self.calendars() if e.key() == (school_year, term)), None)

    def default_dates(self, school_year: str | None, term: str | None) -> bool:
        """True when the settings give no first and last day for that term (the default dates are used)."""
        entry = self.calendar(school_year, term)
        return entry is None or not (entry.start and entry.end)

    def for_term(self, school_year: str | None, term: str | None) -> Settings:
        """These settings with `term` set to that term's calendar (its holidays and make-up days; without one, the
        default dates): what every stage of that term's run reads."""
        entry = self.calendar(school_year, term)
        if entry is None:
            dates = default_term_range(school_year, term)
            entry = Term(school_year=school_year, term=term, start=dates[0] if dates else None,  # type: ignore[arg-type]
                         end=dates[1] if dates else None)
        elif not (entry.school_year and entry.term):
            entry = entry.model_copy(update={"school_year": school_year, "term": term})
        return self.model_copy(update={"term": entry})

    def term_range(self, school_year: str | None = None, term: str | None = None) -> tuple[dt.date, dt.date] | None:
        """The term's first and last day: its calendar in the settings, else the default dates from 学年 and 学期
        (a workbook's). Without a term named: the [term] table's dates, or its term's default dates."""
        if school_year is None and term is None:
            if self.term.start and self.term.end:
                return self.term.start, self.term.end
            return default_term_range(self.term.school_year, self.term.term)
        entry = self.calendar(school_year, term)
        return calendar_range((entry.start, entry.end) if entry is not None else None, school_year, term)
