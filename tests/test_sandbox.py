"""The sandbox on its own, with plain functions for work: results in order, and a job that hangs, eats
memory, kills its worker or raises costs that job alone, with the failure it deserves."""

from __future__ import annotations

import faulthandler
import os
import time
from pathlib import Path

import pytest

from ihanoi_report.sandbox import BATCH_BYTES, BATCH_SIZE, Job, run_all, take_batch


def _work(job: Job) -> tuple[int, str]:
    """What the payload asks: a result, or one way a parser can go wrong on a hostile file."""
    if job.payload == "hang":
        time.sleep(30)
    elif job.payload == "eat":
        _ = bytearray(4 * 1024**3)  # beyond the memory cap: MemoryError in the worker
    elif job.payload == "abort":
        faulthandler.disable()  # pytest's would print the worker's stack on the terminal
        os.abort()  # as a parser's native code does when it fails hard
    elif job.payload == "bug":
        raise KeyError("a bug of ours")
    return job.index, job.path.name


def _failed(job: Job, code: str, detail: str) -> tuple[int, str, str]:
    return job.index, code, detail.splitlines()[-1] if detail else ""


def _jobs(*payloads: str) -> list[Job]:
    return [Job(i, Path(f"f{i}.xlsx"), payload=p) for i, p in enumerate(payloads)]


@pytest.mark.parametrize("workers", [1, 3])
@pytest.mark.parametrize("batch_size", [1, 4])
def test_results_come_back_in_the_order_of_the_jobs(workers, batch_size):
    jobs = _jobs(*[""] * 23)
    results = list(run_all(jobs, _work, _failed, workers=workers, batch_size=batch_size))
    assert results == [(i, f"f{i}.xlsx") for i in range(23)]


def test_results_come_back_in_order_from_batches_cut_by_their_files_sizes():
    sizes = [10_000] * 30 + [BATCH_BYTES * 3] + [BATCH_BYTES // 3] * 7 + [0] * 20
    jobs = [Job(i, Path(f"f{i}.xlsx"), size=size) for i, size in enumerate(sizes)]
    results = list(run_all(jobs, _work, _failed, workers=2))
    assert results == [(i, f"f{i}.xlsx") for i in range(len(sizes))]


def test_a_batch_is_cut_at_its_count_or_once_its_files_reach_the_byte_limit():
    def batches(sizes: list[int]) -> list[int]:
        pending = iter([Job(i, Path(f"f{i}"), size=size) for i, size in enumerate(sizes)])
        lengths = []
        while batch := take_batch(pending, BATCH_SIZE):
            lengths.append(len(batch))
        return lengths

    assert batches([12_000] * 40) == [16, 16, 8]  # forms: the count closes the batch
    assert batches([0] * 20) == [16, 4]  # sizes unknown: the count alone
    assert batches([BATCH_BYTES // 2] * 7) == [2, 2, 2, 1]  # the batch that reaches the limit is closed
    assert batches([BATCH_BYTES * 20, 100, 100]) == [1, 2]  # a large file travels alone
    assert batches([]) == []


def test_no_jobs_no_results():
    assert list(run_all([], _work, _failed)) == []


def test_a_job_that_hangs_is_stopped_at_its_time_limit_and_the_others_go_on():
    started = time.monotonic()
    results = list(run_all(_jobs("", "hang", "", "", ""), _work, _failed, workers=2, seconds=0.5, batch_size=2))
    assert results == [(0, "f0.xlsx"), (1, "file-too-large", "timeout:0.5"), (2, "f2.xlsx"), (3, "f3.xlsx"),
                       (4, "f4.xlsx")]
    assert time.monotonic() - started < 10


def test_a_job_over_the_memory_cap_is_too_large():
    results = list(run_all(_jobs("eat", ""), _work, _failed, workers=1, memory_limit=512 * 1024**2))
    assert results == [(0, "file-too-large", "memory"), (1, "f1.xlsx")]


@pytest.mark.parametrize("start_method", ["fork", "spawn"])
def test_a_worker_that_dies_costs_its_job_and_a_fresh_worker_takes_the_rest(start_method):
    results = list(run_all(_jobs("", "abort", "", "abort", ""), _work, _failed, workers=1, batch_size=3,
                           start_method=start_method))
    assert results == [(0, "f0.xlsx"), (1, "file-unreadable", "crashed"), (2, "f2.xlsx"),
                       (3, "file-unreadable", "crashed"), (4, "f4.xlsx")]


def test_an_exception_of_the_work_is_the_tools_fault_with_its_traceback():
    results = list(run_all(_jobs("bug", ""), _work, lambda job, code, detail: (job.index, code, detail),
                           workers=1))
    index, code, detail = results[0]
    assert (index, code) == (0, "internal-error")
    assert "Traceback" in detail and "KeyError: 'a bug of ours'" in detail and "_work" in detail
    assert results[1] == (1, "f1.xlsx")


def test_stopping_early_leaves_no_worker_behind():
    import multiprocessing

    results = run_all(_jobs(*[""] * 50), _work, _failed, workers=3)
    assert next(results) == (0, "f0.xlsx")
    results.close()  # the caller stops reading (Ctrl+C, an error in the store)
    assert multiprocessing.active_children() == []
