"""Predictions API, written the way the FastAPI tutorial shows it."""
import json
import os
from functools import lru_cache
from typing import List

import joblib
from fastapi import Depends, FastAPI
from pydantic import BaseModel, TypeAdapter

app = FastAPI()
MODEL_PATH = os.environ.get("MODEL_PATH", "model.joblib")


class Item(BaseModel):
    sku: str
    qty: int


ItemList = TypeAdapter(List[Item])  # expect-none
model = None


@app.on_event("startup")
def load_model():
    global model
    model = joblib.load(MODEL_PATH)  # expect-none


@lru_cache()
def get_flags():
    return json.loads(os.environ.get("FEATURE_FLAGS", "{}"))  # expect-none


@app.post("/predict")
def predict(payload: dict):
    clf = joblib.load(MODEL_PATH)  # expect: L3
    return {"score": float(clf.predict([payload["features"]])[0])}


@app.post("/predict/v2")
def predict_v2(payload: dict):
    return {"score": float(model.predict([payload["features"]])[0])}  # expect-none


@app.post("/orders")
def create_order(raw: str):
    items = TypeAdapter(List[Item]).validate_json(raw)  # expect: L3
    return {"count": len(items)}


@app.post("/orders/v2")
def create_order_v2(raw: str):
    items = ItemList.validate_json(raw)  # expect-none
    return {"count": len(items)}


@app.get("/features")
def features():
    flags = json.loads(os.environ.get("FEATURE_FLAGS", "{}"))  # expect: L3
    return {"beta": flags.get("beta", False)}


@app.get("/features/v2")
def features_v2(flags: dict = Depends(get_flags)):
    return {"beta": flags.get("beta", False)}  # expect-none
