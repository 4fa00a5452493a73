"""Django Ninja API over the async ORM (aget, acount, async for)."""
import asyncio
import logging
import time

import httpx
import requests
from asgiref.sync import sync_to_async
from django.conf import settings
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError

from billing.models import Invoice, Customer
from billing.pdf import render_pdf

api = NinjaAPI(urls_namespace="billing")
logger = logging.getLogger("billing.api")
_mailer = httpx.AsyncClient(base_url=settings.MAILER_URL, timeout=10)


class ReminderOut(Schema):
    sent: int


async def send_reminder(invoice: Invoice) -> None:
    await _mailer.post("/send", json={"to": invoice.email, "template": "reminder", "id": invoice.pk})


@api.post("/customers/{customer_id}/remind", response=ReminderOut)
async def remind_customer(request, customer_id: int):
    customer = await Customer.objects.aget(pk=customer_id)
    sent = 0
    async for invoice in Invoice.objects.filter(customer=customer, paid=False):
        await send_reminder(invoice)  # expect: L4
        sent += 1
    logger.info(f"sent {sent} reminders to customer {customer.pk}")  # expect: L4
    return {"sent": sent}


@api.post("/customers/{customer_id}/remind-bulk", response=ReminderOut)
async def remind_customer_bulk(request, customer_id: int):
    invoices = [i async for i in Invoice.objects.filter(customer_id=customer_id, paid=False)]  # expect-none
    sem = asyncio.Semaphore(8)

    async def one(inv):
        async with sem:
            await send_reminder(inv)

    await asyncio.gather(*(one(i) for i in invoices))  # expect-none
    logger.info("sent %d reminders to customer %s", len(invoices), customer_id)  # expect-none
    return {"sent": len(invoices)}


@api.get("/invoices/{invoice_id}/pdf")
async def invoice_pdf(request, invoice_id: int):
    invoice = await Invoice.objects.aget(pk=invoice_id)
    while not invoice.pdf_ready:
        time.sleep(0.2)  # expect: L4
        await invoice.arefresh_from_db()
    return await sync_to_async(render_pdf)(invoice)  # expect-none


@api.get("/invoices/{invoice_id}/tax")
async def invoice_tax(request, invoice_id: int):
    invoice = await Invoice.objects.aget(pk=invoice_id)
    resp = requests.get(f"{settings.TAX_URL}/rates/{invoice.country}", timeout=5)  # expect: L4
    if resp.status_code != 200:
        raise HttpError(502, "tax service down")
    return {"rate": resp.json()["rate"]}


@api.get("/invoices/stats")
async def invoice_stats(request):
    open_count = await Invoice.objects.filter(paid=False).acount()  # expect-none
    return {"open": open_count}


@api.get("/invoices/stats-sync")
def invoice_stats_sync(request):
    time.sleep(0.05)  # expect-none
    return {"open": Invoice.objects.filter(paid=False).count()}
