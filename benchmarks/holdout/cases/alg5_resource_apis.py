"""Inventory API: Flask-RESTful and Flask-Smorest resources, plus a Falcon text endpoint."""
import falcon
from flask import request
from flask.views import MethodView
from flask_restful import Resource
from flask_smorest import Blueprint

from inventory.schemas import ItemSchema, StockMoveSchema
from inventory.store import warehouse

blp = Blueprint("stock", __name__, url_prefix="/stock")
UNITS = ("each", "box", "pallet")


class BaseResource(Resource):
    def known_codes(self) -> list[str]:
        return [i["code"] for i in warehouse.items()]

    def known_code_set(self) -> set[str]:
        return {i["code"] for i in warehouse.items()}


class ItemBulk(BaseResource):
    def post(self):
        payload = request.get_json()
        codes = self.known_codes()
        fresh = []
        for item in payload["items"]:
            if item["code"] in codes:  # expect: L1
                continue
            if item["unit"] not in UNITS:  # expect-none
                continue
            fresh.append(item)
        warehouse.insert_many(fresh)
        return {"inserted": len(fresh)}, 201


class ItemBulkFast(BaseResource):
    def post(self):
        payload = request.get_json()
        codes = self.known_code_set()
        fresh = [i for i in payload["items"] if i["code"] not in codes]  # expect-none
        warehouse.insert_many(fresh)
        return {"inserted": len(fresh)}, 201


@blp.route("/moves")
class StockMoves(MethodView):
    @blp.arguments(StockMoveSchema(many=True))
    @blp.response(200)
    def post(self, moves):
        locations = warehouse.locations()
        pages = [warehouse.page(n) for n in range(warehouse.page_count())]
        rows = sum(pages, [])  # expect: L1
        for move in moves:
            src = next(loc for loc in locations if loc["id"] == move["from"])  # expect: L1
            src["qty"] -= move["qty"]
        return {"rows": len(rows)}

    @blp.response(200, ItemSchema(many=True))
    def get(self):
        items = warehouse.items()
        by_loc = {loc["id"]: loc for loc in warehouse.locations()}
        for item in items:
            item["location"] = by_loc.get(item["loc_id"])  # expect-none
        return items


class WordStatsResource:
    def on_post(self, req, resp):
        text = req.media["text"]
        words = text.lower().split()
        resp.media = {w: words.count(w) for w in set(words)}  # expect: L1

    def on_get(self, req, resp):
        words = req.get_param("q", default="").split()
        freq = {}
        for w in words:
            freq[w] = freq.get(w, 0) + 1  # expect-none
        resp.media = freq


class TrimResource:
    def on_post(self, req, resp):
        lines = req.media["lines"]
        while lines and not lines[0].strip():
            del lines[0]  # expect-none
        kept = []
        for ln in lines:
            kept.append(ln.rstrip())
        resp.media = kept


app = falcon.App()
app.add_route("/words", WordStatsResource())
app.add_route("/trim", TrimResource())
