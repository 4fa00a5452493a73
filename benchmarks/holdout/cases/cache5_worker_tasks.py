"""Background workers: a Celery class-based task, Dramatiq actors and Huey tasks."""
import copy
import hashlib
import json
import os
import tomllib
import xml.etree.ElementTree as ET

import dramatiq
import joblib
from celery import Task
from huey import RedisHuey
from lxml import etree

from .celery_app import app

huey = RedisHuey("reports")
PEPPER = os.environ.get("PEPPER", "pepper").encode()
SALT = b"static-salt-v1"
FRAUD_MODEL = "/models/fraud.joblib"
LIMITS_TOML = """
[limits]
daily = 5000
single = 1200
"""
DEFAULTS_XML = "<defaults><currency>EUR</currency><vat>0.21</vat></defaults>"
XPATH_AMOUNT = "//txn/amount/text()"
AMOUNT = etree.XPath(XPATH_AMOUNT)  # expect-none
BATCH_TREE = ET.fromstring("<batch version='2'><header/><rows/></batch>")  # expect-none


class ScoreTransactions(Task):
    name = "fraud.score"
    _model = None

    @property
    def model(self):
        if self._model is None:
            self._model = joblib.load(FRAUD_MODEL)  # expect-none
        return self._model

    def run(self, txns: list[dict]) -> list[float]:
        limits = tomllib.loads(LIMITS_TOML)["limits"]  # expect: L3
        return [min(float(self.model.predict([t["vec"]])[0]), limits["single"]) for t in txns]


class ScoreTransactionsNaive(Task):
    name = "fraud.score_naive"

    def run(self, txns: list[dict]) -> list[float]:
        model = joblib.load(FRAUD_MODEL)  # expect: L3
        return [float(model.predict([t["vec"]])[0]) for t in txns]


app.register_task(ScoreTransactions())


@dramatiq.actor(max_retries=3)
def hash_identifiers(ids: list[str]) -> list[str]:
    key = hashlib.pbkdf2_hmac("sha256", PEPPER, SALT, 200_000)  # expect: L3
    return [hashlib.blake2b(i.encode(), key=key[:32]).hexdigest() for i in ids]


@dramatiq.actor
def hash_passwords(users: list[dict]) -> None:
    for u in users:
        u["hash"] = hashlib.pbkdf2_hmac("sha256", u["pw"].encode(), u["salt"], 200_000).hex()  # expect-none


@dramatiq.actor
def sum_statement(xml_text: str) -> float:
    doc = etree.fromstring(xml_text.encode())  # expect-none
    amount = etree.XPath(XPATH_AMOUNT)  # expect: L3
    return sum(float(a) for a in amount(doc))


@huey.task()
def build_envelope(batch: list[dict]) -> str:
    root = copy.deepcopy(BATCH_TREE)  # expect-none
    rows = root.find("rows")
    for rec in batch:
        defaults = ET.fromstring(DEFAULTS_XML)  # expect: L3
        row = ET.SubElement(rows, "row", id=str(rec["id"]))
        row.set("currency", rec.get("currency") or defaults.findtext("currency"))
    return ET.tostring(root, encoding="unicode")


@huey.periodic_task(huey.crontab(minute="0"))
def hourly_rollup() -> None:
    limits = tomllib.loads(LIMITS_TOML)  # expect-none
    print(json.dumps(limits))
