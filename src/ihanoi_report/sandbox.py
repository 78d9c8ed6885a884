"""Runs a given function over jobs (files) in worker processes: a time limit and a memory cap per job,
results in order.

A hostile or broken file can make a parser loop, allocate gigabytes or abort the process
(python-calamine panics in Rust). In a worker that only costs the worker: it is killed or
dies, the job gets a Failure, a fresh worker takes the next one. Results come back in the
order the jobs were given, whatever the number of workers, so a run is reproducible.

An exception raised by the work itself is a bug of this tool, not a fault of the file: it comes
back as the failure "internal-error" with its traceback, for the caller to log. The sandbox knows
nothing of forms or reports: ingest gives it "examine a file", template "write a form".
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import sys
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

SECONDS_PER_FILE = 20.0
MEMORY_LIMIT_BYTES = 2 * 1024**3
STARTUP_SECONDS = 120.0


@dataclass(frozen=True)
class Job:
    index: int
    path: Path
    modified: datetime | None = None  # the file's modification time
    payload: str = ""  # what else the work needs to know (a unit's code, for a form to write)
    size: int = 0  # the bytes of the file it reads, when known: a batch is closed once they reach BATCH_BYTES


@dataclass(frozen=True)
class Failure:
    """Why a job has no result: a finding code (file-too-large, file-unreadable, internal-error) and a detail."""

    code: str
    detail: str


Work = Callable[[Job], Any]  # what a worker does with a job; picklable (a module function or a partial of one)


def _limit_memory(limit: int) -> None:
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):  # not on Windows; not where the hard limit is lower
        pass


def _run_one(job: Job, work: Work) -> Any:
    try:
        return work(job)
    except MemoryError:
        return Failure("file-too-large", "memory")
    except Exception:
        return Failure("internal-error", traceback.format_exc())


def _die_with_parent(parent: int) -> None:
    """A worker never outlives the run that started it, even one killed with SIGKILL: the kernel sends it
    SIGKILL when its parent dies (Linux); elsewhere EOF on its pipe stops it."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            import ctypes
            import signal

            pr_set_pdeathsig = 1
            ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(0)


def _worker(conn: Connection, work: Work, memory_limit: int, parent: int) -> None:
    """Worker loop: run ``work`` on each batch of jobs sent, send the results back together; stop on None
    or when the run's end of the pipe is gone."""
    _die_with_parent(parent)
    # Rust panics print a backtrace on stderr; the verdict says what matters to the user, and a
    # failure of our own comes back with its traceback. Nothing of the worker's goes to stdout either:
    # holding it would keep "ingest --json | wc -c" waiting.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    _limit_memory(memory_limit)

    # What the worker inherited (registry, campaign, modules) lives as long as it does: out of the
    # collector's sight, it is not scanned again for every few files, nor copied page by page after a fork.
    gc.freeze()

    try:
        conn.send("ready")
        while (batch := conn.recv()) is not None:
            conn.send([(job.index, _run_one(job, work)) for job in batch])
    except (EOFError, OSError):  # the run is gone: nobody wants the answer
        return


# Files go to a worker in small batches, and each worker gets two batches ahead: one message
# each way per batch instead of per file, and the worker never waits for this process.
# When a batch fails (time limit, crash), its files are examined again one by one, so the
# limit and the verdict still apply to the one file that caused it. Sixteen forms a batch cost a
# tenth less of ingest's time a file than four (fewer wake-ups of this process, on two cores); a
# batch also stops at BATCH_BYTES of files, so that large files travel and wait for their time
# limit in small batches, and what is in flight stays a few megabytes.
BATCH_SIZE = 16
BATCH_BYTES = 1 << 20
BATCHES_IN_FLIGHT = 2


def take_batch(jobs: Iterator[Job], most: int) -> list[Job]:
    """The next jobs for one message to a worker: at most ``most``, closed once their files reach BATCH_BYTES."""
    batch: list[Job] = []
    size = 0
    while len(batch) < most and size < BATCH_BYTES and (job := next(jobs, None)) is not None:
        batch.append(job)
        size += job.size
    return batch


class _Worker:
    def __init__(self, context: Any, work: Work, memory_limit: int) -> None:
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_worker, args=(child, work, memory_limit, os.getpid()), daemon=True)
        self.process.start()
        child.close()
        self.batches: deque[list[Job]] = deque()  # sent, not answered yet; the first is being examined
        self.started = 0.0  # when the first of ``batches`` started
        self.ready = False

    def send(self, batch: list[Job]) -> None:
        if not self.ready:
            try:
                started = self.conn.poll(STARTUP_SECONDS) and self.conn.recv() == "ready"
            except (EOFError, OSError):
                started = False
            if not started:
                raise RuntimeError("a worker process did not start")
            self.ready = True
        if not self.batches:
            self.started = time.monotonic()
        self.batches.append(batch)
        # A worker that died on an earlier batch cannot take this one: collect() finds out which job
        # stopped it, and sends this batch again to a fresh worker.
        with contextlib.suppress(OSError):
            self.conn.send(batch)

    def answered(self) -> list[Job]:
        """The first batch is done; the next one, already in the pipe, starts now."""
        self.started = time.monotonic()
        return self.batches.popleft()

    def stop(self, kill: bool = False) -> None:
        try:
            if kill:
                self.process.kill()
            else:
                self.conn.send(None)
        except (OSError, ValueError):
            pass
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


OnFailure = Callable[[Job, str, str], Any]


class _Pool:
    """The workers of one run and the jobs between them: what is queued, sent, done, and in which order."""

    def __init__(self, jobs: Iterable[Job], work: Work, on_failure: OnFailure, limits: _Limits) -> None:
        self.context = multiprocessing.get_context(limits.start_method or default_start_method())
        self.work, self.on_failure, self.limits = work, on_failure, limits
        self.workers = [self._start() for _ in range(max(1, limits.workers))]
        self.pending = iter(jobs)
        self.alone: deque[Job] = deque()  # jobs of a failed batch: run one by one to find the culprit
        self.resend: deque[list[Job]] = deque()  # batches a stopped worker had not started
        self.done: dict[int, Any] = {}
        self.order: deque[int] = deque()
        self.exhausted = False

    def _start(self) -> _Worker:
        return _Worker(self.context, self.work, self.limits.memory)

    def next_batch(self) -> list[Job] | None:
        if self.alone:
            return [self.alone.popleft()]
        if self.resend:
            return self.resend.popleft()
        batch = [] if self.exhausted else take_batch(self.pending, self.limits.batch_size)
        if not batch:
            self.exhausted = True
            return None
        self.order.extend(job.index for job in batch)
        return batch

    def feed(self) -> None:
        """Keep every worker two batches ahead, the least busy first."""
        for worker in sorted(self.workers, key=lambda w: len(w.batches)):
            while len(worker.batches) < BATCHES_IN_FLIGHT and (batch := self.next_batch()) is not None:
                worker.send(batch)

    def finished(self) -> bool:
        return self.exhausted and not self.alone and not self.resend and not self.order

    def replace(self, worker: _Worker, code: str, detail: str) -> None:
        """A fresh worker takes the place of a stopped one; the job that stopped it gets a failure."""
        failed = worker.batches.popleft()
        if len(failed) == 1:
            self.done[failed[0].index] = self.on_failure(failed[0], code, detail)
        else:
            self.alone.extend(failed)
        self.resend.extendleft(reversed(worker.batches))
        worker.stop(kill=True)
        self.workers[self.workers.index(worker)] = self._start()

    def collect(self, busy: list[_Worker]) -> None:
        """Take what the busy workers answered; stop one that died or ran out of time."""
        seconds = self.limits.seconds
        timeout = max(0.0, min(w.started + seconds for w in busy) - time.monotonic())
        ready = wait([w.conn for w in busy], timeout=timeout)
        for worker in busy:
            if worker.conn in ready:
                try:
                    results = worker.conn.recv()
                except (EOFError, OSError):  # the worker died on this batch (abort, memory)
                    self.replace(worker, "file-unreadable", "crashed")
                    continue
                for job, (index, result) in zip(worker.answered(), results, strict=True):
                    assert job.index == index
                    failed = isinstance(result, Failure)
                    self.done[index] = self.on_failure(job, result.code, result.detail) if failed else result
            elif time.monotonic() - worker.started >= seconds:
                self.replace(worker, "file-too-large", f"timeout:{seconds:g}")

    def results(self) -> Iterator[Any]:
        try:
            while True:
                self.feed()
                while self.order and self.order[0] in self.done:
                    yield self.done.pop(self.order.popleft())
                busy = [w for w in self.workers if w.batches]
                if busy:
                    self.collect(busy)
                elif self.finished():
                    return
        finally:
            for worker in self.workers:
                worker.stop(kill=bool(worker.batches))


@dataclass(frozen=True)
class _Limits:
    workers: int
    seconds: float
    memory: int
    start_method: str | None
    batch_size: int


def run_all(
    jobs: Iterable[Job],
    work: Work,
    on_failure: OnFailure,
    *,
    workers: int = 2,
    seconds: float = SECONDS_PER_FILE,
    memory_limit: int = MEMORY_LIMIT_BYTES,
    start_method: str | None = None,
    batch_size: int = BATCH_SIZE,
) -> Iterator[Any]:
    """Yield ``work(job)`` for every job, in order; ``on_failure(job, code, detail)`` for a job that has none."""
    limits = _Limits(workers, seconds, memory_limit, start_method, batch_size)
    return _Pool(jobs, work, on_failure, limits).results()


def default_start_method() -> str:
    """fork where it is safe and fast (Linux, no other thread): the workers start in milliseconds
    with everything already imported; spawn elsewhere (Windows, macOS), as multiprocessing advises."""
    if sys.platform == "linux" and threading.active_count() == 1:
        return "fork"
    return "spawn"


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 4))
