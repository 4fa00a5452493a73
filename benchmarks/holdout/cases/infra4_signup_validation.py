"""Sign-up service: pydantic v2 validators, FastAPI background tasks, a Lambda import."""
import json
from functools import cache

import boto3
import httpx
from fastapi import BackgroundTasks, FastAPI
from pydantic import BaseModel, field_validator
from sqlalchemy import create_engine, insert
from sqlalchemy.orm import Session, sessionmaker

from .tables import signups

DB_URL = "postgresql+psycopg://signup@db/signup"
app = FastAPI()
SessionLocal = sessionmaker(bind=create_engine(DB_URL, pool_pre_ping=True))  # expect-none


@cache
def disposable_domains() -> frozenset[str]:
    with httpx.Client(timeout=10) as client:  # expect-none
        return frozenset(client.get("https://lists.example/disposable.txt").text.split())


class SignUp(BaseModel):
    email: str
    referrer: str | None = None

    @field_validator("email")
    @classmethod
    def not_disposable(cls, value: str) -> str:
        if value.rsplit("@", 1)[-1] in disposable_domains():  # expect-none
            raise ValueError("disposable address")
        return value


def welcome(email: str) -> None:
    ses = boto3.client("ses", region_name="eu-west-1")  # expect: L5
    ses.send_email(Source="hello@example.com", Destination={"ToAddresses": [email]},
                   Message={"Subject": {"Data": "Welcome"}, "Body": {"Text": {"Data": "Hi!"}}})


@app.post("/signup")
def signup(body: SignUp, tasks: BackgroundTasks):
    engine = create_engine(DB_URL)  # expect: L5
    with Session(engine) as session:
        session.execute(insert(signups).values(email=body.email, referrer=body.referrer))
        session.commit()
    tasks.add_task(welcome, body.email)
    return {"ok": True}


@app.post("/signup/pooled")
def signup_pooled(body: SignUp):
    with SessionLocal() as session:  # expect-none
        session.execute(insert(signups).values(email=body.email, referrer=body.referrer))
        session.commit()
    return {"ok": True}


def import_handler(event, context):
    rows = [SignUp.model_validate(json.loads(r["body"])) for r in event["Records"]]
    with SessionLocal() as session:  # expect-none
        session.execute(insert(signups), [r.model_dump() for r in rows])
        session.commit()
    for row in rows:
        welcome(row.email)
    return {"imported": len(rows)}
