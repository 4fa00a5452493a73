"""Churn scoring over pandas frames: row callbacks, key functions, lambdas."""
import json
from datetime import datetime

import numpy as np
import pandas as pd
import yaml

WEIGHTS_JSON = '{"tenure": 0.4, "tickets": 0.35, "spend": 0.25}'
WEIGHTS = json.loads(WEIGHTS_JSON)  # expect-none
TIER_ORDER = "gold: 0\nsilver: 1\nbronze: 2\n"
CONTRACT_CUTOFF = "2025-01-01"
CUTOFF = datetime.strptime(CONTRACT_CUTOFF, "%Y-%m-%d")  # expect-none


def score_row(row: pd.Series) -> float:
    weights = json.loads(WEIGHTS_JSON)  # expect: L3
    return sum(row[k] * w for k, w in weights.items())


def score_row_shared(row: pd.Series) -> float:
    return sum(row[k] * w for k, w in WEIGHTS.items())  # expect-none


def score_frame(df: pd.DataFrame) -> pd.DataFrame:
    df["score"] = df.apply(score_row, axis=1)
    df["score_v2"] = df.apply(score_row_shared, axis=1)
    return df


def legacy_flags(df: pd.DataFrame) -> pd.Series:
    return df["signed"].map(lambda s: datetime.strptime(s, "%Y-%m-%d") < datetime.strptime(CONTRACT_CUTOFF, "%Y-%m-%d"))  # expect: L3


def legacy_flags_v2(df: pd.DataFrame) -> pd.Series:
    return df["signed"].map(lambda s: datetime.strptime(s, "%Y-%m-%d") < CUTOFF)  # expect-none


def rank_accounts(accounts: list[dict]) -> list[dict]:
    return sorted(accounts, key=lambda a: (yaml.safe_load(TIER_ORDER)[a["tier"]], -a["spend"]))  # expect: L3


def rank_accounts_v2(accounts: list[dict]) -> list[dict]:
    order = yaml.safe_load(TIER_ORDER)  # expect-none
    return sorted(accounts, key=lambda a: (order[a["tier"]], -a["spend"]))


def whiten(df: pd.DataFrame, cov: np.ndarray) -> pd.DataFrame:
    return df.apply(lambda r: np.linalg.inv(cov) @ r.to_numpy(), axis=1, result_type="expand")  # expect: L3


def whiten_v2(df: pd.DataFrame, cov: np.ndarray) -> pd.DataFrame:
    inv = np.linalg.inv(cov)  # expect-none
    return df.apply(lambda r: inv @ r.to_numpy(), axis=1, result_type="expand")


def per_customer_cov(df: pd.DataFrame) -> pd.Series:
    return df.groupby("customer").apply(lambda g: np.linalg.inv(np.cov(g[["a", "b"]].T)))  # expect-none


def summary(df: pd.DataFrame) -> dict:
    tiers = yaml.safe_load(TIER_ORDER)  # expect-none
    return {t: int((df["tier"] == t).sum()) for t in tiers}
