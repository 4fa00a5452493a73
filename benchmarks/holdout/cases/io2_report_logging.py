import logging
from dataclasses import dataclass

from celery import shared_task

logger = logging.getLogger(__name__)


@dataclass
class Invoice:
    number: str
    total: float
    lines: list


class InvoiceRenderer:
    def __init__(self, repo, log: logging.Logger | None = None):
        self.repo = repo
        self._log = log or logging.getLogger("render")

    def render_all(self, invoices):
        pages = []
        for inv in invoices:
            self._log.debug("rendering %s with %d lines" % (inv.number, len(inv.lines)))  # expect: L4
            pages.append(self._render(inv))
        return pages

    def render_all_lazy(self, invoices):
        pages = []
        for inv in invoices:
            self._log.debug("rendering %s with %d lines", inv.number, len(inv.lines))  # expect-none
            pages.append(self._render(inv))
        return pages

    def _render(self, inv):
        body = "\n".join(f"{l['sku']}: {l['amount']:.2f}" for l in inv.lines)
        logger.info("rendered invoice " + inv.number + " total " + str(inv.total))  # expect: L4
        return body

    def check(self, inv):
        if inv.total < 0:
            logger.warning(f"negative total on {inv.number}: {inv.total}")  # expect-none
            raise ValueError(f"invoice {inv.number} has a negative total")  # expect-none
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug(f"invoice {inv.number} lines={inv.lines!r}")  # expect-none
        return True


@shared_task
def reconcile(batch_id):
    rows = load_batch(batch_id)
    for idx, row in enumerate(rows):
        logger.debug("row {} of {}: {}".format(idx, len(rows), row))  # expect: L4
        try:
            apply_row(row)
        except KeyError:
            logger.exception(f"row {idx} of batch {batch_id} is missing a key")  # expect-none
    logging.info(f"batch {batch_id}: {len(rows)} rows reconciled")  # expect: L4


def load_batch(batch_id):
    return []


def apply_row(row):
    logger.log(logging.DEBUG, f"applying {row}")  # expect: L4
    return row
