"""Async services: Django async ORM, an asyncio queue worker and a plugin registry."""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

from django.http import JsonResponse

from billing.models import Invoice, Subscription

log = logging.getLogger(__name__)
T = TypeVar("T")


class Named(Protocol):
    name: str


class Registry(Generic[T]):
    def __init__(self) -> None:
        self._items: list[T] = []
        self._names: list[str] = []

    def register(self, item: T) -> None:
        self._items.append(item)
        self._names.append(item.name)

    def names(self) -> list[str]:
        return list(self._names)


@dataclass(slots=True)
class Batch:
    invoice_ids: list[int] = field(default_factory=list)


async def overdue_report(request):
    paid_ids = [pk async for pk in Invoice.objects.filter(paid=True).values_list("pk", flat=True)]
    rows = []
    async for inv in Invoice.objects.filter(customer_id=request.GET["customer"]):
        if inv.pk not in paid_ids:  # expect: L1
            rows.append({"id": inv.pk, "due": inv.due_date.isoformat()})
    return JsonResponse({"rows": rows})


async def overdue_report_fast(request):
    paid_ids = {pk async for pk in Invoice.objects.filter(paid=True).values_list("pk", flat=True)}
    rows = [
        {"id": inv.pk}
        async for inv in Invoice.objects.filter(customer_id=request.GET["customer"])
        if inv.pk not in paid_ids  # expect-none
    ]
    total = await Invoice.objects.filter(customer_id=request.GET["customer"]).acount()
    return JsonResponse({"rows": rows, "total": total})


async def renewal_digest(request):
    plans = ("basic", "pro", "team")
    lines = []
    async for sub in Subscription.objects.filter(plan__in=plans):
        if sub.plan in plans:  # expect-none
            lines.append(f"{sub.pk}: {sub.plan}")
    return JsonResponse({"digest": "\n".join(lines)})  # expect-none


async def queue_worker(queue: asyncio.Queue, done: Batch) -> None:
    while True:
        invoice_id = await queue.get()
        if invoice_id in done.invoice_ids:  # expect: L1
            queue.task_done()
            continue
        done.invoice_ids.append(invoice_id)
        queue.task_done()


async def run_workers(ids: list[int]) -> Batch:
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in ids:
        queue.put_nowait(i)  # expect-none
    done = Batch()
    async with asyncio.TaskGroup() as tg:
        for _ in range(4):
            tg.create_task(queue_worker(queue, done))  # expect-none
        await queue.join()
    return done


def import_products(registry: Registry[Named], feed: list[Named]) -> list[Named]:
    skipped = []
    known = registry.names()
    for product in feed:
        if product.name in known:  # expect: L1
            skipped.append(product)
            continue
        registry.register(product)
    return skipped


async def settle(ids: list[int], pending: list[int]) -> list[int]:
    settled = []
    while pending:
        head = pending[0]
        pending = pending[1:]  # expect: L1
        if head in ids:  # expect: L1
            settled.append(head)
    return settled


async def fetch_all(client, urls: list[str]) -> list[bytes]:
    async with asyncio.TaskGroup() as tg:
        tasks = [tg.create_task(client.get(u)) for u in urls]  # expect-none
    return [t.result().content for t in tasks]
