import logging

logger = logging.getLogger("payments.capture")


class CaptureService:
    def __init__(self, gateway):
        self.gateway = gateway
        self.log = logging.getLogger(f"{__name__}.CaptureService")

    def capture(self, intent):
        self.log.debug(f"capturing intent {intent.id} amount={intent.amount} {intent.currency}")  # expect: L4
        result = self.gateway.capture(intent.id)
        self.log.debug("gateway replied %s for %s", result.status, intent.id)  # expect-none
        if result.status != "succeeded":
            self.log.warning(f"capture failed for {intent.id}: {result.error}")  # expect-none
            return None
        self.log.info("captured {} ({} {})".format(intent.id, intent.amount, intent.currency))  # expect: L4
        return result


def settle(batch):
    if not batch.payouts:
        raise ValueError(f"batch {batch.id} is empty")  # expect-none
    for payout in batch.payouts:
        logging.debug("payout %s -> %s" % (payout.id, payout.destination))  # expect: L4
        payout.submit()
    logger.info("settled batch " + batch.id + " with " + str(len(batch.payouts)) + " payouts")  # expect: L4
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug(f"batch detail: {batch.as_dict()}")  # expect-none


def refund(charge, amount):
    try:
        charge.refund(amount)
    except Exception:
        logger.exception(f"refund of {amount} failed for {charge.id}")  # expect-none
        raise
