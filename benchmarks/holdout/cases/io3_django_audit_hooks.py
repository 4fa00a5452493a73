"""Django app: audit hooks, webhooks and a nightly management command."""
import hashlib
import logging
import os
import subprocess

import requests
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db.models.signals import post_save
from django.dispatch import receiver

from shop.models import Order, Webhook

logger = logging.getLogger(__name__)


@receiver(post_save, sender=Order)
def notify_webhooks(sender, instance, created, **kwargs):
    logger.info("order {} saved, created={}".format(instance.pk, created))  # expect: L4
    for hook in Webhook.objects.filter(active=True):
        requests.post(hook.url, json={"order": instance.pk}, timeout=5)  # expect: L4


def notify_webhooks_shared(instance, hooks, session):
    for hook in hooks:
        session.post(hook.url, json={"order": instance.pk}, timeout=5)  # expect-none


def audit(objs):
    for obj in objs:
        with open(settings.AUDIT_LOG, "a") as fh:  # expect: L4
            fh.write("%s %s\n" % (obj._meta.label, obj.pk))


def audit_once(objs):
    with open(settings.AUDIT_LOG, "a") as fh:  # expect-none
        for obj in objs:
            fh.write("%s %s\n" % (obj._meta.label, obj.pk))


def export_each(orders, outdir):
    for order in orders:
        with open(os.path.join(outdir, "order-%d.txt" % order.pk), "w") as fh:  # expect-none
            fh.write(order.summary())


def write_progress(orders, path):
    out = open(path, "w")
    for order in orders:
        print(order.pk, order.total, sep="\t", file=out, flush=True)  # expect: L4
    out.close()


class Command(BaseCommand):
    help = "Checksum and stage exported invoices"

    def handle(self, *args, **options):
        folder = options.get("folder") or settings.INVOICE_DIR
        names = sorted(os.listdir(folder))
        for name in names:
            digest = subprocess.run(  # expect: L4
                ["sha256sum", os.path.join(folder, name)], capture_output=True, text=True
            ).stdout.split()[0]
            logger.debug("checksum of " + name + " is " + digest)  # expect: L4
        for name in names:
            subprocess.run(["ffmpeg", "-i", name, name + ".mp3"], check=True)  # expect-none
        self.stdout.write("done %d" % len(names))  # expect-none


def local_digest(path):
    with open(path, "rb") as fh:  # expect-none
        return hashlib.sha256(fh.read()).hexdigest()
