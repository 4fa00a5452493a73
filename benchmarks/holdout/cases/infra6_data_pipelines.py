"""Ingestion jobs: Prefect flows, Dagster assets, Luigi tasks, Scrapy pipelines, a click CLI."""
import asyncio
import json
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import boto3
import click
import httpx
import luigi
import requests
import scrapy
from dagster import asset, op
from prefect import flow, task
from pymongo import MongoClient

GEO_URL = "https://geo.example/v1/lookup"


@task(retries=2)
def geocode(address: str) -> dict:
    http = requests.Session()  # expect: L5
    return http.get(GEO_URL, params={"q": address}, timeout=5).json()


@flow
def geocode_all(addresses: list[str]) -> list[dict]:
    return geocode.map(addresses).result()


@asset
def warehouse_snapshot() -> list[dict]:
    s3 = boto3.client("s3")  # expect-none
    listing = s3.list_objects_v2(Bucket="snapshots", Prefix="wh/")
    return [{"key": o["Key"]} for o in listing.get("Contents", [])]


@op
def upload_each(context, paths: list[str]) -> None:
    for p in paths:
        s3 = boto3.client("s3")  # expect: L5
        s3.upload_file(p, "snapshots", Path(p).name)


class ExportOrders(luigi.Task):
    day = luigi.DateParameter()

    def run(self):
        mongo = MongoClient("mongodb://mongo:27017")  # expect-none
        with self.output().open("w") as out:
            for doc in mongo.shop.orders.find({"day": str(self.day)}):
                out.write(json.dumps(doc, default=str) + "\n")


class MongoPipeline:
    def process_item(self, item, spider):
        client = MongoClient("mongodb://mongo:27017")  # expect: L5
        client.crawl.items.insert_one(dict(item))
        return item


class MongoPipelineShared:
    def open_spider(self, spider):
        self.client = MongoClient("mongodb://mongo:27017")  # expect-none

    def close_spider(self, spider):
        self.client.close()

    def process_item(self, item, spider):
        self.client.crawl.items.insert_one(dict(item))  # expect-none
        return item


class CatalogSpider(scrapy.Spider):
    name = "catalog"
    start_urls = ["https://shop.example/catalog"]

    def parse(self, response):
        for href in response.css("a.product::attr(href)").getall():
            yield response.follow(href, self.parse_product)

    def parse_product(self, response):
        s3 = boto3.client("s3")  # expect: L5
        s3.put_object(Bucket="pages", Key=response.url.rsplit("/", 1)[-1], Body=response.body)
        yield {"url": response.url}


async def _probe(url: str) -> int:
    async with httpx.AsyncClient() as client:
        return (await client.head(url)).status_code


@click.command()
@click.argument("root", type=click.Path(exists=True, path_type=Path))
def check_links(root: Path) -> None:
    for manifest in root.rglob("*.json"):
        for url in json.loads(manifest.read_text())["links"]:
            status = asyncio.run(_probe(url))  # expect: L5
            click.echo(f"{status} {url}")


@click.command()
@click.argument("root", type=click.Path(exists=True, path_type=Path))
def hash_tree(root: Path) -> None:
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        with ProcessPoolExecutor() as pool:  # expect: L5
            digests = list(pool.map(_digest, folder.glob("*.bin")))
        click.echo(f"{folder.name}: {len(digests)}")


@click.command()
@click.argument("root", type=click.Path(exists=True, path_type=Path))
def hash_tree_once(root: Path) -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:  # expect-none
        for folder in sorted(p for p in root.iterdir() if p.is_dir()):
            click.echo(f"{folder.name}: {len(list(pool.map(_digest, folder.glob('*.bin'))))}")


def _digest(path: Path) -> str:
    import hashlib
    return hashlib.sha256(path.read_bytes()).hexdigest()
