"""Benchmark: the engine's full `run` against the naive merge an office script does today.

    python benchmarks/bench.py                       # 10, 40 and 100 classes, 3 runs each
    python benchmarks/bench.py --classes 40 --runs 5

For each school size it generates (once, cached under benchmarks/.cache) a seeded school in the canonical
template layout — 45 students a class, weekly talks for a whole term, monthly parent contacts — then times,
alternating in one session, each measurement in a fresh process (so peak memory is that run's own):

  (a) naive:  pandas.read_excel(sheet_name=None, engine="openpyxl") on every file, concatenated per sheet,
              written back with DataFrame.to_excel;
  (b) engine: workbook_engine.run_inbox, the whole job (read, validate, merge, compliance, scoring, every
              output workbook), with the time of each stage;
  (c) peer:   with --peer, the fastest merge an analyst would write today: fastexcel reads every sheet into
              polars, the frames are concatenated per sheet (diagonal_relaxed: columns by name, types widened),
              and the merged book is written through xlsxwriter (polars' write_excel). polars and fastexcel come
              from the `bench` extra (pip install -e '.[bench]'); they are never a dependency of the engine.

It prints the median wall time, rows per second, peak memory (the larger of: the process plus its largest
worker by rusage, and all its processes together by proportional set size sampled from /proc) and the ratio
(b)/(a), and whether the targets hold: (b) <= 0.5 x (a) at 40 classes, under 10 s and under 1 GiB at 100; with --peer,
(b) <= 0.33 x (c) at 40 and at 100 classes.

    python benchmarks/bench.py --classes 40 100 --peer --no-naive
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(__file__).resolve().parent / ".cache"
TEMPLATE = ROOT / "blank_templates" / "班级学情工作簿.xlsx"
TERM_END = dt.date(2027, 1, 22)
AS_OF = dt.date(2027, 1, 22)


def _one_class(args: tuple[int, Path]) -> int:
    from workbook_engine.writing.samples import fill_template, make_class

    n, folder = args
    grade, number = 7 + n // 40, n % 40 + 1
    data = make_class(100 + n, grade, number, students=45, mentors=5, until=TERM_END - dt.timedelta(days=7))
    fill_template(TEMPLATE, data, folder / f"{data.class_name}.xlsx")
    return sum(len(v) for v in data.sheets.values())


def school(n_classes: int) -> Path:
    """The generated inbox for a school of n classes (cached)."""
    from workbook_engine.writing.samples import make_class, school_toml, write_assessment

    folder = CACHE / f"school-{n_classes}"
    done = folder / ".complete"
    if done.exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    with ProcessPoolExecutor() as pool:
        list(pool.map(_one_class, [(n, folder) for n in range(n_classes)]))
    classes = [make_class(100 + n, 7 + n // 40, n % 40 + 1, students=45, mentors=5, until=dt.date(2026, 9, 10))
               for n in range(n_classes)]
    write_assessment(classes, folder / "学校考核数据.xlsx")
    names = [c.class_name for c in classes]
    (folder / "school.toml").write_text(school_toml(names), encoding="utf-8")
    done.write_text("ok")
    return folder


def naive(inbox: Path, out: Path) -> dict:
    """What an office script does today."""
    import pandas as pd

    frames: dict[str, list] = {}
    rows = 0
    for path in sorted(inbox.glob("*.xlsx")):
        for sheet, df in pd.read_excel(path, sheet_name=None, engine="openpyxl").items():
            df["来源文件"] = path.name
            frames.setdefault(sheet, []).append(df)
            rows += len(df)
    out.mkdir(parents=True, exist_ok=True)
    with pd.ExcelWriter(out / "合并.xlsx") as writer:
        for sheet, parts in frames.items():
            pd.concat(parts, ignore_index=True).to_excel(writer, sheet_name=sheet[:31], index=False)
    return {"rows": rows}


def peer(inbox: Path, out: Path) -> dict:
    """The fastest merge-only script an analyst would write: fastexcel -> polars -> xlsxwriter."""
    import fastexcel
    import polars as pl
    import xlsxwriter

    frames: dict[str, list] = {}
    rows = 0
    for path in sorted(inbox.glob("*.xlsx")):
        reader = fastexcel.read_excel(path)
        for sheet in reader.sheet_names:
            df = reader.load_sheet(sheet).to_polars().with_columns(pl.lit(path.name).alias("来源文件"))
            frames.setdefault(sheet, []).append(df)
            rows += df.height
    out.mkdir(parents=True, exist_ok=True)
    with xlsxwriter.Workbook(out / "合并.xlsx") as book:
        for sheet, parts in frames.items():
            pl.concat(parts, how="diagonal_relaxed").write_excel(workbook=book, worksheet=sheet[:31])
    return {"rows": rows}


def engine(inbox: Path, out: Path) -> dict:
    from workbook_engine.pipeline import run_inbox

    result = run_inbox(inbox, out, as_of=AS_OF)
    s = result.report["summary"]
    return {"rows": s["rows"]["read"], "stages": result.timings, "exit": result.exit_code}


def measure(kind: str, inbox: str, out: str) -> None:
    """Run one measurement in this (fresh) process and print it as JSON."""
    started = time.perf_counter()
    info = {"naive": naive, "peer": peer, "engine": engine}[kind](Path(inbox), Path(out))
    info["seconds"] = time.perf_counter() - started
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    info["peak_mb"] = (own + children) / 1024  # this process plus its largest worker (ru_maxrss is in KiB)
    print(json.dumps(info))


def _tree(pid: int) -> list[int]:
    """pid and its descendants (Linux /proc; empty elsewhere)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        for children in Path(f"/proc/{p}/task").glob("*/children"):
            try:
                todo += [int(c) for c in children.read_text().split()]
            except (OSError, ValueError):
                pass
    return out


def _pss_mb(pids: list[int]) -> float | None:
    """The processes' proportional set size in MB: memory they share (copy-on-write pages after a fork)
    counted once, so the sum is what the run really holds."""
    total, seen = 0, False
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
                    seen = True
                    break
        except (OSError, ValueError):
            pass
    return total / 1024 if seen else None


def run_measure(kind: str, inbox: Path) -> dict:
    """One measurement in a fresh process; its process tree's memory (PSS) is sampled every 0.25 s."""
    out = CACHE / f"out-{kind}"
    shutil.rmtree(out, ignore_errors=True)
    proc = subprocess.Popen([sys.executable, __file__, "--measure", kind, str(inbox), str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = None
    while proc.poll() is None:
        pss = _pss_mb(_tree(proc.pid))
        if pss is not None:
            peak = max(peak or 0.0, pss)
        time.sleep(0.25)
    stdout, stderr = proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(f"{kind} failed:\n{stderr}")
    info = json.loads(stdout.strip().splitlines()[-1])
    info["pss_mb"] = peak
    return info


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--classes", type=int, nargs="+", default=[10, 40, 100])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-naive", action="store_true", help="skip the naive merge (for quick checks)")
    parser.add_argument("--peer", action="store_true",
                        help="also time the polars+fastexcel merge (the `bench` extra) and print engine/peer")
    parser.add_argument("--measure", nargs=3, metavar=("KIND", "INBOX", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(*args.measure)
        return
    print(f"workbook-engine benchmark · {os.cpu_count()} cores · median of {args.runs} alternating runs")
    table = []
    peers: list[tuple[int, float, float]] = []  # (classes, engine s, peer s)
    for n in args.classes:
        inbox = school(n)
        kinds = (() if args.no_naive else ("naive",)) + (("peer",) if args.peer else ()) + ("engine",)
        runs: dict[str, list[dict]] = {kind: [] for kind in ("naive", "peer", "engine")}
        for _ in range(args.runs):
            for kind in kinds:
                runs[kind].append(run_measure(kind, inbox))
        eng = runs["engine"]
        e_sec = statistics.median(r["seconds"] for r in eng)
        e_mem = max(max(r["peak_mb"], r.get("pss_mb") or 0) for r in eng)
        rows = eng[0]["rows"]
        n_sec = statistics.median(r["seconds"] for r in runs["naive"]) if runs["naive"] else None
        n_mem = max(max(r["peak_mb"], r.get("pss_mb") or 0) for r in runs["naive"]) if runs["naive"] else None
        stages = {k: statistics.median(r["stages"][k] for r in eng) for k in eng[0]["stages"]}
        p_sec = statistics.median(r["seconds"] for r in runs["peer"]) if runs["peer"] else None
        table.append((n, rows, n_sec, n_mem, e_sec, e_mem, stages))
        if p_sec:
            peers.append((n, e_sec, p_sec))
        print(f"\n{n} classes, {rows} rows")
        if p_sec:
            p_mem = max(max(r["peak_mb"], r.get("pss_mb") or 0) for r in runs["peer"])
            print(f"  peer merge  : {p_sec:7.2f} s  {rows / p_sec:9.0f} rows/s  peak {p_mem:6.0f} MB"
                  "  (fastexcel + polars + xlsxwriter)")
        if n_sec:
            print(f"  naive merge : {n_sec:7.2f} s  {rows / n_sec:9.0f} rows/s  peak {n_mem:6.0f} MB")
        print(f"  engine run  : {e_sec:7.2f} s  {rows / e_sec:9.0f} rows/s  peak {e_mem:6.0f} MB"
              + (f"  ratio {e_sec / n_sec:.2f}" if n_sec else ""))
        pss = [r.get("pss_mb") for r in eng if r.get("pss_mb")]
        print(f"  engine peak : {max(r['peak_mb'] for r in eng):.0f} MB this process + its largest child (rusage), "
              + (f"{max(pss):.0f} MB all its processes together (PSS, sampled)" if pss else "PSS not available"))
        print("  stages      : " + ", ".join(f"{k} {v:.2f}s" for k, v in stages.items()))
    print("\n| classes | rows | naive s | engine s | engine rows/s | engine peak MB | engine / naive |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for n, rows, n_sec, _, e_sec, e_mem, _ in table:
        ratio = f"{e_sec / n_sec:.2f}" if n_sec else "—"
        print(f"| {n} | {rows} | {n_sec:.1f} | {e_sec:.2f} | {rows / e_sec:.0f} | {e_mem:.0f} | {ratio} |"
              if n_sec else f"| {n} | {rows} | — | {e_sec:.2f} | {rows / e_sec:.0f} | {e_mem:.0f} | — |")
    print("\ntargets:")
    for n, e_sec, p_sec in peers:
        if n in (40, 100):
            ratio = e_sec / p_sec
            print(f"  {n} classes: engine {e_sec:.2f} s / peer {p_sec:.2f} s = {ratio:.2f} (target <= 0.33): "
                  f"{'met' if ratio <= 0.33 else 'NOT met'}")
    for n, _, n_sec, _, e_sec, e_mem, _ in table:
        if n == 40 and n_sec:
            met = "met" if e_sec <= 0.5 * n_sec else "NOT met"
            print(f"  40 classes: engine {e_sec / n_sec:.2f} x naive (target <= 0.5): {met}")
        if n == 100:
            print(f"  100 classes: {e_sec:.1f} s (target < 10): {'met' if e_sec < 10 else 'NOT met'}; "
                  f"peak {e_mem:.0f} MB (target < 1024): {'met' if e_mem < 1024 else 'NOT met'}")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
