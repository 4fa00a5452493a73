"""REST resources on Flask-RESTful, Flask-Smorest, Falcon and Sanic."""
import aiohttp
import boto3
import falcon
import psycopg2
from flask import Flask
from flask.views import MethodView
from flask_restful import Api, Resource
from flask_smorest import Blueprint
from psycopg2.pool import ThreadedConnectionPool
from pymongo import MongoClient
from sanic import Sanic
from sanic.response import json as sanic_json

app = Flask(__name__)
api = Api(app)
blp = Blueprint("invoices", __name__, url_prefix="/invoices")
DSN = "dbname=billing user=api host=pg"
POOL = ThreadedConnectionPool(1, 10, DSN)  # expect-none
s3 = boto3.client("s3")  # expect-none


class ReceiptResource(Resource):
    def get(self, receipt_id):
        client = boto3.client("s3")  # expect: L5
        obj = client.get_object(Bucket="receipts", Key=f"{receipt_id}.pdf")
        return {"size": obj["ContentLength"]}


class ReceiptResourceShared(Resource):
    def get(self, receipt_id):
        obj = s3.get_object(Bucket="receipts", Key=f"{receipt_id}.pdf")  # expect-none
        return {"size": obj["ContentLength"]}


api.add_resource(ReceiptResource, "/receipts/<receipt_id>")
api.add_resource(ReceiptResourceShared, "/receipts2/<receipt_id>")


@blp.route("/<invoice_id>")
class InvoiceView(MethodView):
    def get(self, invoice_id):
        db = MongoClient("mongodb://mongo:27017").billing  # expect: L5
        return db.invoices.find_one({"_id": invoice_id}, {"_id": 0})


class LedgerResource:
    def on_get(self, req, resp, account):
        conn = psycopg2.connect(DSN)  # expect: L5
        try:
            with conn.cursor() as cur:
                cur.execute("SELECT balance FROM ledger WHERE account = %s", (account,))
                resp.media = {"balance": cur.fetchone()[0]}
        finally:
            conn.close()


class LedgerResourcePooled:
    def __init__(self, pool):
        self.pool = pool

    def on_get(self, req, resp, account):
        conn = self.pool.getconn()  # expect-none
        try:
            with conn.cursor() as cur:
                cur.execute("SELECT balance FROM ledger WHERE account = %s", (account,))
                resp.media = {"balance": cur.fetchone()[0]}
        finally:
            self.pool.putconn(conn)


falcon_app = falcon.App()
falcon_app.add_route("/ledger/{account}", LedgerResource())
falcon_app.add_route("/ledger2/{account}", LedgerResourcePooled(POOL))

sanic_app = Sanic("rates")


@sanic_app.before_server_start
async def open_http(app, _):
    app.ctx.http = aiohttp.ClientSession()  # expect-none


@sanic_app.get("/rates/<code>")
async def rate(request, code):
    async with aiohttp.ClientSession() as session:  # expect: L5
        async with session.get(f"https://fx.example/{code}") as r:
            return sanic_json(await r.json())


@sanic_app.get("/rates2/<code>")
async def rate_shared(request, code):
    async with request.app.ctx.http.get(f"https://fx.example/{code}") as r:  # expect-none
        return sanic_json(await r.json())
