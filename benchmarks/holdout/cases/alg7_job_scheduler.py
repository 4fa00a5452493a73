"""A small in-process job scheduler used by the ingestion workers.

Jobs arrive from the API (thousands per minute at peak); the scheduler
hands them out in FIFO order within a priority and retries failures.
"""
from __future__ import annotations

import heapq
import logging
import time
from collections import deque
from dataclasses import dataclass, field
from enum import Enum
from operator import attrgetter
from typing import Callable, Optional

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


class State(Enum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


@dataclass(order=True)
class Job:
    priority: int
    job_id: str = field(compare=False)
    payload: dict = field(compare=False, default_factory=dict)
    attempts: int = field(compare=False, default=0)
    state: State = field(compare=False, default=State.QUEUED)


class FifoQueue:
    """FIFO of job ids."""

    def __init__(self) -> None:
        self._items: list[str] = []

    def put(self, job_id: str) -> None:
        self._items.append(job_id)

    def put_front(self, job_id: str) -> None:
        self._items.insert(0, job_id)

    def get(self) -> Optional[str]:
        if not self._items:
            return None
        return self._items.pop(0)  # expect: L1

    def __len__(self) -> int:
        return len(self._items)


class DequeQueue:
    def __init__(self) -> None:
        self._items: deque[str] = deque()

    def put_front(self, job_id: str) -> None:
        self._items.appendleft(job_id)  # expect-none

    def get(self) -> Optional[str]:
        return self._items.popleft() if self._items else None  # expect-none


class Scheduler:
    def __init__(self, runner: Callable[[Job], None]) -> None:
        self.runner = runner
        self.jobs: dict[str, Job] = {}
        self.fifo = FifoQueue()
        self.ready: list[Job] = []
        self._heap: list[Job] = []

    def submit(self, job: Job) -> None:
        self.jobs[job.job_id] = job
        self.fifo.put(job.job_id)
        self.ready.append(job)
        heapq.heappush(self._heap, job)

    @property
    def next_due(self) -> Optional[Job]:
        queued = [j for j in self.jobs.values() if j.state is State.QUEUED]
        return sorted(queued, key=attrgetter("priority"))[0] if queued else None  # expect: L1

    def drain_fifo(self) -> int:
        ran = 0
        while (job_id := self.fifo.get()) is not None:
            job = self.jobs[job_id]
            self._run(job)
            ran += 1
        return ran

    def drain_by_priority(self) -> None:
        while self.ready:
            job = min(self.ready, key=attrgetter("priority"))  # expect: L1
            self.ready.remove(job)
            self._run(job)

    def drain_heap(self) -> None:
        while self._heap:
            job = heapq.heappop(self._heap)  # expect-none
            self._run(job)

    def drain_sorted_each_time(self) -> None:
        pending = list(self.jobs.values())
        while pending:
            pending.sort(key=attrgetter("priority"), reverse=True)  # expect: L1
            job = pending.pop()
            self._run(job)
            if job.state is State.FAILED and job.attempts < MAX_ATTEMPTS:
                pending.append(job)

    def _run(self, job: Job) -> None:
        job.attempts += 1
        job.state = State.RUNNING
        try:
            self.runner(job)
        except Exception:
            logger.exception("job %s failed", job.job_id)
            job.state = State.FAILED
            self.fifo.put_front(job.job_id)
        else:
            job.state = State.DONE

    def counts(self) -> dict[str, int]:
        return {s.value: sum(1 for j in self.jobs.values() if j.state is s) for s in State}  # expect-none


def replay(lines: list[str], handle: Callable[[str], None]) -> None:
    """Replays a journal; the first line is a header."""
    while lines:
        match lines[0].split(" ", 1):
            case ["#", _]:
                del lines[0]  # expect: L1
            case [cmd, rest]:
                handle(f"{cmd}:{rest}")
                lines = lines[1:]  # expect: L1
            case _:
                lines = lines[1:]


def strip_header(lines: list[str]) -> list[str]:
    while lines and lines[0].startswith("#"):
        lines.pop(0)  # expect-none
    return lines


def wait_for(scheduler: Scheduler, job_id: str, timeout: float = 5.0) -> State:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if scheduler.jobs[job_id].state in (State.DONE, State.FAILED):  # expect-none
            break
        time.sleep(0.05)
    return scheduler.jobs[job_id].state
