"""Background work: Celery tasks, RQ jobs and a typer CLI sharing one scorer."""
import json
import os
import re
from functools import lru_cache

import joblib
import typer
from celery import Celery
from lxml import etree
from redis import Redis
from rq import Queue

celery_app = Celery("workers", broker=os.environ.get("BROKER_URL", "redis://localhost"))
queue = Queue(connection=Redis())
cli = typer.Typer()
MODEL_PATH = os.environ.get("MODEL_PATH", "/models/risk.joblib")
INVOICE_XSLT = "/etc/app/invoice.xsl"
STOP_WORDS = ("the", "a", "an", "of", "and", "or")


@lru_cache(maxsize=1)
def risk_model():
    return joblib.load(MODEL_PATH)  # expect-none


@celery_app.task(bind=True, max_retries=3, acks_late=True)
def score_claim(self, claim: dict) -> float:
    model = joblib.load(MODEL_PATH)  # expect: L3
    return float(model.predict_proba([claim["features"]])[0][1])


@celery_app.task(bind=True, max_retries=3)
def score_claim_v2(self, claim: dict) -> float:
    return float(risk_model().predict_proba([claim["features"]])[0][1])  # expect-none


def render_invoice(xml_bytes: bytes) -> bytes:
    transform = etree.XSLT(etree.parse(INVOICE_XSLT))  # expect: L3
    return bytes(transform(etree.fromstring(xml_bytes)))


def enqueue_invoices(docs: list[bytes]) -> None:
    for doc in docs:
        queue.enqueue(render_invoice, doc)


@cli.command()
def reindex(path: str, limit: int = 1000) -> None:
    stop = re.compile(r"\b(" + "|".join(STOP_WORDS) + r")\b")  # expect-none
    model = joblib.load(MODEL_PATH)  # expect-none
    with open(path) as fh:
        for line in fh:
            doc = json.loads(line)  # expect-none
            settings = json.loads(os.environ.get("REINDEX_SETTINGS", "{}"))  # expect: L3
            text = stop.sub("", doc["text"])[: settings.get("max_chars", limit)]
            typer.echo(f"{doc['id']}\t{model.predict([text])[0]}")


@cli.command()
def reindex_v2(path: str, limit: int = 1000) -> None:
    settings = json.loads(os.environ.get("REINDEX_SETTINGS", "{}"))  # expect-none
    with open(path) as fh:
        for line in fh:
            doc = json.loads(line)  # expect-none
            typer.echo(doc["text"][: settings.get("max_chars", limit)])


if __name__ == "__main__":
    cli()
