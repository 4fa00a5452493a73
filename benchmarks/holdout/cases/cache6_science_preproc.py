"""Feature prep with polars, numpy and a scikit-learn transformer, plus a typer CLI that walks a tree."""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import numpy as np
import polars as pl
import typer
from sklearn.base import BaseEstimator, TransformerMixin

EPOCH = "2020-01-01"
IGNORED_DIRS = ("node_modules", ".git", "__pycache__", ".venv")
RULE_EXPR = "score > 0.5 and not flagged"
RULE_CODE = compile(RULE_EXPR, "<rule>", "eval")  # expect-none
EPOCH_DT = datetime.strptime(EPOCH, "%Y-%m-%d")  # expect-none
IGNORED_RE = re.compile("|".join(map(re.escape, IGNORED_DIRS)))  # expect-none
cli = typer.Typer()


def add_age(df: pl.DataFrame) -> pl.DataFrame:
    return df.with_columns(
        pl.col("signup").map_elements(lambda s: (datetime.fromisoformat(s) - datetime.strptime(EPOCH, "%Y-%m-%d")).days)  # expect: L3
    )


def add_age_vectorized(df: pl.DataFrame) -> pl.DataFrame:
    return df.with_columns((pl.col("signup").str.to_datetime() - pl.lit(EPOCH_DT)).dt.total_days().alias("age"))  # expect-none


def mahalanobis_all(samples: np.ndarray, mean: np.ndarray, cov: np.ndarray) -> list[float]:
    out = []
    for x in samples:
        inv = np.linalg.inv(cov)  # expect: L3
        d = x - mean
        out.append(float(np.sqrt(d @ inv @ d)))
    return out


def whiten_each(batches: list[np.ndarray]) -> list[np.ndarray]:
    return [b @ np.linalg.inv(np.cov(b, rowvar=False)) for b in batches]  # expect-none


@dataclass(slots=True)
class Whitener(BaseEstimator, TransformerMixin):
    eps: float = 1e-6
    mean_: np.ndarray | None = field(default=None, init=False)
    cov_: np.ndarray | None = field(default=None, init=False)

    def fit(self, X, y=None):
        self.mean_ = X.mean(axis=0)
        self.cov_ = np.cov(X, rowvar=False) + self.eps * np.eye(X.shape[1])
        return self

    def transform(self, X):
        rows = []
        for x in X:
            rows.append((x - self.mean_) @ np.linalg.inv(self.cov_))  # expect: L3
        return np.vstack(rows)


def keep_rows(rows: list[dict]) -> list[dict]:
    kept = []
    for row in rows:
        code = compile(RULE_EXPR, "<rule>", "eval")  # expect: L3
        if eval(code, {}, row):
            kept.append(row)
    return kept


def keep_rows_compiled(rows: list[dict]) -> list[dict]:
    return [row for row in rows if eval(RULE_CODE, {}, row)]  # expect-none


class SymbolIndex:
    def __init__(self, root: Path) -> None:
        self.root = root

    @lru_cache(maxsize=None)  # expect: L3  # expect-span: 2
    def symbols(self, rel: str) -> list[str]:
        tree = ast.parse((self.root / rel).read_text())
        return [n.name for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef))]


@cli.command()
def scan(root: Path) -> None:
    for path in root.rglob("*.py"):
        skip = re.compile("|".join(map(re.escape, IGNORED_DIRS)))  # expect: L3
        if skip.search(str(path)):
            continue
        typer.echo(f"{path}: {len(ast.parse(path.read_text()).body)}")  # expect-none


@cli.command()
def scan_fast(root: Path) -> None:
    for path in root.rglob("*.py"):
        if IGNORED_RE.search(str(path)):  # expect-none
            continue
        typer.echo(str(path))
