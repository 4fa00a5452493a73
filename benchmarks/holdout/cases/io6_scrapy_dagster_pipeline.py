"""Listing crawler: Scrapy pipelines plus Prefect and Dagster jobs that post-process the feed."""
import json
import logging
import subprocess
from pathlib import Path

import httpx
import requests
import scrapy
from dagster import asset
from prefect import flow, task

log = logging.getLogger("listings")
FEED = Path("/data/listings/feed.jsonl")
GEO_URL = "https://geo.internal/lookup"


class ListingSpider(scrapy.Spider):
    name = "listings"
    start_urls = ["https://portal.example.com/listings?page=1"]

    def parse(self, response):
        for row in response.css("article.listing"):
            yield {"id": row.attrib["data-id"], "address": row.css(".addr::text").get()}
        if next_page := response.css("a.next::attr(href)").get():
            yield response.follow(next_page, self.parse)  # expect-none


class GeocodePipeline:
    def process_item(self, item, spider):
        resp = requests.get(GEO_URL, params={"q": item["address"]}, timeout=5)  # expect: L4
        item["geo"] = resp.json()
        return item


class GeocodePooledPipeline:
    def open_spider(self, spider):
        self.http = requests.Session()

    def process_item(self, item, spider):
        item["geo"] = self.http.get(GEO_URL, params={"q": item["address"]}).json()  # expect-none
        return item


class JsonlAppendPipeline:
    def process_item(self, item, spider):
        with open(FEED, "a", encoding="utf-8") as fh:  # expect: L4
            fh.write(json.dumps(item) + "\n")
        return item


class JsonlPipeline:
    def open_spider(self, spider):
        self.fh = open(FEED, "a", encoding="utf-8")  # expect-none

    def process_item(self, item, spider):
        self.fh.write(json.dumps(item) + "\n")  # expect-none
        return item

    def close_spider(self, spider):
        self.fh.close()


@task(retries=2)
def enrich(ids: list[str]) -> list[dict]:
    out = []
    for listing_id in ids:
        out.append(httpx.get(f"https://portal.example.com/api/{listing_id}", timeout=10).json())  # expect: L4
    return out


@task
def enrich_one(listing_id: str) -> dict:
    return httpx.get(f"https://portal.example.com/api/{listing_id}", timeout=10).json()  # expect: L4


@flow
def nightly(ids: list[str]) -> None:
    enrich_one.map(ids)  # expect-none
    log.info("nightly enrich queued for %d listings", len(ids))  # expect-none


@asset
def formatted_scrapers() -> None:
    for path in Path("crawlers").rglob("*.py"):
        subprocess.run(["black", "--quiet", str(path)], check=True)  # expect: L4


@asset
def listing_report() -> None:
    rows = FEED.read_text().splitlines()  # expect: L4
    with open("/data/listings/report.tsv", "w") as out:
        for line in rows:
            rec = json.loads(line)
            print(rec["id"], rec.get("geo", {}).get("city"), sep="\t", file=out, flush=True)  # expect: L4


@asset
def listing_report_streamed() -> None:
    with FEED.open() as src, open("/data/listings/report.tsv", "w") as out:
        for line in src:  # expect-none
            rec = json.loads(line)
            print(rec["id"], rec.get("geo", {}).get("city"), sep="\t", file=out)  # expect-none
