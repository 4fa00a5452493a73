import asyncio
import os
import socket
import sqlite3
import urllib.request
from typing import Annotated

import httpx
import requests
from fastapi import APIRouter, Depends, FastAPI

router = APIRouter(prefix="/edge")
UPSTREAM = httpx.AsyncClient(timeout=2)
DB_PATH = "/var/lib/edge/probes.db"


class ProbeStore:
    def __init__(self, conn: sqlite3.Connection, http: httpx.Client) -> None:
        self.conn = conn
        self.http = http

    async def last_result(self, host: str):
        cur = self.conn.execute("SELECT status FROM probes WHERE host = ?", (host,))  # expect: L4
        return cur.fetchone()

    async def ping_upstream(self, host: str) -> int:
        return self.http.get(f"https://{host}/ping").status_code  # expect: L4

    def last_result_sync(self, host: str):
        return self.conn.execute("SELECT status FROM probes WHERE host = ?", (host,)).fetchone()  # expect-none


def get_store() -> ProbeStore:
    return ProbeStore(sqlite3.connect(DB_PATH, check_same_thread=False), httpx.Client())  # expect: L5


@router.get("/resolve/{host}")
async def resolve(host: str) -> dict:
    address = socket.gethostbyname(host)  # expect: L4
    return {"host": host, "address": address}


@router.get("/resolve-async/{host}")
async def resolve_async(host: str) -> dict:
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, 443)  # expect-none
    return {"host": host, "address": infos[0][4][0]}


@router.get("/banner/{host}")
async def banner(host: str) -> dict:
    with urllib.request.urlopen(f"https://{host}/", timeout=3) as resp:  # expect: L4
        return {"server": resp.headers.get("Server")}


@router.post("/flush")
async def flush_dns() -> dict:
    rc = os.system("resolvectl flush-caches")  # expect: L4
    return {"rc": rc}


@router.get("/status/{host}")
def status(host: str, store: Annotated[ProbeStore, Depends(get_store)]) -> dict:
    r = requests.get(f"https://{host}/healthz", timeout=2)  # expect-none
    return {"ok": r.ok, "last": store.last_result_sync(host)}


@router.get("/upstream/{host}")
async def upstream(host: str) -> dict:
    r = requests.head(f"https://{host}/", timeout=2)  # expect: L4
    return {"code": r.status_code}


@router.get("/upstream-async/{host}")
async def upstream_async(host: str) -> dict:
    r = await UPSTREAM.head(f"https://{host}/")  # expect-none
    return {"code": r.status_code}


app = FastAPI()
app.include_router(router)
