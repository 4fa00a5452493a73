"""Celery tasks of the billing service, thin wrappers over ``billing.lib``.

``render_invoice`` runs once per issued invoice (tens of thousands at month
end), ``score_batch`` once per batch of 500 invoices from the fraud queue.
The library part (renderer, risk model, signer) is kept in this module for
now; it moves to its own package once the API settles.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from decimal import Decimal

import joblib
from celery import shared_task
from celery.signals import worker_process_init
from lxml import etree

from billing.celery import app
from billing.store import load_invoice, load_invoices, save_pdf

INVOICE_XSL = """<xsl:stylesheet version="1.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:template match="/"><html><xsl:value-of select="//total"/></html></xsl:template>
</xsl:stylesheet>"""
MODEL_PATH = "/srv/models/invoice-risk-v7.joblib"
FALLBACK_RATES = '{"USD": "0.92", "GBP": "1.17", "CHF": "1.04"}'
SIGNING_SECRET = "billing-signature-key"
SIGNING_SALT = b"invoice-v2"

_TRANSFORM = etree.XSLT(etree.XML(INVOICE_XSL))  # expect-none
_AMOUNTS = etree.XPath("//line/amount/text()")  # expect-none
_SIGNING_KEY = hashlib.pbkdf2_hmac("sha256", SIGNING_SECRET.encode(), SIGNING_SALT, 200_000)  # expect-none
_model = None


@worker_process_init.connect
def _load_model(**_: object) -> None:
    global _model
    _model = joblib.load(MODEL_PATH)  # expect-none


@dataclass
class Invoice:
    number: str
    currency: str
    xml: bytes
    total: Decimal


class InvoiceRenderer:
    def _stylesheet(self) -> etree.XSLT:
        return etree.XSLT(etree.XML(INVOICE_XSL))  # expect: L3

    def render(self, inv: Invoice) -> bytes:
        doc = etree.fromstring(inv.xml)
        return bytes(self._stylesheet()(doc))

    def render_fast(self, inv: Invoice) -> bytes:
        return bytes(_TRANSFORM(etree.fromstring(inv.xml)))  # expect-none


def line_amounts(inv: Invoice) -> list[Decimal]:
    find = etree.XPath("//line/amount/text()")  # expect: L3
    return [Decimal(a) for a in find(etree.fromstring(inv.xml))]


def in_euro(inv: Invoice) -> Decimal:
    if inv.currency != "EUR":
        rates = json.loads(FALLBACK_RATES)  # expect: L3
        return inv.total * Decimal(rates[inv.currency])
    return inv.total


def signature(inv: Invoice) -> str:
    key = hashlib.pbkdf2_hmac("sha256", SIGNING_SECRET.encode(), SIGNING_SALT, 200_000)  # expect: L3
    return hashlib.blake2b(inv.number.encode(), key=key[:32]).hexdigest()


def signature_fast(inv: Invoice) -> str:
    return hashlib.blake2b(inv.number.encode(), key=_SIGNING_KEY[:32]).hexdigest()  # expect-none


def password_digest(password: str, salt: bytes) -> bytes:
    return hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 200_000)  # expect-none


class RiskModel:
    @classmethod
    def load(cls):
        return joblib.load(MODEL_PATH)  # expect: L3

    @staticmethod
    def flags() -> dict:
        return json.loads(os.environ.get("RISK_FLAGS", "{}"))  # expect: L3


@shared_task
def render_invoice(number: str) -> None:
    inv = load_invoice(number)
    save_pdf(number, InvoiceRenderer().render(inv), signature(inv))


@app.task(bind=True, max_retries=3)
def score_batch(self, numbers: list[str]) -> list[float]:
    model = RiskModel.load()
    rows = []
    for inv in load_invoices(numbers):
        if inv.currency in RiskModel.flags().get("skip_currencies", ()):
            continue
        amounts = line_amounts(inv)
        rows.append([float(in_euro(inv)), len(amounts), float(max(amounts, default=0))])
    return list(model.predict_proba(rows)[:, 1])


@app.task(bind=True)
def score_batch_fast(self, numbers: list[str]) -> list[float]:
    rows = [[float(i.total), len(_AMOUNTS(etree.fromstring(i.xml)))] for i in load_invoices(numbers)]
    return list(_model.predict_proba(rows)[:, 1])  # expect-none
