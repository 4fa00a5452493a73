"""Background job runners: a simple FIFO runner and the asyncio worker pool."""
import asyncio
import logging
from collections import deque

log = logging.getLogger(__name__)


class JobRunner:
    def __init__(self, executor, max_retries: int = 3):
        self.executor = executor
        self.max_retries = max_retries
        self.pending = []
        self.done = []

    def submit(self, job) -> None:
        self.pending.append(job)

    def run_all(self) -> int:
        while self.pending:
            job = self.pending.pop(0)  # expect: L1
            try:
                self.executor.run(job)
            except Exception:
                log.exception("job %s failed", job.id)
                job.attempts += 1
                if job.attempts < self.max_retries:
                    self.pending.append(job)
                continue
            self.done.append(job.id)
        return len(self.done)

    def was_run(self, job_ids: list[int]) -> list[int]:
        return [j for j in job_ids if j in self.done]  # expect: L1


class DequeRunner:
    def __init__(self, executor):
        self.executor = executor
        self.pending = deque()
        self.done: set[int] = set()

    def run_all(self) -> None:
        while self.pending:
            job = self.pending.popleft()  # expect-none
            self.executor.run(job)
            self.done.add(job.id)

    def was_run(self, job_ids: list[int]) -> list[int]:
        return [j for j in job_ids if j in self.done]  # expect-none


class AsyncRunner:
    def __init__(self, executor, workers: int = 8):
        self.executor = executor
        self.workers = workers
        self.queue: asyncio.Queue = asyncio.Queue()

    async def worker(self) -> None:
        while True:
            job = await self.queue.get()  # expect-none
            try:
                await self.executor.run(job)
            finally:
                self.queue.task_done()


def newest_first(events: list[dict]) -> list[dict]:
    ordered = []
    for ev in events:
        ordered.insert(0, ev)  # expect: L1
    return ordered


def newest_first_reversed(events: list[dict]) -> list[dict]:
    return events[::-1]  # expect-none
