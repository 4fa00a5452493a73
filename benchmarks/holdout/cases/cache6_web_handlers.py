"""Smaller web stacks: Litestar controllers, Quart routes, Django Ninja and Bottle endpoints."""
import json
import os
import tomllib
from typing import Annotated

import bottle
import jinja2
import yaml
from litestar import Controller, Litestar, get, post
from ninja import NinjaAPI, Schema
from pydantic import BaseModel, TypeAdapter
from quart import Quart, render_template_string, request

RATE_TABLE_YAML = """
tiers:
  free: 60
  pro: 600
  enterprise: 6000
"""
FEATURES_TOML = 'beta = ["dark-mode", "exports"]\nstable = ["search"]\n'
RECEIPT_TMPL = "<ul>{% for l in lines %}<li>{{ l.sku }} x {{ l.qty }}</li>{% endfor %}</ul>"


class Line(BaseModel):
    sku: str
    qty: int


LINES = TypeAdapter(list[Line])  # expect-none
RATE_TABLE = yaml.safe_load(RATE_TABLE_YAML)  # expect-none
RECEIPT = jinja2.Template(RECEIPT_TMPL)  # expect-none


class CartController(Controller):
    path = "/carts"

    @post("/{cart_id:int}/lines")
    async def add_lines(self, cart_id: int, data: list[dict]) -> dict:
        lines = TypeAdapter(list[Line]).validate_python(data)  # expect: L3
        return {"cart": cart_id, "count": sum(l.qty for l in lines)}

    @post("/{cart_id:int}/lines/v2")
    async def add_lines_v2(self, cart_id: int, data: list[dict]) -> dict:
        lines = LINES.validate_python(data)  # expect-none
        return {"cart": cart_id, "count": sum(l.qty for l in lines)}

    @get("/limits/{tier:str}")
    async def limit_for(self, tier: str) -> dict:
        table = yaml.safe_load(RATE_TABLE_YAML)  # expect: L3
        return {"tier": tier, "per_minute": table["tiers"].get(tier, 0)}


def load_feature_flags() -> dict:
    return tomllib.loads(FEATURES_TOML)  # expect-none


app = Litestar(route_handlers=[CartController], on_startup=[load_feature_flags])
quart_app = Quart(__name__)


@quart_app.route("/receipt", methods=["POST"])
async def receipt():
    payload = await request.get_json()
    template = jinja2.Template(RECEIPT_TMPL)  # expect: L3
    return template.render(lines=payload["lines"])


@quart_app.route("/receipt/v2", methods=["POST"])
async def receipt_v2():
    payload = await request.get_json()
    return await render_template_string(RECEIPT_TMPL, lines=payload["lines"])  # expect-none


@quart_app.before_serving
async def warm():
    quart_app.config["FEATURES"] = tomllib.loads(FEATURES_TOML)  # expect-none


api = NinjaAPI()


class FlagsOut(Schema):
    beta: list[str]
    stable: list[str]


@api.get("/features", response=FlagsOut)
def features(request):
    return tomllib.loads(FEATURES_TOML)  # expect: L3


@api.get("/features/{name}")
def feature_enabled(request, name: str):
    overrides = json.loads(os.environ.get("FEATURE_OVERRIDES", "{}"))  # expect: L3
    return {"name": name, "on": overrides.get(name, False)}


@api.post("/features/preview")
def preview(request, body: dict):
    return tomllib.loads(body["toml"])  # expect-none


@bottle.route("/tiers/<tier>")
def bottle_tier(tier):
    return {"limit": yaml.safe_load(RATE_TABLE_YAML)["tiers"].get(tier)}  # expect: L3


@bottle.route("/tiers")
def bottle_tiers():
    return {"tiers": sorted(RATE_TABLE["tiers"])}  # expect-none


if __name__ == "__main__":
    print(yaml.safe_load(RATE_TABLE_YAML))  # expect-none
    bottle.run(port=8080)
