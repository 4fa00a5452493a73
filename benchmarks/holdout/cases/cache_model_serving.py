import os
from functools import lru_cache

import joblib
import numpy as np
from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()
MODEL_FILE = os.environ.get("FRAUD_MODEL", "/srv/models/fraud.joblib")


class Txn(BaseModel):
    amount: float
    country_risk: float
    velocity: float


@lru_cache(maxsize=1)
def fraud_model():
    return joblib.load(MODEL_FILE)  # expect-none


@app.post("/score")
def score(txn: Txn):
    model = joblib.load(MODEL_FILE)  # expect: L3
    return {"fraud": float(model.predict_proba(np.array([[txn.amount, txn.country_risk, txn.velocity]]))[0, 1])}


@app.post("/v2/score")
def score_v2(txn: Txn):
    model = fraud_model()  # expect-none
    return {"fraud": float(model.predict_proba(np.array([[txn.amount, txn.country_risk, txn.velocity]]))[0, 1])}


def lambda_handler(event, context):
    scaler = joblib.load("/opt/ml/scaler.joblib")  # expect: L3
    rows = np.array([[r["amount"], r["velocity"]] for r in event["records"]])
    return {"scaled": scaler.transform(rows).tolist()}


def retrain_report(paths: list[str]) -> dict[str, int]:
    # compare several stored models once, each file is different
    return {p: len(joblib.load(p).classes_) for p in paths}  # expect-none
