"""Storefront edge: Starlette pages and an aiohttp webhook receiver."""
import json
import os
import xml.etree.ElementTree as ET

import httpx
import jinja2
from aiohttp import web
from jsonschema import Draft7Validator
from starlette.applications import Starlette
from starlette.responses import HTMLResponse, JSONResponse
from starlette.routing import Route

PAGE = "<h1>{{ title }}</h1>{% for p in products %}<li>{{ p.name }}</li>{% endfor %}"
PAGE_TEMPLATE = jinja2.Template(PAGE)  # expect-none
HOOK_SCHEMA = {"type": "object", "required": ["event", "data"]}
HOOK_VALIDATOR = Draft7Validator(HOOK_SCHEMA)  # expect-none
ENVELOPE = "<Envelope><Header/><Body/></Envelope>"
routes = web.RouteTableDef()


async def product_page(request):
    async with httpx.AsyncClient() as client:
        products = (await client.get("http://catalog/products")).json()
    html = jinja2.Template(PAGE).render(title="Products", products=products)  # expect: L3
    return HTMLResponse(html)


async def product_page_v2(request):
    products = request.app.state.products
    return HTMLResponse(PAGE_TEMPLATE.render(title="Products", products=products))  # expect-none


async def storefront_flags(request):
    flags = json.loads(os.environ.get("STOREFRONT_FLAGS", "{}"))  # expect: L3
    return JSONResponse({"dark_mode": flags.get("dark_mode", False)})


app = Starlette(routes=[
    Route("/products", product_page),
    Route("/products/v2", product_page_v2),
    Route("/flags", storefront_flags),
])


@routes.post("/hooks/payments")
async def payment_hook(request: web.Request) -> web.Response:
    body = await request.json()
    validator = Draft7Validator(HOOK_SCHEMA)  # expect: L3
    if not validator.is_valid(body):
        return web.json_response({"ok": False}, status=400)
    return web.json_response({"ok": True})


@routes.post("/hooks/payments/v2")
async def payment_hook_v2(request: web.Request) -> web.Response:
    body = await request.json()
    if not HOOK_VALIDATOR.is_valid(body):  # expect-none
        return web.json_response({"ok": False}, status=400)
    return web.json_response({"ok": True})


async def push_orders(orders: list[dict]) -> None:
    async with httpx.AsyncClient(base_url="http://erp") as client:
        for order in orders:
            doc = ET.fromstring(ENVELOPE)  # expect: L3
            ET.SubElement(doc.find("Body"), "Order", id=str(order["id"]))
            await client.post("/soap", content=ET.tostring(doc))


async def push_orders_v2(orders: list[dict]) -> None:
    async with httpx.AsyncClient(base_url="http://erp") as client:
        for order in orders:
            doc = ET.Element("Envelope")  # expect-none
            ET.SubElement(ET.SubElement(doc, "Body"), "Order", id=str(order["id"]))
            await client.post("/soap", content=ET.tostring(doc))


def build_app() -> web.Application:
    webapp = web.Application()
    webapp.add_routes(routes)
    webapp["template"] = jinja2.Template(PAGE)  # expect-none
    return webapp
