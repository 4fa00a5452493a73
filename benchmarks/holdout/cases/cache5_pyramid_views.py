"""Pyramid views for statements: XSLT rendering, markdown notes and a tariff grid."""
import json
import os
import re
from datetime import datetime

import numpy as np
from lxml import etree
from pyramid.config import Configurator
from pyramid.view import view_config, view_defaults

STATEMENT_XSL = "/etc/bank/statement.xsl"
ACCOUNT_RE = r"^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$"
FISCAL_START = "2026-04-01"
WEIGHTS = [[2.0, 0.3, 0.1], [0.3, 1.5, 0.2], [0.1, 0.2, 1.1]]
FISCAL = datetime.strptime(FISCAL_START, "%Y-%m-%d")  # expect-none
STATEMENT = etree.XSLT(etree.parse(STATEMENT_XSL))  # expect-none
W_INV = np.linalg.inv(np.asarray(WEIGHTS))  # expect-none


@view_config(route_name="statement", renderer="string")
def statement(request):
    xslt = etree.XSLT(etree.parse(STATEMENT_XSL))  # expect: L3
    return str(xslt(etree.fromstring(request.body)))


@view_config(route_name="statement_v2", renderer="string")
def statement_v2(request):
    return str(STATEMENT(etree.fromstring(request.body)))  # expect-none


@view_config(route_name="entries", renderer="json")
def entries(request):
    rows = request.dbsession.execute("select booked, amount from entries").fetchall()
    out = []
    for booked, amount in rows:
        start = datetime.strptime(FISCAL_START, "%Y-%m-%d")  # expect: L3
        out.append({"period": (booked - start).days // 30, "amount": amount})
    return out


@view_config(route_name="entries_v2", renderer="json")
def entries_v2(request):
    rows = request.dbsession.execute("select booked, amount from entries").fetchall()
    return [{"period": (b - FISCAL).days // 30, "amount": a} for b, a in rows]  # expect-none


@view_defaults(route_name="risk", renderer="json")
class RiskViews:
    def __init__(self, request):
        self.request = request

    @view_config(request_method="POST")
    def score(self):
        exposures = np.asarray(self.request.json_body["exposures"])
        scores = []
        for vec in exposures:
            w_inv = np.linalg.inv(np.asarray(WEIGHTS))  # expect: L3
            scores.append(float(vec @ w_inv @ vec))
        return {"scores": scores}

    @view_config(request_method="PUT")
    def score_v2(self):
        exposures = np.asarray(self.request.json_body["exposures"])
        return {"scores": [float(v @ W_INV @ v) for v in exposures]}  # expect-none

    @view_config(request_method="GET")
    def validate_accounts(self):
        accounts = self.request.GET.getall("iban")
        return {a: bool(re.match(ACCOUNT_RE, a)) for a in accounts}


def main(global_config, **settings):
    extra = json.loads(os.environ.get("PYRAMID_EXTRA", "{}"))  # expect-none
    with Configurator(settings={**settings, **extra}) as config:
        config.scan()
        return config.make_wsgi_app()
