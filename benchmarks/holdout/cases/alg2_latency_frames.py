"""Latency and cost reports built from exported metric shards."""
import re
from pathlib import Path

import numpy as np
import pandas as pd

_AGENT = re.compile(r"(?P<name>[\w-]+)/(?P<version>[\d.]+)")


def read_shards(folder: Path):
    for path in sorted(folder.glob("*.parquet")):
        yield pd.read_parquet(path)


def load_all(folder: Path) -> pd.DataFrame:
    combined = pd.DataFrame()
    for shard in read_shards(folder):
        combined = pd.concat([combined, shard], ignore_index=True)  # expect: L1
    return combined


def load_all_once(folder: Path) -> pd.DataFrame:
    return pd.concat(list(read_shards(folder)), ignore_index=True)  # expect-none


class LatencyReport:
    def __init__(self, source):
        self.source = source

    def summarize(self, services: list[str]) -> pd.DataFrame:
        table = pd.DataFrame(columns=["service", "p50", "p99"])
        for svc in services:
            samples = self.source.latencies(svc)
            table.loc[len(table)] = [svc, np.percentile(samples, 50), np.percentile(samples, 99)]  # expect: L1
        return table

    def summarize_rows(self, services: list[str]) -> pd.DataFrame:
        rows = []
        for svc in services:
            samples = self.source.latencies(svc)
            rows.append({"service": svc, "p50": np.percentile(samples, 50), "p99": np.percentile(samples, 99)})  # expect-none
        return pd.DataFrame(rows)


def add_error_rate(df: pd.DataFrame) -> pd.DataFrame:
    for i, row in df.iterrows():  # expect: L1  # expect-span: 2
        df.at[i, "error_rate"] = row["errors"] / row["requests"]
    return df


def add_error_rate_vectorised(df: pd.DataFrame) -> pd.DataFrame:
    df["error_rate"] = df["errors"] / df["requests"]  # expect-none
    return df


def weighted_cost(df):
    df["cost"] = df.apply(lambda r: r["cpu_hours"] * r["rate"] + r["egress_gb"] * 0.09, axis=1)  # expect: L1
    return df


def weighted_cost_vectorised(df):
    df["cost"] = df["cpu_hours"] * df["rate"] + df["egress_gb"] * 0.09  # expect-none
    return df


def parse_agent(ua: str) -> str:
    m = _AGENT.search(ua or "")
    return f"{m['name']} {m['version']}" if m else "unknown"


def with_agent(df: pd.DataFrame) -> pd.DataFrame:
    df["agent"] = df["user_agent"].apply(parse_agent)  # expect-none
    return df
