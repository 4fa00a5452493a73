"""Transaction risk scoring.

Flask blueprint plus a small batch scorer.  The model artefact and the
covariance of the reference population are produced nightly by the training
job and mounted read-only at ``MODEL_DIR``.
"""
from __future__ import annotations

import hashlib
import logging
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
from flask import Blueprint, current_app, jsonify, request
from joblib import load as load_artifact

logger = logging.getLogger(__name__)
bp = Blueprint("risk", __name__)

MODEL_DIR = Path("/srv/models/risk")
MODEL_PATH = MODEL_DIR / "gbm.joblib"
REFERENCE_COV = np.load(MODEL_DIR / "reference_cov.npy")
REFERENCE_MEAN = np.load(MODEL_DIR / "reference_mean.npy")
MERCHANT_SALT = b"risk-merchant-v3"
PEPPER = b"\x8f\x11\x02risk"
PUNCT_TABLE = str.maketrans("", "", string.punctuation)  # expect-none
_PRECISION = np.linalg.inv(REFERENCE_COV)  # expect-none


@dataclass(slots=True)
class Txn:
    merchant: str
    amount: float
    features: np.ndarray
    memo: str = ""
    flags: list[str] = field(default_factory=list)

    def distance(self) -> float:
        delta = self.features - REFERENCE_MEAN
        return float(delta @ np.linalg.inv(REFERENCE_COV) @ delta)  # expect: L3

    def distance_fast(self) -> float:
        delta = self.features - REFERENCE_MEAN
        return float(delta @ _PRECISION @ delta)  # expect-none


def merchant_key(merchant: str) -> str:
    secret = hashlib.pbkdf2_hmac("sha256", PEPPER, MERCHANT_SALT, 200_000)  # expect: L3
    return hashlib.blake2b(merchant.encode(), key=secret[:32]).hexdigest()


def merchant_key_salted(merchant: str) -> str:
    return hashlib.pbkdf2_hmac("sha256", merchant.encode(), MERCHANT_SALT, 1_000).hex()  # expect-none


def _memo_tokens(memo: str) -> frozenset[str]:
    table = str.maketrans({c: " " for c in string.punctuation})  # expect: L3
    return frozenset(memo.translate(table).lower().split())


def _memo_tokens_fast(memo: str) -> frozenset[str]:
    return frozenset(memo.translate(PUNCT_TABLE).lower().split())  # expect-none


class RiskModel:
    def __init__(self, path: Path = MODEL_PATH) -> None:
        self._path = path
        self._model = None

    @property
    def model(self):
        if self._model is None:
            self._model = load_artifact(self._path)  # expect-none
        return self._model

    def score(self, txns: Sequence[Txn]) -> np.ndarray:
        x = np.stack([t.features for t in txns])
        return self.model.predict_proba(x)[:, 1]


_MODEL = RiskModel()


@bp.post("/score")
def score_one():
    body = request.get_json()
    txn = Txn(body["merchant"], body["amount"], np.asarray(body["features"]), body.get("memo", ""))
    model = load_artifact(MODEL_PATH)  # expect: L3
    p = float(model.predict_proba(txn.features.reshape(1, -1))[0, 1])
    return jsonify(score=p, distance=txn.distance(), key=merchant_key(txn.merchant))


@bp.post("/score:batch")
def score_batch():
    txns = [Txn(d["merchant"], d["amount"], np.asarray(d["features"])) for d in request.get_json()]
    scores = _MODEL.score(txns)  # expect-none
    return jsonify(scores=scores.tolist())


def rank_by_distance(txns: Iterable[Txn]) -> list[Txn]:
    inv = np.linalg.inv(REFERENCE_COV)  # expect-none
    return sorted(txns, key=lambda t: float((t.features - REFERENCE_MEAN) @ inv @ (t.features - REFERENCE_MEAN)))


def rank_by_distance_slow(txns: Iterable[Txn]) -> list[Txn]:
    return sorted(
        txns,
        key=lambda t: float((t.features - REFERENCE_MEAN) @ np.linalg.pinv(REFERENCE_COV) @ (t.features - REFERENCE_MEAN)),  # expect: L3
    )


def flag_memos(txns: Iterable[Txn], watchlist: frozenset[str]) -> int:
    hits = 0
    for txn in txns:
        if _memo_tokens(txn.memo) & watchlist:
            txn.flags.append("watchlist")
            hits += 1
    return hits


def nightly(txns: list[Txn]) -> None:
    for txn in txns:
        if txn.distance() > current_app.config["RISK_DISTANCE_MAX"]:
            txn.flags.append("outlier")
    logger.info("flagged %d memos", flag_memos(txns, frozenset({"crypto", "gift"})))
