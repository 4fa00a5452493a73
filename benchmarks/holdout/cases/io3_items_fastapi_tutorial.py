"""FastAPI tutorial-style items service, grown a little past the tutorial."""
import json
import subprocess
import time
from pathlib import Path

import httpx
import requests
from fastapi import FastAPI, HTTPException

app = FastAPI()
client = httpx.Client(base_url="https://inventory.example.com")
DATA = Path("data")


@app.get("/items/{item_id}")
async def read_item(item_id: int):
    r = requests.get(f"https://inventory.example.com/items/{item_id}")  # expect: L4
    if r.status_code == 404:
        raise HTTPException(status_code=404, detail=f"no item {item_id}")  # expect-none
    return r.json()


@app.get("/sync/items/{item_id}")
def read_item_sync(item_id: int):
    return requests.get(f"https://inventory.example.com/items/{item_id}").json()  # expect-none


@app.get("/stock/{sku}")
async def stock(sku: str):
    return client.get(f"/stock/{sku}").json()  # expect: L4


@app.get("/catalog")
async def catalog():
    text = (DATA / "catalog.json").read_text()  # expect: L4
    return json.loads(text)


@app.post("/reindex")
async def reindex():
    out = subprocess.check_output(["./reindex.sh"], text=True)  # expect: L4
    return {"log": out}


@app.post("/slow")
async def slow():
    time.sleep(0.5)  # expect: L4
    return {"ok": True}


async def fetch_item(ac, item_id):
    r = await ac.get(f"/items/{item_id}")
    return r.json()


@app.get("/items")
async def read_items(ids: str):
    results = []
    async with httpx.AsyncClient(base_url="https://inventory.example.com") as ac:
        for item_id in ids.split(","):
            results.append(await fetch_item(ac, item_id))  # expect: L4
    return results


@app.get("/items/paged")
async def read_pages():
    items, url = [], "/items?page=1"
    async with httpx.AsyncClient(base_url="https://inventory.example.com") as ac:
        while url:
            page = (await ac.get(url)).json()  # expect-none
            items.extend(page["items"])
            url = page.get("next")
    return items
