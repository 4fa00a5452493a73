import heapq
from collections import OrderedDict


class PrintSpooler:
    def __init__(self):
        self.jobs = []
        self.recent = OrderedDict()

    def submit(self, job):
        self.jobs.append(job)

    def drain(self, printer):
        while self.jobs:
            job = self.jobs.pop(0)  # expect: L1
            printer.send(job)
            self.recent[job.id] = job
            self.recent.move_to_end(job.id)  # expect-none
            if len(self.recent) > 100:
                self.recent.popitem(last=False)  # expect-none

    def requeue_urgent(self, urgent_jobs):
        for job in urgent_jobs:
            self.jobs.insert(0, job)  # expect: L1


def by_priority(jobs) -> list:
    heap = [(j.priority, j.seq, j) for j in jobs]
    heapq.heapify(heap)
    order = []
    while heap:
        order.append(heapq.heappop(heap)[2])  # expect-none
    return order


def by_priority_scan(jobs: list) -> list:
    order = []
    while jobs:
        nxt = min(jobs, key=lambda j: j.priority)  # expect: L1
        jobs.remove(nxt)  # expect: L1
        order.append(nxt)
    return order
