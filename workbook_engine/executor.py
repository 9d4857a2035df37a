"""Where the per-file stage runs: a small interface, worker processes by default.

Anything with ``map_files(fn, paths, *args)`` yielding ``(index, result)`` as results arrive can stand in
(a cluster engine, say); results may come in any order, the index says which path they belong to. A file
whose worker dies (a reader crash, the memory limit) or raises yields a ``WorkerFailure`` instead of a
result: it costs that file, never the run. "Raises" means any BaseException (a native reader's
PanicException is one), and a result or exception that cannot be pickled back is a failure of its file too;
only KeyboardInterrupt (and SystemExit in this process) stop the run.
"""
from __future__ import annotations

import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Protocol, Sequence


@dataclass
class WorkerFailure:
    """The per-file stage did not return: why, in words for the report."""

    path: str
    reason: str
    crashed: bool  # the worker process died (True) or the function raised (False)


class Executor(Protocol):
    def map_files(self, fn: Callable[..., Any], paths: Sequence[Any], *args: Any) -> Iterator[tuple[int, Any]]: ...


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


def _limit_memory(megabytes: int | None) -> None:
    """Worker initializer: cap the address space so a runaway parse fails alone."""
    if not megabytes:
        return
    try:
        import resource

        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):  # pragma: no cover - not on this platform
        pass


class ProcessExecutor:
    """Run files in a pool of worker processes (all cores by default), each with a memory limit."""

    def __init__(self, workers: int | None = None, memory_mb: int | None = 4096) -> None:
        self.workers = max(1, workers or os.cpu_count() or 1)
        self.memory_mb = memory_mb

    def _pool(self, workers: int) -> ProcessPoolExecutor:
        # fork starts a worker at once with everything already imported (~0.5 s sooner than a fresh
        # interpreter); it is safe only while this process has one thread (a progress bar or a folder
        # watcher runs threads: then forkserver)
        methods = multiprocessing.get_all_start_methods()
        if "fork" in methods and threading.active_count() == 1:
            method = "fork"
        else:
            method = "forkserver" if "forkserver" in methods else "spawn"
        return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(method),
                                   initializer=_limit_memory, initargs=(self.memory_mb,))

    def _pool_works(self) -> bool:
        try:
            with self._pool(1) as pool:
                return pool.submit(_probe).result(timeout=60) > 0
        except Exception:
            return False

    def map_files(self, fn: Callable[..., Any], paths: Sequence[Any], *args: Any) -> Iterator[tuple[int, Any]]:
        if not paths:
            return
        broken: list[int] = []
        with self._pool(min(self.workers, len(paths))) as pool:
            futures = {pool.submit(fn, path, *args): i for i, path in enumerate(paths)}
            for future in as_completed(futures):
                i = futures[future]
                try:
                    result = _outcome(future, paths[i])
                except BrokenProcessPool:
                    broken.append(i)  # some worker died: which file did it is found out below
                    continue
                yield i, result
        if broken and len(broken) == len(paths) and not self._pool_works():
            # workers cannot start at all here (e.g. the main module cannot be re-imported, as in `python -`):
            # run in this process rather than blame every file
            serial = SerialExecutor()
            for i in broken:
                _, value = next(serial.map_files(fn, [paths[i]], *args))
                yield i, value
            return
        for i in sorted(broken):  # each alone in a fresh worker, so a crash is pinned on its own file
            with self._pool(1) as pool:
                try:
                    result = _outcome(pool.submit(fn, paths[i], *args), paths[i])
                except BrokenProcessPool:
                    result = WorkerFailure(str(paths[i]), "读取进程异常退出（可能内存超限或读取程序崩溃）", True)
            yield i, result


def _probe() -> int:
    return os.getpid()


def default_executor(memory_mb: int | None = 4096) -> Executor:
    return ProcessExecutor(memory_mb=memory_mb)
