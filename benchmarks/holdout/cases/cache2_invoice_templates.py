"""Flask blueprint that renders invoices to HTML and plain text."""
import string

import jinja2
from flask import Blueprint, abort, current_app

from .models import Invoice

bp = Blueprint("invoices", __name__)

INVOICE_HTML = """
<h1>Invoice {{ invoice.number }}</h1>
<table>{% for line in invoice.lines %}<tr><td>{{ line.sku }}</td><td>{{ line.total }}</td></tr>{% endfor %}</table>
"""
LINE_TEXT = "{{ line.sku }} x{{ line.qty }} .... {{ line.total }}"
FOOTER = string.Template("Thank you, $customer. Pay by $due.")

_env = jinja2.Environment(autoescape=True)
_invoice_tpl = _env.from_string(INVOICE_HTML)  # expect-none
_line_tpl = jinja2.Template(LINE_TEXT)  # expect-none


def _load(invoice_id: int) -> Invoice:
    invoice = Invoice.query.get(invoice_id)
    if invoice is None:
        abort(404)
    return invoice


@bp.get("/invoices/<int:invoice_id>.html")
def invoice_html(invoice_id: int):
    invoice = _load(invoice_id)
    template = jinja2.Template(INVOICE_HTML, autoescape=True)  # expect: L3
    return template.render(invoice=invoice)


@bp.get("/v2/invoices/<int:invoice_id>.html")
def invoice_html_v2(invoice_id: int):
    return _invoice_tpl.render(invoice=_load(invoice_id))  # expect-none


def text_line(line) -> str:
    return jinja2.Template(LINE_TEXT).render(line=line)  # expect: L3


def cached_text_line(line) -> str:
    return _line_tpl.render(line=line)  # expect-none


@bp.get("/invoices/<int:invoice_id>.txt")
def invoice_text(invoice_id: int):
    invoice = _load(invoice_id)
    body = "\n".join(text_line(line) for line in invoice.lines)
    footer = FOOTER.substitute(customer=invoice.customer_name, due=invoice.due_date)
    return body + "\n" + footer


@bp.get("/v2/invoices/<int:invoice_id>.txt")
def invoice_text_v2(invoice_id: int):
    invoice = _load(invoice_id)
    lines = [cached_text_line(line) for line in invoice.lines]
    for extra in invoice.notes:
        note = string.Template("Note: $text")  # expect-none
        lines.append(note.substitute(text=extra))
    return "\n".join(lines)


@bp.get("/invoices/preview/<name>")
def preview(name: str):
    source = current_app.config["INVOICE_TEMPLATES"][name]
    return jinja2.Template(source).render(invoice=None)  # expect-none
