import time
from urllib.parse import urljoin

import requests
from celery import Celery

app = Celery("feeds")


@app.task
def refresh_feeds(feed_urls: list[str]) -> dict[str, int]:
    sizes = {}
    for url in feed_urls:
        resp = requests.get(url, timeout=20, headers={"User-Agent": "feedbot/2.1"})  # expect: L4
        sizes[url] = len(resp.content)
    return sizes


@app.task
def check_links(page_url: str, hrefs: list[str]) -> list[str]:
    return [h for h in hrefs if requests.head(urljoin(page_url, h), timeout=5).status_code >= 400]  # expect: L4


def crawl_politely(urls: list[str], delay: float = 2.0) -> list[bytes]:
    pages = []
    with requests.Session() as s:
        for url in urls:
            pages.append(s.get(url, timeout=20).content)  # expect-none
            time.sleep(delay)
    return pages


def wait_for_export(job_url: str) -> str:
    while True:
        status = requests.get(job_url, timeout=5).json()  # expect-none
        if status["state"] == "done":
            return status["download_url"]
        time.sleep(3)
