"""Fraud scoring: a Lambda handler and an async FastAPI endpoint share one model."""
from __future__ import annotations

import json
import os
from functools import lru_cache

import joblib
import numpy as np
from fastapi import FastAPI

MODEL_PATH = os.environ.get("MODEL_PATH", "/opt/ml/fraud.joblib")

api = FastAPI()


@lru_cache(maxsize=1)
def model():
    return joblib.load(MODEL_PATH)  # expect-none


def lambda_handler(event, context):
    clf = joblib.load(MODEL_PATH)  # expect: L3
    records = [json.loads(r["body"]) for r in event["Records"]]  # expect-none
    features = np.array([[r["amount"], r["age_days"], r["country_risk"]] for r in records])
    return {"scores": clf.predict_proba(features)[:, 1].tolist()}


def lambda_handler_v2(event, context):
    records = [json.loads(r["body"]) for r in event["Records"]]
    features = np.array([[r["amount"], r["age_days"], r["country_risk"]] for r in records])
    return {"scores": model().predict_proba(features)[:, 1].tolist()}  # expect-none


@api.post("/score")
async def score(tx: dict) -> dict:
    clf = joblib.load(MODEL_PATH)  # expect: L3
    return {"score": float(clf.predict_proba([[tx["amount"], tx["age_days"], tx["country_risk"]]])[0, 1])}


def mahalanobis_outliers(samples: np.ndarray, threshold: float = 3.0) -> list[int]:
    mean = samples.mean(axis=0)
    cov = np.cov(samples, rowvar=False)
    flagged = []
    for idx, row in enumerate(samples):
        delta = row - mean
        dist = float(np.sqrt(delta @ np.linalg.inv(cov) @ delta))  # expect: L3
        if dist > threshold:
            flagged.append(idx)
    return flagged


def mahalanobis_outliers_v2(samples: np.ndarray, threshold: float = 3.0) -> list[int]:
    mean = samples.mean(axis=0)
    precision = np.linalg.inv(np.cov(samples, rowvar=False))  # expect-none
    d = samples - mean
    dist = np.sqrt(np.einsum("ij,jk,ik->i", d, precision, d))
    return np.nonzero(dist > threshold)[0].tolist()


def rolling_distance(samples: np.ndarray, window: int = 50) -> list[float]:
    out = []
    for start in range(0, len(samples) - window, window):
        chunk = samples[start:start + window]
        inv = np.linalg.inv(np.cov(chunk, rowvar=False))  # expect-none
        d = chunk[-1] - chunk.mean(axis=0)
        out.append(float(d @ inv @ d))
    return out
