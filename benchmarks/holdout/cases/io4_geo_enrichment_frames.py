"""Enrich a visits export with geo data (pandas ETL run by cron)."""
import json
import logging

import pandas as pd
import requests

logger = logging.getLogger("etl.geo")
GEO_API = "https://geo.internal/v1/ip"


def country_of(ip: str) -> str:
    return requests.get(f"{GEO_API}/{ip}", timeout=3).json()["country"]  # expect: L4


def enrich_slow(visits: pd.DataFrame) -> pd.DataFrame:
    visits["country"] = visits["ip"].map(country_of)
    return visits


def enrich_inline(visits: pd.DataFrame) -> pd.DataFrame:
    visits["asn"] = visits["ip"].apply(lambda ip: requests.get(f"{GEO_API}/{ip}/asn").json()["asn"])  # expect: L4
    return visits


def enrich_bulk(visits: pd.DataFrame) -> pd.DataFrame:
    unique = visits["ip"].drop_duplicates().tolist()
    resp = requests.post(f"{GEO_API}/bulk", json={"ips": unique}, timeout=30)  # expect-none
    return visits.merge(pd.DataFrame(resp.json()), on="ip", how="left")


def enrich_pooled(visits: pd.DataFrame) -> pd.DataFrame:
    with requests.Session() as http:  # expect-none
        visits["city"] = visits["ip"].map(lambda ip: http.get(f"{GEO_API}/{ip}").json()["city"])  # expect-none
    return visits


def load_blocklist(path: str) -> set[str]:
    with open(path) as fh:
        return {line.strip() for line in fh if line and not line.startswith("#")}  # expect-none


def load_allowlist(path: str) -> list[str]:
    allowed = []
    with open(path) as fh:
        for line in fh.read().splitlines():  # expect: L4
            if line and not line.startswith("#"):
                allowed.append(line)
    return allowed


def write_chunks(src: str, dest: str) -> None:
    for i, chunk in enumerate(pd.read_csv(src, chunksize=200_000)):
        chunk.to_csv(dest, mode="a", header=i == 0, index=False)  # expect-none
        logger.info(f"wrote chunk {i} ({len(chunk)} rows)")  # expect: L4


def write_rejects(rows: list[dict], dest: str) -> None:
    for row in rows:
        with open(dest, mode="a", encoding="utf-8") as out:  # expect: L4
            out.write(json.dumps(row) + "\n")


def write_rejects_once(rows: list[dict], dest: str) -> None:
    with open(dest, "a", encoding="utf-8") as out:  # expect-none
        out.writelines(json.dumps(r) + "\n" for r in rows)


if __name__ == "__main__":
    frame = pd.read_csv("visits.csv")
    enrich_bulk(frame).to_parquet("visits_geo.parquet")
    logger.info("enriched %d visits", len(frame))  # expect-none
