"""Each rule one unit (workbook_engine/validation/rules): registered once with its code, severity, category and
check, its message in the catalogue (problem.<code>); a new rule is one file and its catalogue line; every
registered code is raised by some test of the suite."""
from __future__ import annotations

import pickle
import string

import pytest

from tests.builders import edit, problems_of
from tests.helpers import raised_codes
from workbook_engine import validate_file
from workbook_engine.catalogue import CATALOGUE, t
from workbook_engine.model import CODES, Problem
from workbook_engine.validation import rules
from workbook_engine.validation.rules import W, rule


@pytest.fixture
def scratch_rule():
    """Register rules (and their catalogue lines) for one test only, then remove them again."""
    before = (dict(CODES), dict(rules.RULES), list(rules.CLASS_CHECKS), dict(CATALOGUE))
    yield rule
    CODES.clear(), CODES.update(before[0])
    rules.RULES.clear(), rules.RULES.update(before[1])
    rules.CLASS_CHECKS[:] = before[2]
    CATALOGUE.clear(), CATALOGUE.update(before[3])


def test_a_new_rule_is_one_function_and_runs_on_every_class_workbook(scratch_rule, class_file):
    # one decorator gives the code, severity, category and the check, one catalogue line both messages
    CATALOGUE["problem.talk-on-sunday"] = ("{value} 是星期日", "{value} is a Sunday")

    @scratch_rule("talk-on-sunday", W, "relation")
    def talk_on_sunday(book):
        talks = book.sheets["talks"]
        for rec in talks.records:
            if rec["date"].weekday() == 6:
                book.add("talk-on-sunday", talks.name, rec["_row"], talks.columns["date"], "日期",
                         rec["date"].isoformat())

    report = validate_file(class_file)
    sundays = [p for p in report.problems if p.code == "talk-on-sunday"]
    # the fixture's talks run on school days only: none is on a Sunday, so the rule finds nothing
    assert sundays == []
    edit(class_file, lambda wb: wb["谈心记录"].__setitem__("A2", "2026-10-18"))  # a Sunday (19 October: Monday)
    report = validate_file(class_file)
    assert ("谈心记录", "A2", "talk-on-sunday") in problems_of(report)
    hit = next(p for p in report.problems if p.code == "talk-on-sunday")
    assert (hit.message(), hit.message("en")) == ("2026-10-18 是星期日", "2026-10-18 is a Sunday")
    assert report.valid  # a warning: the workbook is still accepted


def test_a_code_is_registered_once(scratch_rule):
    with pytest.raises(ValueError, match="unknown-student"):
        rules.code("unknown-student", W, "relation")


def test_a_code_without_its_message_in_the_catalogue_is_refused(scratch_rule):
    with pytest.raises(ValueError, match="problem.no-words-yet"):
        rules.code("no-words-yet", W, "relation")
    assert "no-words-yet" not in CODES


def test_problems_codes_are_built_from_the_registry():
    # every rule registered in workbook_engine/validation/rules is a problem code, with the same spec
    assert {c: r.spec for c, r in rules.RULES.items()} == {c: CODES[c] for c in rules.RULES}
    # the moved cross-sheet checks, the pairing structure and the assessment screening are rule units
    assert {"unknown-student", "not-own-mentor", "community-level-mix", "late-pairing", "duplicate-vote",
            "assessment-unknown-class", "grade-baseline-missing"} <= set(rules.RULES)
    assert rules.RULES["unknown-student"].module == "workbook_engine.validation.rules.relations"
    assert rules.RULES["late-pairing"].check in rules.CLASS_CHECKS


def test_every_code_s_message_is_in_the_catalogue_and_names_only_the_problem_fields():
    fields = {"sheet", "column", "value", "detail"}
    for code, spec in CODES.items():
        for template in CATALOGUE[f"problem.{code}"]:
            used = {name for _, name, _, _ in string.Formatter().parse(template) if name}
            assert used <= fields, (code, template)
        assert spec.category, code
    # and the catalogue holds no message for a code that does not exist
    assert {k.split(".")[1] for k in CATALOGUE if k.startswith("problem.")} == set(CODES)


def test_a_problem_s_message_is_the_catalogue_s_template_filled_in():
    problem = Problem("missing-column", "学生名册", column="学号")
    assert problem.message() == t("problem.missing-column", "zh", column="学号") == "缺少必填列“学号”"
    assert problem.message("en") == "required column '学号' is missing"
    assert Problem("invalid-number", value=3.0).message("en") == "'3' is not a number"


def test_the_recorder_sees_problems_made_here_and_in_worker_processes(scratch_rule):
    CATALOGUE["problem.made-for-this-test"] = ("测试", "a test")
    rules.code("made-for-this-test", W, "file")
    # registered and raised by no test: the final check would name it
    assert "made-for-this-test" in raised_codes.unraised(set(CODES))
    # a Problem from a worker process arrives pickled: unpickling it records its code
    shipped = pickle.dumps(Problem("made-for-this-test", "学生名册"))
    raised_codes.RAISED.discard("made-for-this-test")  # (made here, it was recorded: forget that)
    assert pickle.loads(shipped).sheet == "学生名册"
    assert "made-for-this-test" not in raised_codes.unraised(set(CODES))
    raised_codes.RAISED.discard("made-for-this-test")


def test_every_registered_code_is_raised_by_a_test(request):
    """Runs last (tests/conftest.py). Only a run of the whole suite can tell which codes no test raises."""
    partial = raised_codes.whole_suite(request.session)
    if partial:
        pytest.skip(f"not the whole suite ({partial})")
    missing = raised_codes.unraised(set(CODES))
    assert not missing, f"registered codes that no test raises: {sorted(missing)}"
