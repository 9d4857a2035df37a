"""The office's folder: `run` over an inbox with two versions of a class, broken and stray files."""
from __future__ import annotations

import datetime as dt
import gc
import json
import os
import shutil
import threading
import time
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from tests.builders import class_book, sha256, sheet_rows
from tests.helpers.terms import term_dir
from workbook_engine.cli import main
from workbook_engine.combining.combine import settle
from workbook_engine.model import FileReport, InboxFile, SheetData
from workbook_engine.pipeline import run_inbox
from workbook_engine.schema import CLASS_WORKBOOK
from workbook_engine.settings import Settings, load_settings
from workbook_engine.writing.samples import make_class, school_toml, snapshot, write_assessment

MERGED = "合并数据_2026-2027第一学期.xlsx"


def _stamp(path: Path, day: dt.date) -> None:
    t = time.mktime((day.year, day.month, day.day, 12, 0, 0, 0, 0, -1))
    os.utime(path, (t, t))


@pytest.fixture
def inbox(tmp_path) -> Path:
    """Two versions of 七年级9班 (the newer one lost two talks and is older on disk), 七年级8班, the
    assessment workbook, a damaged file, a lock file, a text file and school.toml."""
    box = tmp_path / "inbox"
    (box / "邮件附件").mkdir(parents=True)
    c9 = make_class(3, 7, 9, students=8, mentors=2, until=dt.date(2026, 10, 20))
    old = snapshot(c9, dt.date(2026, 10, 10))
    early = [t for t in c9.sheets["talks"] if t["date"] <= dt.date(2026, 10, 10)]
    c9.sheets["talks"] = [t for t in c9.sheets["talks"] if t is not early[0] and t is not early[1]]
    c8 = make_class(4, 7, 8, students=6, mentors=2, until=dt.date(2026, 10, 20))
    newer = class_book(box, c9, "七年级9班（补充）.xlsx")
    older = class_book(box / "邮件附件", old, "七年级9班.xlsx")
    _stamp(newer, dt.date(2026, 10, 1))
    _stamp(older, dt.date(2026, 10, 21))  # the older version was saved to disk later
    class_book(box, c8, "七年级8班.xlsx")
    write_assessment([c9, c8], box / "学校考核数据.xlsx")
    data = (box / "七年级8班.xlsx").read_bytes()
    (box / "坏文件.xlsx").write_bytes(data[: len(data) // 2])
    (box / "~$七年级9班（补充）.xlsx").write_bytes(b"\x00lock")
    (box / "说明.txt").write_text("请各班主任按时提交", encoding="utf-8")
    (box / "school.toml").write_text(school_toml(["七年级8班", "七年级9班", "七年级10班"]), encoding="utf-8")
    return box


def _hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): sha256(p) for p in sorted(folder.rglob("*")) if p.is_file()}


def test_statuses_versions_and_row_accounting(inbox, tmp_path):
    before = _hashes(inbox)
    result = run_inbox(inbox, tmp_path / "out", as_of=dt.date(2026, 10, 23))
    files = {f["path"]: f for f in result.report["files"]}
    assert {p: f["status"] for p, f in files.items()} == {
        "七年级9班（补充）.xlsx": "accepted",
        "邮件附件/七年级9班.xlsx": "superseded",
        "七年级8班.xlsx": "accepted",
        "学校考核数据.xlsx": "accepted",
        "坏文件.xlsx": "rejected",
        "~$七年级9班（补充）.xlsx": "skipped",
        "说明.txt": "skipped",
        "school.toml": "skipped",
    }
    assert files["邮件附件/七年级9班.xlsx"]["superseded_by"] == "七年级9班（补充）.xlsx"
    assert files["坏文件.xlsx"]["problems"][0]["code"] == "damaged-file"
    lost = [p for p in files["七年级9班（补充）.xlsx"]["problems"] if p["code"] == "rows-lost"]
    assert [p["message"] for p in lost] == ["谈心记录: 较早版本中的 2 行在此版本中缺失"]
    assert lost[0]["severity"] == "warning"
    for f in files.values():
        assert f["rows_accounted"]
        for counts in f["rows"].values():
            assert counts["read"] == counts["accepted"] + counts["rejected"]
    assert result.report["summary"]["rows_accounted"]
    assert files["七年级9班（补充）.xlsx"]["class"] == "七年级9班"
    assert files["七年级9班（补充）.xlsx"]["fill_date"] == "2026-10-20"
    assert len(files["七年级8班.xlsx"]["sha256"]) == 64
    assert result.report["missing_classes"] == ["七年级10班"]
    assert result.report["as_of"] == "2026-10-23"
    assert result.exit_code == 1  # the damaged file
    assert _hashes(inbox) == before  # the inbox is never modified
    assert not list(inbox.rglob("*.tmp")) and not (inbox / "report.json").exists()


def test_merged_book_holds_every_accepted_row_with_its_source(inbox, tmp_path):
    result = run_inbox(inbox, tmp_path / "out", as_of=dt.date(2026, 10, 23))
    book = term_dir(tmp_path / "out") / MERGED
    assert result.outputs[0] == book
    files = {f["path"]: f for f in result.report["files"]}
    talks = sheet_rows(book, "谈心记录")
    assert talks[0][:4] == ("班级", "来源文件", "来源行", "日期")
    expected = files["七年级9班（补充）.xlsx"]["rows"]["谈心记录"]["accepted"] + files["七年级8班.xlsx"]["rows"]["谈心记录"]["accepted"]
    assert len(talks) - 1 == expected
    assert {(r[0], r[1]) for r in talks[1:]} == {("七年级9班", "七年级9班（补充）.xlsx"), ("七年级8班", "七年级8班.xlsx")}
    lost = sheet_rows(book, "版本间缺失的行")
    assert len(lost) - 1 == 2 and all(r[2] == "邮件附件/七年级9班.xlsx" and r[4] == "七年级9班（补充）.xlsx" for r in lost[1:])
    assert all("日期=2026-" in r[5] for r in lost[1:])
    received = sheet_rows(book, "收到的文件")
    assert {r[0]: r[3] for r in received[1:]}["坏文件.xlsx"] == "退回"
    assert len(sheet_rows(book, "满意度测评")) > 1


def test_rejected_rows_are_listed_with_reasons_and_strict_rejects_the_file(inbox, tmp_path):
    target = inbox / "七年级8班.xlsx"
    wb = openpyxl.load_workbook(target)
    wb["谈心记录"]["F3"] = "聊天"
    wb.save(target)
    result = run_inbox(inbox, tmp_path / "out", as_of=dt.date(2026, 10, 23))
    f = next(f for f in result.report["files"] if f["path"] == "七年级8班.xlsx")
    assert f["status"] == "accepted" and f["rows"]["谈心记录"]["rejected"] == 1
    rejected = sheet_rows(term_dir(tmp_path / "out") / MERGED, "未采用的行")
    assert any(r[0] == "七年级8班.xlsx" and r[2] == "谈心记录" and r[3] == 3 and "F3" in r[4] and "形式=聊天" in r[5]
               for r in rejected[1:])

    strict = load_settings(inbox / "school.toml").model_copy(deep=True)
    strict.policy.strict = True
    result = run_inbox(inbox, tmp_path / "out2", settings=strict, as_of=dt.date(2026, 10, 23))
    f = next(f for f in result.report["files"] if f["path"] == "七年级8班.xlsx")
    assert f["status"] == "rejected" and "严格模式" in f["reason"]
    assert all(c["accepted"] == 0 and c["read"] == c["rejected"] for c in f["rows"].values())
    assert "七年级8班" in result.report["missing_classes"]


def test_late_classes_and_as_of_capped_at_term_end(inbox, tmp_path):
    result = run_inbox(inbox, tmp_path / "out", as_of=dt.date(2026, 11, 20))
    assert {c["class"] for c in result.report["late_classes"]} == {"七年级8班", "七年级9班"}
    assert result.report["late_classes"][0]["days_since"] == 31
    result = run_inbox(inbox, tmp_path / "out")
    assert result.report["as_of"] <= "2027-01-22"


def test_two_runs_give_the_same_report_and_rows(inbox, tmp_path):
    a = run_inbox(inbox, tmp_path / "a", as_of=dt.date(2026, 10, 23))
    b = run_inbox(inbox, tmp_path / "b", as_of=dt.date(2026, 10, 23))
    ra, rb = ((term_dir(tmp_path / d) / "report.json").read_text(encoding="utf-8") for d in "ab")
    ledger = [o["sha256"] for o in json.loads(ra)["outputs"] if o["path"] == "学校台账.sqlite"]
    other = [o["sha256"] for o in json.loads(rb)["outputs"] if o["path"] == "学校台账.sqlite"]
    # the same but for the ledger's hash: the ledger records when each run ran (terms.run_at)
    assert ra.replace(ledger[0], other[0]) == rb
    wa = openpyxl.load_workbook(term_dir(tmp_path / "a") / MERGED, read_only=True)
    wb = openpyxl.load_workbook(term_dir(tmp_path / "b") / MERGED, read_only=True)
    assert wa.sheetnames == wb.sheetnames
    for name in wa.sheetnames:
        assert sheet_rows(wa[name]) == sheet_rows(wb[name])
    assert a.exit_code == b.exit_code
    assert gc.isenabled()  # paused during a run (see run_inbox), restored after it


def test_a_run_hands_its_objects_to_the_oldest_generation_and_leaves_a_callers_frozen_ones_alone(inbox, tmp_path):
    """The collector paused for a run is restored without a scan of everything the run made (the first allocation
    after it would otherwise scan them all: 0.17 s at the end of a 400-class run): they are in the oldest
    generation when run_inbox returns. A process that froze objects of its own (gc.freeze, as servers do before
    forking) finds them still frozen, and the collector simply re-enabled."""
    made = []
    result = run_inbox(inbox, tmp_path / "a", as_of=dt.date(2026, 10, 23))
    assert gc.isenabled()
    # (a scan would have left them in the younger generations: the report made by the run, its first file's report)
    made_by_the_run = (result.report, result.report["files"][0])
    oldest = gc.get_objects(generation=2)
    assert all(any(o is piece for o in oldest) for piece in made_by_the_run)
    made.append(result)
    mine = {"a caller's": ["object"]}
    gc.freeze()
    try:
        made.append(run_inbox(inbox, tmp_path / "b", as_of=dt.date(2026, 10, 23)))
        assert gc.isenabled() and gc.get_freeze_count() > 0
        assert not any(o is mine for o in gc.get_objects())  # still frozen (in no generation)
    finally:
        gc.unfreeze()
    assert any(o is mine for o in gc.get_objects())
    assert made[0].exit_code == made[1].exit_code


def test_run_command_exit_codes_and_output_rules(inbox, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["run", str(inbox), "--out", str(out), "--as-of", "2026-10-23"]) == 1
    printed = capsys.readouterr().out
    assert "文件：采用" in printed and "坏文件.xlsx" in printed and "七年级10班" in printed
    assert json.loads((term_dir(out) / "report.json").read_text(encoding="utf-8"))["as_of"] == "2026-10-23"
    assert main(["run", str(inbox), "--out", str(inbox / "out")]) == 2  # never write into the inbox
    assert main(["run", str(tmp_path / "nowhere"), "--out", str(out)]) == 2
    assert main(["run", str(inbox), "--out", str(out), "--as-of", "2026/13/01"]) == 2
    (inbox / "坏文件.xlsx").unlink()
    assert main(["run", str(inbox), "--out", str(out), "--as-of", "2026-10-23"]) == 0
    bad = tmp_path / "bad.toml"
    bad.write_text("[policy]\ntalk_frequency = 'daily'\n", encoding="utf-8")
    assert main(["run", str(inbox), "--out", str(out), "--config", str(bad)]) == 2


def test_watch_reruns_when_a_new_file_has_landed(inbox, tmp_path):
    from workbook_engine.cli.watch import watch

    shutil.rmtree(inbox / "邮件附件")
    runs: list[int] = []
    stop = threading.Event()

    def once():
        result = run_inbox(inbox, tmp_path / "out", as_of=dt.date(2026, 10, 23))
        runs.append(result.report["summary"]["files"]["accepted"])

    thread = threading.Thread(target=watch, args=(inbox, once), kwargs={"debounce": 0.3, "stop": stop})
    thread.start()
    try:
        deadline = time.time() + 20
        while not runs and time.time() < deadline:
            time.sleep(0.05)
        c10 = make_class(5, 7, 10, students=5, mentors=1, until=dt.date(2026, 10, 20))
        class_book(tmp_path, c10, "staging.xlsx")
        shutil.copy(tmp_path / "staging.xlsx", inbox / "七年级10班.xlsx")
        while len(runs) < 2 and time.time() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        thread.join(10)
    assert not thread.is_alive()
    assert runs[:2] == [3, 4]


# -- merging never loses or duplicates a row -----------------------------------------------------------
TALKS = CLASS_WORKBOOK.sheet("talks")
talk = st.fixed_dictionaries({
    "date": st.dates(dt.date(2026, 9, 1), dt.date(2026, 9, 10)),
    "teacher_id": st.sampled_from(["T1", "T2"]),
    "student_id": st.sampled_from(["S1", "S2", "S3"]),
    "form": st.sampled_from(["面谈", "电话"]),
})


def _entry(name: str, fill: dt.date, rows: list[dict]) -> InboxFile:
    records = [{**r, "_row": i + 2} for i, r in enumerate(rows)]
    report = FileReport(Path(name), kind="class", class_info={"class_name": "七年级1班", "school_year": "2026-2027",
                                                              "term": "第一学期", "fill_date": fill})
    report.sheets["talks"] = SheetData(TALKS, name="谈心记录", records=records)
    return InboxFile(Path(name), name, report=report, mtime=0)


@hsettings(max_examples=150, deadline=None)
@given(st.lists(talk, max_size=12), st.lists(talk, max_size=12), st.lists(talk, max_size=6))
def test_merging_never_loses_or_duplicates_a_row(old_rows, new_rows, other_rows):
    old = _entry("old.xlsx", dt.date(2026, 9, 10), old_rows)
    new = _entry("new.xlsx", dt.date(2026, 9, 20), new_rows)
    other = _entry("other.xlsx", dt.date(2026, 9, 20), other_rows)
    other.report.class_info["class_name"] = "七年级2班"
    merged = settle([old, new, other], Settings())
    taken = merged.records.get("talks", [])
    key = lambda r: (r["date"], r["teacher_id"], r["student_id"], r["form"])  # noqa: E731 (a talk's identity)
    # every row of the winners is merged exactly once: kept, or counted as a duplicate of another submission's
    # row with the same identity (accepted = unique + duplicates); no identity is kept from two submissions
    assert len(taken) + merged.duplicates.get("talks", 0) == len(new_rows) + len(other_rows)
    sources = {}
    for r in taken:
        assert sources.setdefault(key(r), r["_source"]) == r["_source"]
    assert {key(r) for r in taken} == {key(r) for r in new_rows + other_rows}
    # every row of the older version is either in the winner or listed as lost, never both, never twice
    lost = [key(r.record) for r in merged.lost]
    for k in {key(r) for r in old_rows}:
        in_old = sum(key(r) == k for r in old_rows)
        in_new = sum(key(r) == k for r in new_rows)
        assert lost.count(k) == max(0, in_old - in_new)
    assert old.status == "superseded" and new.status == "accepted"
    for e in (old, new, other):
        assert e.accounting_ok


def test_watch_command_reruns_and_stops_cleanly_on_a_signal(inbox, tmp_path):
    import signal
    import subprocess
    import sys

    shutil.rmtree(inbox / "邮件附件")
    (inbox / "坏文件.xlsx").unlink()
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "workbook_engine", "watch", str(inbox), "--out", str(out),
                             "--debounce", "0.3", "--as-of", "2026-10-23"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    report = term_dir(out) / "report.json"
    try:
        deadline = time.time() + 60
        while not report.exists() and time.time() < deadline:
            time.sleep(0.1)
        first = json.loads(report.read_text(encoding="utf-8"))["summary"]["files"]["accepted"]
        c10 = make_class(5, 7, 10, students=5, mentors=1, until=dt.date(2026, 10, 20))
        class_book(tmp_path, c10, "staging.xlsx")
        shutil.copy(tmp_path / "staging.xlsx", inbox / "七年级10班.xlsx")
        accepted = first
        while accepted == first and time.time() < deadline:
            time.sleep(0.2)
            try:
                accepted = json.loads(report.read_text(encoding="utf-8"))["summary"]["files"]["accepted"]
            except (ValueError, OSError):
                pass
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert (first, accepted) == (3, 4)
    assert proc.returncode == 0 and "已停止" in err


def test_output_children_hand_back_their_work_or_have_it_redone_here():
    """Outputs are written by forked children; a child that fails (or cannot be forked) costs nothing:
    the job is done in this process with the same input."""
    import os
    import threading

    from workbook_engine.execution import Forked as _Forked
    from workbook_engine.execution import fork_allowed

    parent = os.getpid()

    def job(given):
        return ("child" if os.getpid() != parent else "parent", given() * 2)

    ok = _Forked(job)
    ok.give(21)
    # in a child where fork is allowed; where it is not (WORKBOOK_ENGINE_START_METHOD=spawn, Windows, macOS) here
    assert ok.wait() == ("child" if fork_allowed() else "parent", 42)

    def failing(given):
        if os.getpid() != parent:
            raise RuntimeError("the child fails")
        return given() * 2

    failed = _Forked(failing)
    failed.give(21)
    assert failed.wait() == 42

    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:  # another thread is running: forking is unsafe, the job runs here
        threaded = _Forked(job)
        threaded.give(5)
        assert threaded.wait() == ("parent", 10)
    finally:
        stop.set()
        other.join()

    waiting = _Forked(job)  # a run that fails before the input exists stops the child
    waiting.cancel()
    assert waiting.proc is None


def test_work_shared_out_item_by_item_is_done_once_each_and_a_failed_childs_item_here(tmp_path):
    """each(): this process and forked children take the feedback books (or handbooks) one at a time; every
    item is done exactly once, and an item a child took but did not finish is done in this process at the end.
    first() runs here while the children work."""
    import os
    import time

    from workbook_engine.execution import each, fork_allowed

    parent = os.getpid()

    def job(i):
        time.sleep(0.02)  # (long enough for a child to start and take its share)
        (tmp_path / f"{i}-{os.getpid()}").write_text("done")

    assert each(job, 12, 4, first=lambda: "first") == "first"
    done = sorted(p.name for p in tmp_path.iterdir())
    assert sorted(int(n.split("-")[0]) for n in done) == list(range(12))  # each item once
    writers = {n.split("-")[1] for n in done}
    assert str(parent) in writers and (len(writers) == 2 if fork_allowed() and (os.cpu_count() or 1) > 1 else 1)

    for p in tmp_path.iterdir():
        p.unlink()

    def fails_in_a_child(i):
        time.sleep(0.02)
        if os.getpid() != parent:
            os._exit(1)  # the child dies while writing the first item it took
        (tmp_path / str(i)).write_text("done")

    each(fails_in_a_child, 9, 4)
    assert sorted(int(p.name) for p in tmp_path.iterdir()) == list(range(9))


def test_shared_out_work_stops_its_children_when_this_process_fails(tmp_path):
    """A full disk in this process's share stops the run: the children writing the other books are stopped too,
    not left writing into a stage that is about to go."""
    import time

    import psutil
    import pytest

    from workbook_engine.execution import each

    def job(i):
        time.sleep(0.05)
        (tmp_path / str(i)).write_text("done")

    def full_disk():
        time.sleep(0.1)  # (the children have started)
        raise OSError(28, "No space left on device")

    before = {p.pid for p in psutil.Process().children()}
    with pytest.raises(OSError):
        each(job, 40, 4, first=full_disk)
    left = [p for p in psutil.Process().children() if p.pid not in before and p.is_running()
            and p.status() != psutil.STATUS_ZOMBIE]
    assert left == []
    assert len(list(tmp_path.iterdir())) < 40  # stopped part-way, not run to the end


@pytest.mark.skipif(not hasattr(os, "nice"), reason="niceness is POSIX's; where nothing forks, nothing yields")
def test_a_yielding_child_gives_this_process_the_cores_first():
    """The ledger's child starts while this process computes compliance alone (the run's serial stages): it runs
    with a niceness of 5 more than this process, so it takes only what is left of a busy machine."""
    from workbook_engine.execution import Forked, fork_allowed

    if not fork_allowed():
        pytest.skip("fork is not allowed here (WORKBOOK_ENGINE_START_METHOD=spawn): the job runs in this process")
    mine = os.nice(0)
    assert Forked(lambda _: os.nice(0), yielding=True).wait() == mine + 5
    assert Forked(lambda _: os.nice(0)).wait() == mine
