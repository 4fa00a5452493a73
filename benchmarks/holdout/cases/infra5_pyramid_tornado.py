"""A Pyramid app and a Tornado service in front of the same catalogue."""
import httpx
import redis
import tornado.web
from elasticsearch import Elasticsearch
from pymongo import MongoClient
from pyramid.config import Configurator
from pyramid.view import view_config
from tornado.httpclient import AsyncHTTPClient

SEARCH_URL = "http://search:9200"
REDIS_URL = "redis://cache:6379/2"


@view_config(route_name="product", renderer="json")
def product_view(request):
    cache = redis.Redis.from_url(REDIS_URL)  # expect: L5
    hit = cache.get(f"product:{request.matchdict['sku']}")
    return {"sku": request.matchdict["sku"], "cached": hit is not None}


@view_config(route_name="product_shared", renderer="json")
def product_view_shared(request):
    hit = request.registry.redis.get(f"product:{request.matchdict['sku']}")  # expect-none
    return {"sku": request.matchdict["sku"], "cached": hit is not None}


@view_config(route_name="search", renderer="json")
class SearchView:
    def __init__(self, request):
        self.request = request

    def __call__(self):
        es = Elasticsearch(SEARCH_URL)  # expect: L5
        return es.search(index="products", q=self.request.params.get("q", ""))["hits"]


def main(global_config, **settings):
    config = Configurator(settings=settings)
    config.registry.redis = redis.Redis.from_url(REDIS_URL)  # expect-none
    config.add_route("product", "/products/{sku}")
    config.scan()
    return config.make_wsgi_app()


class StockHandler(tornado.web.RequestHandler):
    async def get(self, sku):
        async with httpx.AsyncClient(base_url="http://stock") as client:  # expect: L5
            resp = await client.get(f"/levels/{sku}")
        self.write(resp.json())


class StockHandlerShared(tornado.web.RequestHandler):
    def initialize(self, http):
        self.http = http

    async def get(self, sku):
        resp = await self.http.get(f"/levels/{sku}")  # expect-none
        self.write(resp.json())


class ReviewsHandler(tornado.web.RequestHandler):
    def prepare(self):
        self.mongo = MongoClient("mongodb://mongo:27017")  # expect: L5

    def get(self, sku):
        docs = self.mongo.shop.reviews.find({"sku": sku}).limit(20)
        self.write({"reviews": [d["text"] for d in docs]})


class PricesHandler(tornado.web.RequestHandler):
    async def get(self, sku):
        client = AsyncHTTPClient()  # expect-none
        resp = await client.fetch(f"http://prices/{sku}")
        self.write(resp.body)


def make_app():
    http = httpx.AsyncClient(base_url="http://stock")  # expect-none
    return tornado.web.Application([
        (r"/stock/(\w+)", StockHandler),
        (r"/stock2/(\w+)", StockHandlerShared, {"http": http}),
        (r"/reviews/(\w+)", ReviewsHandler),
        (r"/prices/(\w+)", PricesHandler),
    ])
