"""Data pipelines: Prefect flows, Dagster ops/assets, Luigi tasks and a Scrapy spider with pipelines."""
import csv
import hashlib
import json
import re
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import joblib
import jsonschema
import luigi
import scrapy
from dagster import asset, op
from lxml import etree
from prefect import flow, task

MODEL_PATH = "/models/categorizer.joblib"
PRODUCT_SCHEMA = {"type": "object", "required": ["sku", "price"]}
FISCAL_START = "2024-04-01"
PRICE_XPATH = "//span[@class='price']/text()"
STOP_TOKENS = ("sale", "new", "hot", "limited")
PRICE_PATH = etree.XPath(PRICE_XPATH)  # expect-none
TOKEN_RE = re.compile(r"\b(" + "|".join(STOP_TOKENS) + r")\b", re.I)  # expect-none


@task(retries=2)
def categorize(record: dict) -> str:
    model = joblib.load(MODEL_PATH)  # expect: L3
    return model.predict([record["title"]])[0]


@flow
def categorize_all(records: list[dict]) -> list[str]:
    return [categorize(r) for r in records]


@lru_cache(maxsize=1)
def _model():
    return joblib.load(MODEL_PATH)  # expect-none


@task
def categorize_cached(record: dict) -> str:
    return _model().predict([record["title"]])[0]  # expect-none


@op
def fiscal_rows(context, rows: list[dict]) -> list[dict]:
    kept = []
    for row in rows:
        start = datetime.strptime(FISCAL_START, "%Y-%m-%d")  # expect: L3
        if datetime.fromisoformat(row["booked"]) >= start:
            kept.append(row)
    context.log.info("kept %d", len(kept))
    return kept


@asset
def product_model():
    return joblib.load(MODEL_PATH)


class DigestLines(luigi.Task):
    src = luigi.Parameter()
    pepper = luigi.Parameter(default="pepper")

    def output(self):
        return luigi.LocalTarget(f"{self.src}.digest")

    def run(self):
        with open(self.src) as fin, self.output().open("w") as fout:
            for line in fin:
                key = hashlib.pbkdf2_hmac("sha256", self.pepper.encode(), b"digest-v1", 50_000)  # expect: L3
                fout.write(hashlib.blake2b(line.encode(), key=key[:32]).hexdigest() + "\n")


class ProductSpider(scrapy.Spider):
    name = "products"
    start_urls = ["https://shop.example.com/catalog"]

    def parse(self, response):
        price = etree.XPath(PRICE_XPATH)  # expect: L3
        tree = etree.HTML(response.body)
        for card in tree.iterfind(".//div[@class='card']"):
            yield {"sku": card.get("data-sku"), "price": price(card)}
        for href in response.css("a.next::attr(href)").getall():
            yield response.follow(href, self.parse)

    def parse_detail(self, response):
        tree = etree.HTML(response.body)  # expect-none
        return {"sku": response.url.rsplit("/", 1)[-1], "price": PRICE_PATH(tree)}


class ValidatePipeline:
    def process_item(self, item, spider):
        jsonschema.validate(dict(item), PRODUCT_SCHEMA)  # expect: L3
        return item


class CleanTitlePipeline:
    def open_spider(self, spider):
        self.tokens = re.compile("|".join(STOP_TOKENS), re.I)  # expect-none

    def process_item(self, item, spider):
        item["title"] = self.tokens.sub("", item["title"]).strip()  # expect-none
        return item


def export_csv(out_dir: Path, items: list[dict]) -> None:
    with (out_dir / "items.csv").open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["sku", "price"])
        for item in items:
            writer.writerow({k: item[k] for k in ("sku", "price")})  # expect-none
    (out_dir / "meta.json").write_text(json.dumps({"count": len(items)}))
