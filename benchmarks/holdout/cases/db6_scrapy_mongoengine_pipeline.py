"""Scrapy item pipelines storing listings with MongoEngine, plus a spider that walks sellers."""
import logging

import mongoengine as me
import scrapy
from itemadapter import ItemAdapter

logger = logging.getLogger(__name__)


class Seller(me.Document):
    handle = me.StringField(required=True, unique=True)
    rating = me.FloatField()


class Category(me.Document):
    slug = me.StringField(required=True, unique=True)
    title = me.StringField()


class Listing(me.Document):
    url = me.StringField(required=True, unique=True)
    title = me.StringField()
    price = me.DecimalField()
    seller = me.ReferenceField(Seller)
    categories = me.ListField(me.ReferenceField(Category))


class MongoEnginePipeline:
    def open_spider(self, spider):
        me.connect(host=spider.settings.get("MONGO_URI"))
        self.categories = {c.slug: c for c in Category.objects.only("slug")}  # expect-none

    def process_item(self, item, spider):
        adapter = ItemAdapter(item)
        cats = []
        for slug in adapter.get("category_slugs", []):
            cat = Category.objects(slug=slug).first()  # expect: L2
            if cat is None:
                cat = Category(slug=slug).save()  # expect: L2
            cats.append(cat)
        seller = Seller.objects(handle=adapter["seller"]).first()
        Listing.objects(url=adapter["url"]).update_one(
            set__title=adapter["title"], set__price=adapter["price"], set__seller=seller,
            set__categories=cats, upsert=True,
        )
        return item


class CachedCategoryPipeline(MongoEnginePipeline):
    def process_item(self, item, spider):
        adapter = ItemAdapter(item)
        cats = [self.categories[s] for s in adapter.get("category_slugs", []) if s in self.categories]  # expect-none
        Listing.objects(url=adapter["url"]).update_one(set__categories=cats, upsert=True)
        return item


class BufferedPipeline:
    def __init__(self):
        self.buffer = []

    def process_item(self, item, spider):
        self.buffer.append(Listing(**ItemAdapter(item).asdict()))
        if len(self.buffer) >= 500:
            Listing.objects.insert(self.buffer, load_bulk=False)  # expect-none
            self.buffer.clear()
        return item

    def close_spider(self, spider):
        if self.buffer:
            Listing.objects.insert(self.buffer, load_bulk=False)  # expect-none


class SellerReportSpider(scrapy.Spider):
    name = "seller_report"
    start_urls = ["https://market.example.com/sellers"]

    def parse(self, response):
        for href in response.css("a.seller::attr(href)").getall():
            yield response.follow(href, self.parse_seller)  # expect-none

    def parse_seller(self, response):
        handle = response.css("h1::text").get()
        seller = Seller.objects(handle=handle).first()  # expect-none
        listings = Listing.objects(seller=seller)
        yield {
            "handle": handle,
            "titles": [l.title for l in listings],  # expect-none
            "categories": sorted({c.title for l in listings for c in l.categories}),  # expect: L2
        }


def rating_report():
    me.connect("market")
    rows = []
    for listing in Listing.objects(price__gt=0).order_by("-price")[:2000]:
        rows.append((listing.title, listing.seller.handle, listing.seller.rating))  # expect: L2
    for listing in Listing.objects(price__gt=0).select_related(max_depth=1)[:2000]:
        logger.debug("seller %s", listing.seller.handle)  # expect-none
    for seller in Seller.objects(rating__lt=2.0):
        seller.rating = round(seller.rating, 1)
        seller.save()  # expect: L2
    return rows
