"""Signup payloads: Pydantic v2 models with validators, used per request."""
import re
from datetime import date, datetime
from typing import ClassVar

from fastapi import FastAPI
from pydantic import BaseModel, TypeAdapter, field_validator, model_validator

app = FastAPI()
RESERVED = ("admin", "root", "support", "billing", "security")
LAUNCH_DAY = "2026-03-01"
RESERVED_RE = re.compile("|".join(re.escape(w) for w in RESERVED))  # expect-none
LAUNCH = date.fromisoformat(LAUNCH_DAY)  # expect-none


class Signup(BaseModel):
    handle: str
    email: str
    starts: date

    @field_validator("handle")
    @classmethod
    def handle_not_reserved(cls, value: str) -> str:
        banned = re.compile("|".join(re.escape(w) for w in RESERVED))  # expect: L3
        if banned.search(value.lower()):
            raise ValueError("reserved handle")
        return value

    @field_validator("starts")
    @classmethod
    def after_launch(cls, value: date) -> date:
        if value < datetime.strptime(LAUNCH_DAY, "%Y-%m-%d").date():  # expect: L3
            raise ValueError("before launch")
        return value


class SignupV2(BaseModel):
    handle: str
    starts: date
    HANDLE_RE: ClassVar[re.Pattern] = re.compile(r"^[a-z][a-z0-9_]{2,30}$")  # expect-none

    @field_validator("handle")
    @classmethod
    def handle_ok(cls, value: str) -> str:
        if RESERVED_RE.search(value.lower()) or not cls.HANDLE_RE.match(value):  # expect-none
            raise ValueError("bad handle")
        return value

    @model_validator(mode="after")
    def check_start(self):
        if self.starts < LAUNCH:  # expect-none
            raise ValueError("before launch")
        return self


@app.post("/signups/bulk")
async def bulk_signup(raw: bytes):
    people = TypeAdapter(list[SignupV2]).validate_json(raw)  # expect: L3
    return {"accepted": len(people)}


SIGNUPS = TypeAdapter(list[SignupV2])  # expect-none


@app.post("/signups/bulk/v2")
async def bulk_signup_v2(raw: bytes):
    people = SIGNUPS.validate_json(raw)  # expect-none
    return {"accepted": len(people)}


def reserved_pattern_for_tests() -> re.Pattern:
    return re.compile("|".join(RESERVED))  # expect-none
