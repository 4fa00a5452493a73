from celery import Celery
from jinja2 import Environment, PackageLoader, Template
from lxml import etree

celery_app = Celery("billing")
env = Environment(loader=PackageLoader("billing"), autoescape=True)
FOOTER_SRC = "<p>{{ company }} · VAT {{ vat_id }}</p>"
FOOTER = env.from_string(FOOTER_SRC)
SUPPLIER_VAT = etree.XPath("string(/invoice/supplier/@vat)")


@celery_app.task
def render_footer(company: str, vat_id: str) -> str:
    return Template(FOOTER_SRC).render(company=company, vat_id=vat_id)  # expect: L3


@celery_app.task
def render_footer_v2(company: str, vat_id: str) -> str:
    return FOOTER.render(company=company, vat_id=vat_id)  # expect-none


def supplier_vat(doc) -> str:
    return etree.XPath("string(/invoice/supplier/@vat)")(doc)  # expect: L3


def supplier_vats(docs: list) -> list[str]:
    return [supplier_vat(d) for d in docs]


def supplier_vats_v2(docs: list) -> list[str]:
    return [SUPPLIER_VAT(d) for d in docs]  # expect-none


def preview_footer(company: str) -> str:
    # the settings page previews a footer the admin is editing: once per click
    return Template(FOOTER_SRC).render(company=company, vat_id="DE000000000")  # expect-none
