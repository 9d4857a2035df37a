"""`history` speaks about what it was asked: an unknown id is named; a student's 转出/转入 and every mentor of a term
with the day they took over are shown; an interrupted run's unfinished publish is read as last published."""
from __future__ import annotations

import datetime as dt
import json
from types import SimpleNamespace

import pytest

from tests.builders import LEDGER, T1_END, T2_END, graduating_class, term1_class, term2_inbox, write_inbox
from workbook_engine.cli import main
from workbook_engine.pipeline import run_inbox
from workbook_engine.publishing import publish
from workbook_engine.publishing.publish import locked

CHANGED = "2026070902"  # its mentor 070902 handed over to 070901 on 2026-10-08 (a 结对变更 row)
LEFT = "2026070903"  # 转出 on 2026-10-01
JOINED = "2026070904"  # 入学日期 2026-09-14, two weeks into a term that began on 1 September


@pytest.fixture
def term1(tmp_path):
    inbox, out = tmp_path / "in1", tmp_path / "out"
    c = term1_class()
    st = {s["student_id"]: s for s in c.sheets["students"]}
    st[CHANGED]["mentor_id"] = "070901"
    st[JOINED]["enrolled_on"] = dt.date(2026, 9, 14)
    c.sheets["pair_changes"] = [{"student_id": CHANGED, "old_mentor_id": "070902", "new_mentor_id": "070901",
                                 "date": dt.date(2026, 10, 8), "reason": "学生调整"}]
    names = {m["teacher_id"]: m["name"] for m in c.sheets["mentors"]}
    write_inbox(inbox, [c, graduating_class()])
    run_inbox(inbox, out, as_of=T1_END)
    return SimpleNamespace(out=out, names=names)


@pytest.mark.parametrize("lang, option, value, message", [
    ("zh", "--teacher", "999999", "错误：学校台账 {path} 中没有工号为 999999 的导师"),
    ("zh", "--class", "七年级5班", "错误：学校台账 {path} 中没有班级 七年级5班"),
    ("zh", "--student", "2026079999", "错误：学校台账 {path} 中没有学号为 2026079999 的学生"),
    ("en", "--teacher", "999999", "error: no teacher with ID 999999 in the ledger {path}"),
    ("en", "--student", "2026079999", "error: no student with student number 2026079999 in the ledger {path}"),
])
def test_history_names_the_id_it_could_not_find(term1, capsys, lang, option, value, message):
    assert main(["history", str(term1.out), option, value, "--lang", lang]) == 2
    err = capsys.readouterr().err.strip()
    assert err == message.format(path=term1.out / LEDGER)


def test_a_students_moves_and_every_mentor_with_the_change_date(term1, capsys):
    out, names = term1.out, term1.names
    assert main(["history", str(out), "--student", CHANGED, "--json"]) == 0
    row = json.loads(capsys.readouterr().out)["terms"][0]
    assert row["mentors"] == [{"teacher_id": "070902", "from": None, "name": names["070902"]},
                              {"teacher_id": "070901", "from": "2026-10-08", "name": names["070901"]}]
    assert row["moves"] == []
    assert main(["history", str(out), "--student", LEFT, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["terms"][0]["moves"] == [{"kind": "out", "date": "2026-10-01"}]
    assert main(["history", str(out), "--student", JOINED, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["terms"][0]["moves"] == [{"kind": "in", "date": "2026-09-14"}]
    # as a table, in both languages
    assert main(["history", str(out), "--student", CHANGED]) == 0
    head, line = capsys.readouterr().out.splitlines()
    assert "导师（更换日期）" in head and "转入/转出" in head
    assert f"070902 {names['070902']} → 070901 {names['070901']}（2026-10-08 起）" in line
    assert main(["history", str(out), "--student", LEFT, "--lang", "en"]) == 0
    head, line = capsys.readouterr().out.splitlines()
    assert "mentors (from)" in head and "left 2026-10-01" in line
    assert main(["history", str(out), "--student", JOINED]) == 0
    assert "转入 2026-09-14" in capsys.readouterr().out.splitlines()[1]


class Killed(BaseException):
    pass


@pytest.mark.parametrize("where, terms", [
    ("previous", ["第一学期"]),  # killed after setting the old ledger aside: it is the last published
    ("stage", ["第一学期", "第二学期"]),  # killed past the commit point: the new one is published, still in the stage
])
def test_history_reads_the_last_published_ledger_of_an_interrupted_run(term1, tmp_path, monkeypatch, capsys,
                                                                       where, terms):
    out = term1.out
    inbox2 = term2_inbox(tmp_path, out, monkeypatch)
    real_move = publish._move

    aside = out / ".workbook-engine" / "previous" / LEDGER

    def dying(src, dst):
        if (where == "previous" and "previous" in dst.parts and aside.exists()) or \
                (where == "stage" and src.name == LEDGER and "stage" in src.parts):
            raise Killed  # as if the process died here
        real_move(src, dst)

    monkeypatch.setattr(publish, "_move", dying)
    real_recover = publish.recover
    monkeypatch.setattr("workbook_engine.pipeline.recover", lambda out: None)  # a dead process runs no `finally`
    with pytest.raises(Killed):
        run_inbox(inbox2, out, as_of=T2_END)
    monkeypatch.setattr(publish, "_move", real_move)
    monkeypatch.setattr("workbook_engine.pipeline.recover", real_recover)
    assert (out / ".workbook-engine" / "publish.json").is_file()  # the publish is unfinished
    assert not (out / LEDGER).exists()  # the ledger is set aside, or still in the stage
    capsys.readouterr()
    assert main(["history", str(out)]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == "上一次 run 在发布时被中断，尚未完成：以下是最后一次发布的学校台账；下次运行 run 会完成它"
    assert [next(t for t in ("第一学期", "第二学期") if t in line) for line in printed[2:]] == terms
    assert main(["history", str(out), "--lang", "en"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == ("the last run was interrupted while publishing and is not "
                                                       "finished: this is the ledger as last published; the next run "
                                                       "finishes it")
    assert main(["history", str(out), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["interrupted_run"] is True and [r["term"] for r in data["terms"]] == terms
    with locked(out):
        publish.recover(out)  # what the next run does first
    assert main(["history", str(out), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["interrupted_run"] is False and [r["term"] for r in data["terms"]] == terms
