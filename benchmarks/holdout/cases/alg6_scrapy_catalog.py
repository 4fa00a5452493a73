"""Scrapy spider and item pipelines for the retailer catalogue crawl."""
import hashlib
import logging

import scrapy
from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

logger = logging.getLogger(__name__)


class CatalogSpider(scrapy.Spider):
    name = "catalog"
    start_urls = ["https://shop.example.com/sitemap"]
    custom_settings = {"DOWNLOAD_DELAY": 0.25}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.visited = []
        self.skip_prefixes = ("/account", "/cart", "/checkout")

    def parse(self, response):
        for href in response.css("a.product::attr(href)").getall():
            if href.startswith(self.skip_prefixes):  # expect-none
                continue
            if href in self.visited:  # expect: L1
                continue
            self.visited.append(href)
            yield response.follow(href, callback=self.parse_product)
        if (next_page := response.css("a.next::attr(href)").get()) is not None:
            yield response.follow(next_page, callback=self.parse)

    def parse_product(self, response):
        specs = {}
        for row in response.css("table.specs tr"):
            specs[row.css("th::text").get()] = row.css("td::text").get()  # expect-none
        description = ""
        for para in response.css("div.description p::text").getall():
            description += para.strip() + "\n"
        yield {"url": response.url, "specs": specs, "description": description}


class DuplicatesPipeline:
    def open_spider(self, spider):
        self.seen_fingerprints = []

    def process_item(self, item, spider):
        adapter = ItemAdapter(item)
        fp = hashlib.sha1(adapter["url"].encode()).hexdigest()
        if fp in self.seen_fingerprints:  # expect: L1
            raise DropItem(f"duplicate {adapter['url']}")
        self.seen_fingerprints.append(fp)
        return item


class FastDuplicatesPipeline:
    def open_spider(self, spider):
        self.seen_fingerprints = set()

    def process_item(self, item, spider):
        fp = hashlib.sha1(ItemAdapter(item)["url"].encode()).hexdigest()
        if fp in self.seen_fingerprints:  # expect-none
            raise DropItem("duplicate")
        self.seen_fingerprints.add(fp)
        return item


class CsvBufferPipeline:
    def open_spider(self, spider):
        self.rows = []
        self.price_ranks = []

    def process_item(self, item, spider):
        adapter = ItemAdapter(item)
        self.rows.append(adapter.asdict())  # expect-none
        return item

    def close_spider(self, spider):
        ordered = sorted(self.rows, key=lambda r: r.get("price") or 0)  # expect-none
        cheapest = sorted(self.rows, key=lambda r: r.get("price") or 0)[0]  # expect: L1
        for row in self.rows:
            self.price_ranks.append(row.get("price") or 0)
            self.price_ranks.sort()  # expect: L1
        logger.info("cheapest %s of %d", cheapest["url"], len(ordered))


class CategoryJoinPipeline:
    def __init__(self, categories):
        self.categories = categories

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.getlist("CATEGORY_TABLE"))

    def close_spider(self, spider):
        items = spider.crawler.stats.get_value("collected_items", [])
        for item in items:
            for cat in self.categories:  # expect: L1  # expect-span: 2
                if cat["slug"] == item["category_slug"]:
                    item["category_name"] = cat["name"]
