"""Nightly enrichment of visit logs with pandas: callbacks to apply, group-wise fan-out."""
import sqlite3
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import httpx
import pandas as pd

GEO_API = "https://geo.internal/v1/ip/"
REF_DB = "/srv/ref/accounts.sqlite"
geo_http = httpx.Client(base_url=GEO_API, timeout=3.0)  # expect-none


def geo_country(ip):
    with httpx.Client(base_url=GEO_API, timeout=3.0) as client:  # expect: L5
        return client.get(ip).json()["country"]


def geo_country_shared(ip):
    return geo_http.get(ip).json()["country"]  # expect-none


def account_tier(row):
    conn = sqlite3.connect(REF_DB)  # expect: L5
    try:
        found = conn.execute("SELECT tier FROM accounts WHERE id = ?", (row["account_id"],)).fetchone()
    finally:
        conn.close()
    return found[0] if found else "free"


def tiers_frame():
    conn = sqlite3.connect(REF_DB)  # expect-none
    try:
        return pd.read_sql("SELECT id AS account_id, tier FROM accounts", conn)
    finally:
        conn.close()


def score_sessions(frame):
    return frame.groupby("session_id")["duration"].sum().to_dict()


def enrich(visits: pd.DataFrame) -> pd.DataFrame:
    visits["country"] = visits["ip"].apply(geo_country)
    visits["tier"] = visits.apply(account_tier, axis=1)
    return visits


def enrich_batched(visits: pd.DataFrame) -> pd.DataFrame:
    visits["country"] = visits["ip"].map(geo_country_shared)
    return visits.merge(tiers_frame(), on="account_id", how="left")


def per_region_scores(visits: pd.DataFrame):
    out = {}
    for region, group in visits.groupby("region"):
        with ThreadPoolExecutor(max_workers=8) as pool:  # expect: L5
            out[region] = list(pool.map(score_sessions, [group]))
    return out


def per_region_scores_shared(visits: pd.DataFrame):
    with ThreadPoolExecutor(max_workers=8) as pool:  # expect-none
        futures = {region: pool.submit(score_sessions, group) for region, group in visits.groupby("region")}
    return {region: f.result() for region, f in futures.items()}


def crunch_csv(path):
    totals = []
    for chunk in pd.read_csv(path, chunksize=200_000):
        with ProcessPoolExecutor() as procs:  # expect: L5
            totals.extend(procs.map(score_sessions, [chunk]))
    return totals


def crunch_csv_shared(path):
    with ProcessPoolExecutor() as procs:  # expect-none
        return list(procs.map(score_sessions, pd.read_csv(path, chunksize=200_000)))
