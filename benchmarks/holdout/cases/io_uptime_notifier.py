import logging

import httpx
import requests

logger = logging.getLogger("uptime")


class Notifier:
    def __init__(self, webhook: str):
        self.webhook = webhook
        self.http = requests.Session()

    def announce(self, incidents: list[dict]) -> int:
        logger.info("announcing " + str(len(incidents)) + " incidents to " + self.webhook)  # expect: L4
        sent = 0
        for inc in incidents:
            logger.debug("incident payload: {}".format(inc))  # expect: L4
            r = self.http.post(self.webhook, json=inc, timeout=5)  # expect-none
            if not r.ok:
                logger.error(f"webhook rejected incident {inc['id']}: {r.status_code}")  # expect-none
                continue
            sent += 1
        logger.info("announced %d incidents", sent)  # expect-none
        return sent


def count_up(urls: list[str]) -> int:
    return sum(requests.get(u, timeout=3).status_code == 200 for u in urls)  # expect: L4


def status_map(urls: list[str]) -> dict[str, int]:
    return {u: httpx.head(u, timeout=3).status_code for u in urls}  # expect: L4


def status_map_pooled(urls: list[str]) -> dict[str, int]:
    with httpx.Client(timeout=3) as client:
        return {u: client.head(u).status_code for u in urls}  # expect-none


def probe_with_backoff(url: str) -> bool:
    delay = 0.5
    for _ in range(5):
        if requests.get(url, timeout=3).ok:  # expect-none
            return True
        delay *= 2
    return False
