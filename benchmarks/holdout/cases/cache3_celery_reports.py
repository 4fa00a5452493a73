"""Celery tasks of the reporting worker (old-style module with globals)."""
import hashlib

import numpy as np
from celery import Celery
from lxml import etree

app = Celery("reports", broker="redis://localhost:6379/0")

XSL_PATH = "/etc/reports/invoice.xsl"
PEPPER = b"s3cr3t-pepper"
SALT = b"reports-salt"
ROT = np.array([[0.0, -1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
ROT_INV = np.linalg.inv(ROT)  # expect-none

_xslt = None


def get_xslt():
    global _xslt
    if _xslt is None:
        _xslt = etree.XSLT(etree.parse(XSL_PATH))  # expect-none
    return _xslt


@app.task
def render_invoice(xml_text):
    transform = etree.XSLT(etree.parse(XSL_PATH))  # expect: L3
    return str(transform(etree.fromstring(xml_text)))


@app.task
def render_invoice_v2(xml_text):
    return str(get_xslt()(etree.fromstring(xml_text)))  # expect-none


@app.task
def sign_rows(rows):
    out = []
    for r in rows:
        key = hashlib.pbkdf2_hmac("sha256", PEPPER, SALT, 200000)  # expect: L3
        out.append(hashlib.sha256(key + r.encode()).hexdigest())
    return out


@app.task
def hash_passwords(users):
    out = {}
    for name, pw in users:
        out[name] = hashlib.pbkdf2_hmac("sha256", pw.encode(), SALT, 200000)  # expect-none
    return out


@app.task
def unrotate(points):
    res = []
    for p in points:
        inv = np.linalg.inv(ROT)  # expect: L3
        res.append(inv.dot(p))
    return res


@app.task
def unrotate_v2(points):
    return [ROT_INV.dot(p) for p in points]  # expect-none


@app.task
def undo_poses(samples):
    return [np.linalg.inv(s["pose"]).dot(s["point"]) for s in samples]  # expect-none
