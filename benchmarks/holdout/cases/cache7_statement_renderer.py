"""Monthly statement rendering.

Statements are produced by the ``statements`` worker: for each account the
ledger is exported as XML, transformed to XHTML with the bank's stylesheet and
wrapped in the e-mail layout.  Notes written by advisers are Markdown.
"""
from __future__ import annotations

import copy
import logging
import xml.etree.ElementTree as etree
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Iterable, Iterator

from jinja2 import Environment, Template as J2Template
from lxml import etree as lx
import markdown as md

log = logging.getLogger(__name__)

STATEMENT_XSL = b"""<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:template match="/ledger"><table><xsl:apply-templates select="entry"/></table></xsl:template>
  <xsl:template match="entry"><tr><td><xsl:value-of select="@date"/></td><td><xsl:value-of select="@amount"/></td></tr></xsl:template>
</xsl:stylesheet>"""
EMAIL_LAYOUT = "<html><body><h1>{{ account.holder }}</h1>{{ table | safe }}<div>{{ notes | safe }}</div></body></html>"
LEDGER_SKELETON = "<ledger currency='EUR'><meta generator='statements/2'/></ledger>"
MD_EXTENSIONS = ["tables", "fenced_code", "sane_lists"]

_ENV = Environment(autoescape=True)
_LAYOUT = _ENV.from_string(EMAIL_LAYOUT)  # expect-none
_TRANSFORM = lx.XSLT(lx.fromstring(STATEMENT_XSL))  # expect-none
_SKELETON = etree.fromstring(LEDGER_SKELETON)  # expect-none


@dataclass
class Account:
    number: str
    holder: str
    entries: list[tuple[str, Decimal]]
    notes_md: str = ""


@contextmanager
def statement_span(account: Account) -> Iterator[dict]:
    """Timing/log context entered once per account."""
    ctx = {"account": account.number, "style": lx.XSLT(lx.XML(STATEMENT_XSL))}  # expect: L3
    log.debug("rendering %s", account.number)
    yield ctx
    log.debug("rendered %s", account.number)


class LedgerDocument:
    def __init__(self, account: Account) -> None:
        self.account = account

    @cached_property
    def tree(self) -> etree.Element:
        root = copy.deepcopy(_SKELETON)  # expect-none
        for day, amount in self.account.entries:
            etree.SubElement(root, "entry", date=day, amount=str(amount))
        return root

    def fresh_tree(self) -> etree.Element:
        root = etree.fromstring(LEDGER_SKELETON)  # expect: L3
        for day, amount in self.account.entries:
            etree.SubElement(root, "entry", date=day, amount=str(amount))
        return root

    def __iter__(self) -> Iterator[str]:
        totals = lx.XPath("sum(/ledger/entry/@amount)")  # expect: L3
        yield str(totals(lx.fromstring(etree.tostring(self.fresh_tree()))))


class NotesFormatter:
    def __init__(self) -> None:
        self._converter = md.Markdown(extensions=MD_EXTENSIONS)  # expect-none

    def html(self, text: str) -> str:
        self._converter.reset()
        return self._converter.convert(text)


def _notes_html(text: str) -> str:
    return md.Markdown(extensions=MD_EXTENSIONS, output_format="html").convert(text)  # expect: L3


def _table_html(doc: LedgerDocument) -> str:
    xhtml = lx.fromstring(etree.tostring(doc.tree))
    return str(_TRANSFORM(xhtml))  # expect-none


def _wrap(account: Account, table: str, notes: str) -> str:
    return J2Template(EMAIL_LAYOUT, autoescape=True).render(account=account, table=table, notes=notes)  # expect: L3


def render_statement(account: Account) -> str:
    doc = LedgerDocument(account)
    with statement_span(account) as ctx:
        table = str(ctx["style"](lx.fromstring(etree.tostring(doc.fresh_tree()))))
    return _wrap(account, table, _notes_html(account.notes_md))


def render_statement_shared(account: Account, formatter: NotesFormatter) -> str:
    doc = LedgerDocument(account)
    return _LAYOUT.render(account=account, table=_table_html(doc), notes=formatter.html(account.notes_md))  # expect-none


def run_batch(accounts: Iterable[Account]) -> list[str]:
    """Worker entry point: one statement per account."""
    out = [render_statement(acc) for acc in accounts]
    totals = [next(iter(LedgerDocument(acc))) for acc in accounts]
    log.info("rendered %d statements (total %s)", len(out), totals)
    return out


def run_batch_shared(accounts: Iterable[Account]) -> list[str]:
    formatter = NotesFormatter()
    return [render_statement_shared(acc, formatter) for acc in accounts]


def preview_layout() -> str:
    """Admin preview; rendered on demand only."""
    try:
        return J2Template(EMAIL_LAYOUT).render(account={"holder": "Sample"}, table="", notes="")
    except Exception:
        log.exception("layout broken")
        fallback = etree.fromstring(LEDGER_SKELETON)  # expect-none
        return etree.tostring(fallback, encoding="unicode")
