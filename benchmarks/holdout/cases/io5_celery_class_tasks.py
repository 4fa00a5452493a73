"""Partner sync as Celery class-based tasks, plus two Dramatiq actors and a Huey periodic task."""
import logging
import subprocess
from pathlib import Path

import dramatiq
import httpx
import requests
from celery import Task
from huey import RedisHuey, crontab

from .celery_app import app
from .models import Partner

huey = RedisHuey("partners")
logger = logging.getLogger(__name__)
EXPORT_DIR = Path("/srv/exports")


class PartnerTask(Task):
    abstract = True
    _session = None

    @property
    def session(self) -> requests.Session:
        if self._session is None:
            self._session = requests.Session()
        return self._session


class PushPartnerPrices(PartnerTask):
    name = "partners.push_prices"

    def run(self, partner_id, prices):
        partner = Partner.objects.get(pk=partner_id)
        for price in prices:
            requests.post(partner.endpoint + "/prices", json=price, timeout=10)  # expect: L4
        logger.info("pushed %d prices to %s", len(prices), partner.name)  # expect-none


class PushPartnerStock(PartnerTask):
    name = "partners.push_stock"

    def run(self, partner_id, levels):
        partner = Partner.objects.get(pk=partner_id)
        for level in levels:
            self.session.post(partner.endpoint + "/stock", json=level, timeout=10)  # expect-none
        logger.debug("pushed stock for partner %s: %s" % (partner.name, levels))  # expect: L4


app.register_task(PushPartnerPrices())
app.register_task(PushPartnerStock())


@dramatiq.actor(max_retries=3)
def fetch_partner_catalogues(partner_ids):
    for pid in partner_ids:
        resp = httpx.get(f"https://partners.example.com/{pid}/catalogue.json", timeout=30)  # expect: L4
        (EXPORT_DIR / f"{pid}.json").write_bytes(resp.content)


@dramatiq.actor
def fetch_partner_catalogues_pooled(partner_ids):
    with httpx.Client(base_url="https://partners.example.com", timeout=30) as client:
        for pid in partner_ids:
            resp = client.get(f"/{pid}/catalogue.json")  # expect-none
            (EXPORT_DIR / f"{pid}.json").write_bytes(resp.content)


@huey.periodic_task(crontab(minute="*/30"))
def compress_exports():
    for path in EXPORT_DIR.glob("*.json"):
        subprocess.run(["gzip", "-f", str(path)], check=True)  # expect: L4


@huey.periodic_task(crontab(hour="3", minute="0"))
def compress_exports_batched():
    paths = [str(p) for p in EXPORT_DIR.glob("*.json")]
    if paths:
        subprocess.run(["gzip", "-f", *paths], check=True)  # expect-none


@huey.task()
def audit_partner(partner_id):
    partner = Partner.objects.get(pk=partner_id)
    with open(EXPORT_DIR / "audit.log", "a") as log_file:
        for event in partner.events.all():
            print(event.kind, event.created_at.isoformat(), file=log_file)  # expect-none
    logger.info("audited " + partner.name)  # expect: L4
    logger.warning(f"partner {partner.name} audit finished")  # expect-none
