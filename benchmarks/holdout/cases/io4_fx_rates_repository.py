"""FX conversion service: injected repositories over AsyncSession and HTTP clients."""
import asyncio
import logging
from decimal import Decimal
from typing import Protocol

import httpx
import requests
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from .models import Payment

log = logging.getLogger(__name__)


class RateSource(Protocol):
    async def rate(self, base: str, quote: str) -> Decimal: ...


class HttpRateSource:
    def __init__(self, client: httpx.AsyncClient):
        self.client = client

    async def rate(self, base: str, quote: str) -> Decimal:
        resp = await self.client.get(f"/rates/{base}/{quote}")  # expect-none
        return Decimal(resp.json()["rate"])


class LegacyRateSource:
    def __init__(self, http: requests.Session, base_url: str):
        self.http = http
        self.base_url = base_url

    async def rate(self, base: str, quote: str) -> Decimal:
        resp = self.http.get(f"{self.base_url}/rates/{base}/{quote}", timeout=5)  # expect: L4
        return Decimal(resp.json()["rate"])


class PaymentRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def unconverted(self) -> list[Payment]:
        result = await self.session.scalars(select(Payment).where(Payment.amount_eur.is_(None)))  # expect-none
        return list(result)

    async def save_all(self, payments: list[Payment]) -> None:
        self.session.add_all(payments)
        await self.session.commit()  # expect-none


class ConversionService:
    def __init__(self, repo: PaymentRepository, rates: HttpRateSource):
        self.repo = repo
        self.rates = rates

    async def convert_serial(self) -> int:
        payments = await self.repo.unconverted()
        for p in payments:
            p.amount_eur = p.amount * await self.rates.rate(p.currency, "EUR")  # expect: L4
        await self.repo.save_all(payments)
        return len(payments)

    async def convert(self) -> int:
        payments = await self.repo.unconverted()
        currencies = sorted({p.currency for p in payments})
        quotes = await asyncio.gather(*(self.rates.rate(c, "EUR") for c in currencies))  # expect-none
        table = dict(zip(currencies, quotes))
        for p in payments:
            p.amount_eur = p.amount * table[p.currency]  # expect-none
        await self.repo.save_all(payments)
        log.info("converted %d payments in %d currencies", len(payments), len(table))  # expect-none
        return len(payments)

    async def convert_by_currency(self, currencies: list[str]) -> dict[str, Decimal]:
        out = {}
        for cur in currencies:
            out[cur] = await self.rates.rate(cur, "EUR")  # expect: L4
            log.info("rate %s/EUR = %s" % (cur, out[cur]))  # expect: L4
        return out
