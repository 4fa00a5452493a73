import csv
import io

import aiofiles
import httpx
import requests
from fastapi import FastAPI
from fastapi.responses import StreamingResponse

app = FastAPI()
ledger_api = requests.Session()
rates_api = httpx.Client(base_url="https://fx.example.com", timeout=5)


@app.get("/reports/{month}")
async def monthly_report(month: str):
    entries = ledger_api.get(f"https://ledger.example.com/entries?month={month}").json()  # expect: L4
    rate = rates_api.get("/latest", params={"base": "EUR"}).json()["USD"]  # expect: L4
    buf = io.StringIO()
    writer = csv.writer(buf)
    for e in entries:
        writer.writerow([e["id"], e["amount"] * rate])
    return StreamingResponse(iter([buf.getvalue()]), media_type="text/csv")


@app.get("/v1/reports/{month}")
def monthly_report_sync(month: str):
    return ledger_api.get(f"https://ledger.example.com/entries?month={month}").json()  # expect-none


@app.get("/reports/{month}/template")
async def report_template(month: str):
    with open(f"/srv/templates/{month}.csv") as fh:  # expect: L4
        header = fh.readline()
    return {"header": header.strip().split(",")}


@app.get("/v2/reports/{month}/template")
async def report_template_async(month: str):
    async with aiofiles.open(f"/srv/templates/{month}.csv") as fh:  # expect-none
        header = await fh.readline()
    return {"header": header.strip().split(",")}
