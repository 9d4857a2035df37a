"""Where the per-file stage runs: a small interface, worker processes by default.

Anything with ``map_files(fn, paths, *args)`` yielding ``(index, result)`` as results arrive can stand in
(a cluster engine, say); results may come in any order, the index says which path they belong to. A file
whose worker dies (a reader crash, the memory limit) or raises yields a ``WorkerFailure`` instead of a
result: it costs that file, never the run. "Raises" means any BaseException (a native reader's
PanicException is one), and a result or exception that cannot be pickled back is a failure of its file too;
only KeyboardInterrupt (and SystemExit in this process) stop the run.

Also the one place that knows how children are started and kept on a leash, on every platform:
``WORKBOOK_ENGINE_START_METHOD=spawn`` forbids fork everywhere (as on Windows and macOS); every child
watches the process that started it and ends itself soon after that process dies (``watch_parent``);
and the parent watches each worker's memory (``limits.worker_memory_mb``) itself, so the limit holds
where the ``resource`` module does not exist (Windows) or is not enforced (macOS).
"""
from __future__ import annotations

import atexit
import gc
import importlib
import multiprocessing
import os
import sys
import threading
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import Any, NoReturn, Protocol

import psutil

from workbook_engine.catalogue import t
from workbook_engine.files import BEFORE_REPLACE
from workbook_engine.model import Executor, WorkerFailure

START_METHOD_ENV = "WORKBOOK_ENGINE_START_METHOD"
POLL_S = 0.2  # how often the parent looks at its workers' memory, and a child at its parent
EXIT_ORPHANED = 70  # a child's exit status when it ended itself because its parent had died
EXIT_MAIN_REIMPORTED = 71  # a spawned worker found the run being started again by the main script's import


class SerialExecutor:
    """Run every file in this process, in order (no isolation: for tests and debugging)."""

    def map_files(self, fn: Callable[..., Any], paths: Sequence[Any], *args: Any) -> Iterator[tuple[int, Any]]:
        for i, path in enumerate(paths):
            try:
                result = fn(path, *args)
            except (KeyboardInterrupt, SystemExit):
                raise
            except BaseException as exc:  # PanicException from a native reader is not an Exception
                result = _failure(path, exc)
            yield i, result


def _failure(path: Any, exc: BaseException) -> WorkerFailure:
    return WorkerFailure(str(path), f"{type(exc).__name__}: {exc}", False)


def _outcome(future: Any, path: Any) -> Any:
    """A finished future's result, or the WorkerFailure of its file. Whatever the worker raised arrives here
    (a PicklingError when its result or exception could not be sent back); KeyboardInterrupt stops the run."""
    try:
        return future.result()
    except (BrokenProcessPool, KeyboardInterrupt):
        raise
    except BaseException as exc:  # SystemExit from the per-file function is that file's failure too
        return _failure(path, exc)


# -- how children start ------------------------------------------------------------------------------
def spawn_forced() -> bool:
    """WORKBOOK_ENGINE_START_METHOD=spawn: start every child as a fresh interpreter, never fork (what
    Windows and macOS do anyway); for testing those platforms' behaviour on Linux."""
    return os.environ.get(START_METHOD_ENV, "").strip().lower() == "spawn"


def fork_allowed() -> bool:
    """Whether this process may fork a child now: the platform has fork, it is not forbidden, and this
    process runs one thread (forking a process with other threads can deadlock the child)."""
    return (sys.platform != "win32" and not spawn_forced() and "fork" in multiprocessing.get_all_start_methods()
            and threading.active_count() == 1)


def pool_start_method() -> str:
    if fork_allowed():
        # fork starts a worker at once with everything already imported (~0.5 s sooner than a fresh
        # interpreter); with other threads running (a progress bar, a folder watcher) forkserver
        return "fork"
    methods = multiprocessing.get_all_start_methods()
    return "forkserver" if "forkserver" in methods and not spawn_forced() else "spawn"


def reimporting_main() -> bool:
    """True in a spawned child while it re-imports the main script: a script that starts a run at its top
    level, without ``if __name__ == "__main__":``, would start it again in every worker."""
    return bool(getattr(multiprocessing.current_process(), "_inheriting", False))


def refuse_in_reimported_main() -> None:
    """Called where a run starts: in a worker re-importing an unguarded script, end the worker quietly
    (the parent then runs the files itself and says why) instead of starting a second run."""
    if reimporting_main():
        os._exit(EXIT_MAIN_REIMPORTED)


# -- the parent-death watch ----------------------------------------------------------------------------
_orphaned = threading.Event()
_watched: tuple[int, bool, Any] | None = None  # in a watching child: (parent pid, direct parent, psutil.Process)


def orphaned() -> bool:
    """In a child: its parent has died (nothing it writes is wanted any more). Asks afresh each time, so a
    child checks it right before publishing a file."""
    return _orphaned.is_set() or (_watched is not None and not _parent_alive(*_watched))


def _exit_if_orphaned() -> None:
    """Before a file is put in place (files.atomic_path): a child whose parent has died ends itself instead."""
    if orphaned():
        raise SystemExit(EXIT_ORPHANED)


BEFORE_REPLACE.append(_exit_if_orphaned)


def _parent_alive(owner: int, direct: bool, proc: Any) -> bool:
    if direct and sys.platform != "win32":
        return os.getppid() == owner  # a dead parent's children are adopted at once (even while it is a zombie)
    try:
        return bool(proc.is_running()) and proc.status() != psutil.STATUS_ZOMBIE
    except Exception:  # psutil.NoSuchProcess, AccessDenied: gone or not ours any more
        return False


def _kernel_kill_on_parent_death() -> None:
    """Linux: the kernel sends SIGKILL the moment the parent dies, even while this process is busy in native
    code that holds the GIL (where the watching thread cannot run)."""
    try:
        import ctypes  # (Linux only, as the kernel call below: imported where it is used)
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG
    except Exception:  # pragma: no cover - the thread below still watches
        pass


def watch_parent(owner: int, interval: float = POLL_S, main_thread: bool = False) -> None:
    """In a child: a daemon thread that ends this process (os._exit, no clean-up that could write) within
    about `interval` seconds of `owner`'s death, however it died (kill -9 included), on every platform:
    a change of parent on POSIX, psutil (process handle and start time, so a reused pid is no alibi)
    elsewhere. On Linux, for a child started by the parent's main thread, the kernel kills it at once too
    (PR_SET_PDEATHSIG fires when the starting thread ends, hence only for the main thread)."""
    if main_thread and sys.platform.startswith("linux") and os.getppid() == owner:
        _kernel_kill_on_parent_death()
    direct = os.getppid() == owner  # after the prctl: a parent that died meanwhile is seen here
    proc = None
    if not direct or sys.platform == "win32":
        try:
            proc = psutil.Process(owner)
        except Exception:
            os._exit(EXIT_ORPHANED)  # already gone

    global _watched
    _watched = (owner, direct, proc)

    def loop() -> None:
        while True:
            time.sleep(interval)
            if not _parent_alive(owner, direct, proc):
                _orphaned.set()
                os._exit(EXIT_ORPHANED)

    threading.Thread(target=loop, name="workbook-engine-parent-watch", daemon=True).start()


def _worker_start(owner: int, megabytes: int | None, rlimit: bool, main_thread: bool = False) -> None:
    """Worker initializer: watch the run's process; cap the address space where the OS enforces it; end at once
    when the pool is done with it (exit_at_once); no cycle collector, as in the run (collector_paused): a spawned
    reader scanned its parsed rows again and again (the spawned run 0.97 × without it)."""
    watch_parent(owner, main_thread=main_thread)
    exit_at_once()
    gc.disable()  # (as a forked worker inherits it from the run: collector_paused)
    if rlimit and megabytes:
        _limit_memory(megabytes)


def _limit_memory(megabytes: int | None) -> None:
    """Cap the address space so a runaway parse fails at once (Linux; the parent's watch holds everywhere)."""
    if not megabytes:
        return
    try:
        import resource  # (POSIX only: Windows has no such module)

        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):  # pragma: no cover - not on this platform
        pass


def _rlimit_works() -> bool:
    """RLIMIT_AS exists and is enforced: Linux only (macOS accepts it and ignores it; Windows has no resource)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import resource  # noqa: F401
    except ImportError:
        return False
    return True


def _own_rss() -> int:
    try:
        return int(psutil.Process().memory_info().rss)
    except Exception:  # pragma: no cover - psutil is a dependency
        return 0


def memory_reason(megabytes: int | None) -> str:
    # (kept in report.json as a problem's value, for whoever looks into it: both languages)
    if megabytes:
        return _both("executor.over_memory", mb=megabytes, setting="limits.worker_memory_mb")
    return _both("executor.out_of_memory")


def _both(key: str, **kw: object) -> str:
    """A reason written where the run's language is not known (a worker, a startup probe): "中文 / English"."""
    return f"{t(key, 'zh', **kw)} / {t(key, 'en', **kw)}"


class ProcessExecutor:
    """Run files in a pool of worker processes (all cores by default), each with a memory limit that the
    parent enforces by watching the workers (and, on Linux, the kernel too)."""

    def __init__(self, workers: int | None = None, memory_mb: int | None = 4096) -> None:
        self.workers = max(1, workers or os.cpu_count() or 1)
        self.memory_mb = memory_mb
        self.serial_reason: str | None = None  # set when the files had to be read in this process

    def _pool(self, workers: int) -> ProcessPoolExecutor:
        method = pool_start_method()
        # a forked worker starts as a copy of this process, so its resident size counts this process's pages:
        # the limit applies to what it adds (a fresh interpreter starts from nothing)
        self._baseline = _own_rss() if method == "fork" else 0
        return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(method),
                                   initializer=_worker_start,
                                   initargs=(os.getpid(), self.memory_mb, _rlimit_works(),
                                             threading.current_thread() is threading.main_thread()))

    def _over_limit(self, pool: ProcessPoolExecutor, watched: dict[int, Any]) -> bool:
        """Kill any worker of pool over the memory limit; True if one was."""
        if not self.memory_mb:
            return False
        limit, killed = self.memory_mb * 1024 * 1024 + getattr(self, "_baseline", 0), False
        for pid in list(getattr(pool, "_processes", None) or {}):
            try:
                proc = watched.get(pid) or watched.setdefault(pid, psutil.Process(pid))
                if proc.memory_info().rss > limit:
                    proc.kill()
                    killed = True
            except Exception:  # the worker has just ended
                continue
        return killed

    def _results(self, pool: ProcessPoolExecutor, futures: dict[Future, int], killed: list[bool]
                 ) -> Iterator[tuple[Future, int]]:
        """Futures as they finish, the workers' memory checked every POLL_S meanwhile."""
        watched: dict[int, Any] = {}
        pending = set(futures)
        while pending:
            done, pending = wait(pending, timeout=POLL_S, return_when=FIRST_COMPLETED)
            for future in done:
                yield future, futures[future]
            if pending and self._over_limit(pool, watched):
                killed[0] = True

    def _outcome(self, future: Future, path: Any) -> Any:
        """_outcome, with a worker's MemoryError (the address-space limit) said as the memory limit."""
        if not future.cancelled() and isinstance(future.exception(), MemoryError):
            return WorkerFailure(str(path), memory_reason(self.memory_mb), True, self.memory_mb or None)
        return _outcome(future, path)

    def map_files(self, fn: Callable[..., Any], paths: Sequence[Any], *args: Any) -> Iterator[tuple[int, Any]]:
        if not paths:
            return
        refuse_in_reimported_main()
        broken: list[int] = []
        killed = [False]
        with self._pool(min(self.workers, len(paths))) as pool:
            futures = {pool.submit(fn, paths[i], *args): i for i in largest_first(paths)}
            for future, i in self._results(pool, futures, killed):
                try:
                    result = self._outcome(future, paths[i])
                except BrokenProcessPool:
                    broken.append(i)  # some worker died: which file did it is found out below
                    continue
                yield i, result
        if broken and len(broken) == len(paths) and not killed[0]:
            why = self._pool_fails()
            if why:
                # workers cannot start at all here (the main module cannot be re-imported, as in `python -`, or
                # a script starts the run without `if __name__ == "__main__":`): read in this process instead
                self.serial_reason = why
                warnings.warn(why, RuntimeWarning, stacklevel=2)
                serial = SerialExecutor()
                for i in broken:
                    _, value = next(serial.map_files(fn, [paths[i]], *args))
                    yield i, value
                return
        for i in sorted(broken):  # each alone in a fresh worker, so a crash is pinned on its own file
            killed = [False]
            with self._pool(1) as pool:
                future = pool.submit(fn, paths[i], *args)
                for _ in self._results(pool, {future: i}, killed):
                    pass
                try:
                    result = self._outcome(future, paths[i])
                except BrokenProcessPool:
                    reason = memory_reason(self.memory_mb) if killed[0] else _both("executor.died")
                    result = WorkerFailure(str(paths[i]), reason, True, self.memory_mb if killed[0] else None)
            yield i, result

    def _pool_fails(self) -> str | None:
        """Why no worker can run here (None when one can)."""
        ctx: Any = multiprocessing.get_context(pool_start_method())  # (typed BaseContext, which lacks Process)
        try:
            probe = ctx.Process(target=_probe)
            probe.start()
            probe.join(120)
            code = probe.exitcode
        except Exception as exc:
            return _both("executor.cannot_start", error=type(exc).__name__)
        if code == 0:
            return None
        if code == EXIT_MAIN_REIMPORTED:
            return _both("executor.no_main_guard", function="run_inbox", guard='if __name__ == "__main__":')
        return _both("executor.no_workers")


def largest_first(paths: Sequence[Any]) -> list[int]:
    """The paths' indexes, the largest file first: the workers take files as they free up, so the big ones start
    early and the last to finish are small (the files phase ends with every worker busy, not one reading a big
    file alone). A path that cannot be looked at counts as empty (its worker says what is wrong with it)."""
    def size(i: int) -> int:
        try:
            return os.stat(paths[i]).st_size
        except (OSError, TypeError, ValueError):
            return 0
    return sorted(range(len(paths)), key=lambda i: -size(i))


def _probe() -> None:
    return None


class Helper:
    """Where nothing forks (Windows, macOS, WORKBOOK_ENGINE_START_METHOD=spawn): one spawned process, started once
    the files are read so that it imports `modules` on the core this process leaves idle while it computes
    compliance and the scores; then it takes picklable jobs (submit) beside this process's own writing. A fresh
    interpreter costs ~0.4 s of imports, so one helper for the run, not one per book."""

    def __init__(self, modules: Sequence[str]) -> None:
        self.pool: ProcessPoolExecutor | None = ProcessPoolExecutor(
            max_workers=1, mp_context=multiprocessing.get_context("spawn"), initializer=_helper_start,
            initargs=(os.getpid(), tuple(modules)))
        self.pool.submit(_probe)  # (its process starts now)

    @classmethod
    def where_needed(cls, modules: Sequence[str]) -> Helper | None:
        """A helper where fork is not allowed (else the run's children are forked: none needed)."""
        return None if fork_allowed() else cls(modules)

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future | None:
        """fn(*args) in the helper; None where it cannot be given (the caller does the job itself)."""
        if self.pool is None:
            return None
        try:
            return self.pool.submit(fn, *args)
        except Exception:  # BrokenProcessPool, a job that cannot be pickled
            return None

    def close(self, kill: bool = False) -> None:
        """Done with the helper: its process ends (killed at once with `kill`: the run failed)."""
        if self.pool is None:
            return
        if kill:
            for proc in list((getattr(self.pool, "_processes", None) or {}).values()):
                try:
                    proc.kill()
                except Exception:  # already gone
                    pass
        self.pool.shutdown(wait=not kill, cancel_futures=True)
        self.pool = None


def _helper_start(owner: int, modules: tuple[str, ...]) -> None:
    """The helper's initializer: watch the run's process (ends itself if it dies), no cycle collector (as in the
    run: collector_paused), import what its jobs need."""
    watch_parent(owner)
    exit_at_once()
    gc.disable()  # (as a forked child inherits it from the run: collector_paused)
    for module in modules:
        importlib.import_module(module)


def exit_at_once() -> None:
    """In a spawned pool process: once the pool lets it go (its results are all sent by then), it ends without the
    interpreter's teardown (freeing every object, unloading every module: ~0.1 s for the helper, which the run's
    process waits for in ProcessPoolExecutor.shutdown). The last exit handler registered runs first. A forked
    process ends this way already (os._exit) and never runs the handlers."""
    atexit.register(end_now, 0)


def end_now(code: int) -> NoReturn:
    """End this process with `code` at once (os._exit, the same on every platform), its standard output and error
    flushed first: no interpreter teardown, for a process whose work is all done and whose files are all closed
    (the program: cli.entry; a spawned pool process: exit_at_once)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:  # (none at all under pythonw)
                stream.flush()
        except (OSError, ValueError):  # a closed pipe (`| head`), a stream closed already
            pass
    os._exit(code)


def default_executor(memory_mb: int | None = 4096) -> Executor:
    return ProcessExecutor(memory_mb=memory_mb)


# -- work in a forked child, where the platform allows ------------------------------------------------
YIELDING_NICE = 5  # a yielding child's niceness: about a third of a core's share beside this process (Linux)


class Forked:
    """job(given) run in a forked child, which shares the run's data without copying it. given() returns
    the value the parent passes to .give() later (so a child can start before all its input exists);
    .wait() returns job's result. Where fork is unsafe, unavailable or forbidden (other threads running,
    Windows, macOS, WORKBOOK_ENGINE_START_METHOD=spawn), or if the child fails, job runs in this process at
    .wait() instead: the result is the same either way. The child ends itself soon after this process dies
    and then publishes nothing (watch_parent, orphaned)."""

    def __init__(self, job: Callable[[Callable[[], Any]], Any], yielding: bool = False) -> None:
        self.job, self.value, self.proc = job, None, None
        if not fork_allowed():
            return
        ctx = multiprocessing.get_context("fork")
        self.results, results_in = ctx.Pipe(duplex=False)
        values_out, self.values = ctx.Pipe(duplex=False)
        owner, main_thread = os.getpid(), threading.current_thread() is threading.main_thread()

        def child() -> None:
            watch_parent(owner, main_thread=main_thread)
            if yielding:  # work that can wait: this process (the run's serial stages) goes first on a busy machine
                os.nice(YIELDING_NICE)
            try:
                results_in.send(("ok", job(values_out.recv)))
            except BaseException as exc:  # report it; the parent then does the job itself
                results_in.send(("error", repr(exc)))

        self.proc = ctx.Process(target=child, daemon=True)
        self.proc.start()
        results_in.close()
        values_out.close()

    def give(self, value: Any = None) -> None:
        self.value = value
        if self.proc is not None:
            try:
                self.values.send(value)
            except (BrokenPipeError, OSError):
                pass  # the child is gone: wait() finds out

    def cancel(self) -> None:
        """Stop the child (the run failed before its input was ready)."""
        if self.proc is not None:
            self.proc.kill()
            self.proc.join()
            self.proc = None

    def wait(self) -> Any:
        if self.proc is not None:
            try:
                status, result = self.results.recv()
            except EOFError:
                status, result = "error", "child died"
            self.proc.join()
            if status == "ok":
                return result
        return self.job(lambda: self.value)


def beside(job: Callable[[], Any]) -> Forked:
    """job() in a forked child from now on, beside this process's own work; .wait() returns its result (job runs
    in this process at .wait() where fork is not available, as Forked says)."""
    child = Forked(lambda _: job())
    child.give()
    return child


class _Taken:
    """Which items of a shared-out job are taken and which are done: in memory the forked children share, or a
    plain list where nothing forks."""

    def __init__(self, items: int, shared: bool) -> None:
        if shared:
            ctx = multiprocessing.get_context("fork")
            self.next: Any = ctx.Value("i", 0)
            self.done: Any = ctx.RawArray("b", items)
        else:
            self.next, self.done = None, bytearray(items)
        self.local = 0

    def take(self) -> int:
        if self.next is None:
            self.local += 1
            return self.local - 1
        with self.next.get_lock():
            self.next.value += 1
            return int(self.next.value) - 1


def each(job: Callable[[int], Any], items: int, most: int, first: Callable[[], Any] | None = None) -> Any:
    """job(i) for every i < items, shared out as they come: this process and up to `most` - 1 forked children (never
    more than the CPUs or the items) each take the next i until none is left, so the processes finish together
    however the items differ (Forked: everything in this process where fork is not available). `first()`, if
    given, runs in this process before it takes any item (the children have begun); its result is returned. An
    item a child took but did not finish (the child failed) is done here at the end."""
    parts = max(1, min(os.cpu_count() or 1, most, items))
    taken = _Taken(items, parts > 1 and fork_allowed())

    def work() -> None:
        while (i := taken.take()) < items:
            job(i)
            taken.done[i] = 1

    children = [Forked(lambda _: work()) for _ in range(1, parts)]
    for child in children:
        child.give()
    try:
        result = first() if first is not None else None
        work()
    except BaseException:  # this process's share failed (a full disk): the run stops, so do the children
        for child in children:
            child.cancel()
        raise
    for child in children:
        child.wait()
    for i in range(items):
        if not taken.done[i]:
            job(i)
    return result


# -- where a run's workbooks are written ----------------------------------------------------------------------
HANDBOOK_PROCESSES = 4  # at most: a handbook takes ~40 ms, 600 teachers ~25 s in one process
FEEDBACK_PROCESSES = 4  # at most: a feedback book takes ~7 ms alone, 400 classes ~3 s in one process


class OutputWork(Protocol):
    """A run's workbooks as plain pieces of work (writing.outputs.RunOutputs), each writing into the stage."""

    timings: dict[str, float]

    @property
    def compliance(self) -> Any: ...
    @property
    def with_compliance(self) -> bool: ...
    @property
    def with_forms(self) -> bool: ...
    def merged_book(self, compliance: Callable[[], Any]) -> float: ...
    def books_job(self) -> tuple[Callable[..., Any], Any]: ...
    def share(self) -> None: ...
    def summary(self) -> float: ...
    def report_body(self) -> tuple[Any, float]: ...
    @property
    def classes(self) -> int: ...
    def feedback_book(self, i: int) -> None: ...
    def claimed_feedback(self) -> float: ...
    def missing_books(self) -> None: ...
    def assignment_form(self) -> None: ...
    def handbooks(self) -> int: ...
    def handbook(self, i: int) -> None: ...
    def written(self) -> list[str]: ...


def begin_merged_book(work: OutputWork) -> Forked:
    """The merged book in a child as soon as the rows are merged: its data sheets are written while this process
    computes compliance; .give(compliance) hands over the grids' data (write_outputs does)."""
    return Forked(work.merged_book)


def write_outputs(work: OutputWork, merged_book: Forked, remembering: Forked | None = None,
                  helper: Helper | None = None) -> tuple[list[str], tuple[Any, float], Any]:
    """Every workbook of a run, in several processes where the platform allows: the merged book's child (begun by
    begin_merged_book); a child for the summary; this process for report.json's bulk and the class assignment form;
    the feedback books and the handbooks taken one by one by this process and up to FEEDBACK_PROCESSES - 1
    (HANDBOOK_PROCESSES - 1) more children, this one joining in once its own pieces are done. Where nothing forks,
    a spawned `helper` (Helper) writes the summary and the feedback books instead, beside this process, which
    writes the merged book and the ledger, then the feedback books the helper has not claimed yet, from the last
    (and what the helper did not write if it fails). `remembering` is the ledger's child
    (pipeline.begin_remembering). Returns the workbooks written, relative to OUT, report.json's bulk
    (outputs.report_body) and what `remembering` returned."""
    helped = helper.submit(*work.books_job()) if helper is not None and work.with_compliance else None
    merged_book.give(work.compliance)
    summary = None

    def own() -> tuple[Any, float]:
        """This process's own pieces, done before it joins in the books shared out: report.json's bulk and the
        class assignment form (the shared books then end with every process busy: the form written after them
        was 0.6 s of one core alone at the end of a 400-class run)."""
        body = work.report_body()
        if work.with_forms:
            started = time.perf_counter()
            work.assignment_form()
            work.timings["forms"] = time.perf_counter() - started
        return body

    try:
        if work.with_compliance and helped is None:
            work.share()  # computed here once, shared by the children
            summary = beside(work.summary)
            started = time.perf_counter()
            body = each(work.feedback_book, work.classes, FEEDBACK_PROCESSES, first=own)
            work.timings["feedback books"] = (time.perf_counter() - started - body[1]
                                              - work.timings.get("forms", 0.0))
        else:
            body = own()
        if work.with_forms:  # the handbooks on request
            started = time.perf_counter()
            count = work.handbooks()
            if count:
                each(work.handbook, count, HANDBOOK_PROCESSES)
            work.timings["forms"] += time.perf_counter() - started
        waited, worked = time.perf_counter(), 0.0  # (worked: seconds of the waits spent writing here)
        remembered = None
        if remembering is not None:
            remembered, seconds = _waited(remembering)
            worked += seconds
        work.timings["merged book"], seconds = _waited(merged_book)
        worked += seconds
        if summary is not None:
            work.timings["summary"] = summary.wait()
        elif work.with_compliance:
            mine = work.claimed_feedback()  # from the last, while the helper takes them from the first
            worked += mine
            books = _helped(helped)
            if books is None:  # the helper failed: what it did not write is written here
                clock = time.perf_counter()
                work.missing_books()
                worked += time.perf_counter() - clock
            else:
                work.timings["summary"], work.timings["feedback books"] = books[0], books[1] + mine
    except BaseException:  # (the caller stops the merged book's and the ledger's children, and the helper)
        if summary is not None:
            summary.cancel()
        raise
    work.timings["outputs (waiting)"] = time.perf_counter() - waited - worked  # this process idle, others writing
    return work.written(), body, remembered


def _waited(child: Forked) -> tuple[Any, float]:
    """child.wait(), and the seconds this process spent on it doing the child's job itself (none when a child did
    it: those were spent waiting)."""
    here, started = child.proc is None, time.perf_counter()
    result = child.wait()
    return result, (time.perf_counter() - started if here else 0.0)


def _helped(helped: Future | None) -> Any:
    """What the helper's job returned; None if there was none or it failed (its process died, say)."""
    if helped is None:
        return None
    try:
        return helped.result()
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:
        return None


# -- the run's process hygiene ------------------------------------------------------------------------------
@contextmanager
def collector_paused() -> Iterator[None]:
    """The run builds millions of small objects that all live until it ends; Python's cycle collector would
    scan them again and again and find nothing to free (~1 s of a 100-class run, the same peak memory
    without it), so it is paused for the run and restored afterwards.

    While it is paused every object the run made stays in the collector's youngest generation, and the first
    allocation after it is restored would scan them all (0.17 s at the end of a 400-class run). So they are moved
    to the oldest generation first, at once (gc.freeze then gc.unfreeze: two list splices), which a full collection
    reaches only after many more objects are made: never in the command line, which ends at once, and in a long
    process (the watcher, the web page) once the run's objects are mostly freed. Not where the process had frozen
    objects of its own (a server freezing what its forked workers share): unfreeze would release them too."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            if gc.get_freeze_count() == 0:
                gc.freeze()
                gc.unfreeze()
            gc.enable()


def preload(*modules: str) -> threading.Thread:
    """Import modules in a background thread (while the workers read the files: pandas takes a while).
    Join it before anything forks: forking is safe only while this process has one thread."""
    thread = threading.Thread(target=lambda: [importlib.import_module(m) for m in modules], daemon=True)
    thread.start()
    return thread
