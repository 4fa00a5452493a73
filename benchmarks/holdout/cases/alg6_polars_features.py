"""Feature building for the churn model: polars frames, numpy and scikit-learn."""
from pathlib import Path

import numpy as np
import polars as pl
from sklearn.preprocessing import StandardScaler


def load_events(folder: Path) -> pl.DataFrame:
    frame = pl.DataFrame()
    for part in sorted(folder.glob("events-*.parquet")):
        chunk = pl.read_parquet(part)
        frame = pl.concat([frame, chunk], how="diagonal")  # expect: L1
    return frame


def load_events_once(folder: Path) -> pl.DataFrame:
    parts = [pl.read_parquet(p) for p in sorted(folder.glob("events-*.parquet"))]
    return pl.concat(parts, how="diagonal")  # expect-none


def session_matrix(sessions: list[dict]) -> np.ndarray:
    matrix = np.empty((0, 4))
    for s in sessions:
        vec = np.array([s["clicks"], s["views"], s["seconds"], s["carts"]], dtype=float)
        matrix = np.vstack([matrix, vec])  # expect: L1
    return matrix


def session_matrix_prealloc(sessions: list[dict]) -> np.ndarray:
    matrix = np.empty((len(sessions), 4))
    for i, s in enumerate(sessions):
        matrix[i] = (s["clicks"], s["views"], s["seconds"], s["carts"])  # expect-none
    return matrix


def spend_flags(frame: pl.DataFrame, threshold: float) -> list[bool]:
    flags = []
    for row in frame.iter_rows(named=True):  # expect: L1  # expect-span: 2
        flags.append(row["spend"] * row["margin"] > threshold)
    return flags


def spend_flags_vectorised(frame: pl.DataFrame, threshold: float) -> pl.Series:
    return (frame["spend"] * frame["margin"] > threshold)  # expect-none


def churned_customers(frame: pl.DataFrame, active: pl.DataFrame) -> pl.DataFrame:
    active_ids = active["customer_id"].to_list()
    return frame.filter(~pl.col("customer_id").is_in(active_ids))  # expect-none


def label_rows(frame: pl.DataFrame, active: pl.DataFrame) -> list[int]:
    active_ids = active["customer_id"].to_list()
    return [0 if cid in active_ids else 1 for cid in frame["customer_id"]]  # expect: L1


def scaled_features(frame: pl.DataFrame, columns: list[str]) -> np.ndarray:
    scaler = StandardScaler()
    blocks = []
    for col in columns:
        blocks.append(frame[col].to_numpy().reshape(-1, 1))  # expect-none
    return scaler.fit_transform(np.hstack(blocks))  # expect-none


def cumulative_features(frame: pl.DataFrame, columns: list[str]) -> np.ndarray:
    out = None
    for col in columns:
        block = frame[col].to_numpy().reshape(-1, 1)
        out = block if out is None else np.hstack([out, block])
    return out


def top_customer(frame: pl.DataFrame) -> str:
    totals = frame.group_by("customer_id").agg(pl.col("spend").sum())
    pairs = list(zip(totals["customer_id"].to_list(), totals["spend"].to_list()))
    return sorted(pairs, key=lambda p: p[1])[-1][0]  # expect: L1


def best_threshold(candidates: list[float], score) -> float:
    return max(candidates, key=score)  # expect-none
