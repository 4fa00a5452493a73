"""Account helpers from the billing app (old-style classes, pandas glue)."""
import datetime
import functools

import pandas as pd

PLAN_START = "2018-04-01"


class Account(object):
    def __init__(self, rows):
        self.rows = rows

    @functools.lru_cache(maxsize=None)  # expect: L3  # expect-span: 2
    def balance(self):
        return sum(r["amount"] for r in self.rows)

    @property
    @functools.lru_cache()  # expect: L3  # expect-span: 2
    def last_payment(self):
        return max(r["date"] for r in self.rows)

    @staticmethod
    @functools.lru_cache(maxsize=64)  # expect-none
    def plan_price(code):
        return {"basic": 5, "pro": 20}.get(code, 0)

    @classmethod
    @functools.lru_cache(maxsize=8)  # expect-none
    def currency_for(cls, country):
        return "EUR" if country in ("DE", "FR", "IT") else "USD"

    @functools.cached_property  # expect-none
    def total_credits(self):
        return sum(r["amount"] for r in self.rows if r["amount"] < 0)


@functools.lru_cache(maxsize=256)  # expect-none
def tax_rate(country):
    return {"DE": 0.19, "FR": 0.2}.get(country, 0.0)


def tenure_days(df):
    return df["signup"].map(lambda s: (s - datetime.datetime.strptime(PLAN_START, "%Y-%m-%d")).days)  # expect: L3


def tenure_days_v2(df):
    start = datetime.datetime.strptime(PLAN_START, "%Y-%m-%d")  # expect-none
    return (df["signup"] - start).dt.days


def parse_signups(df):
    return df["signup_raw"].map(lambda s: datetime.datetime.strptime(s, "%Y-%m-%d"))  # expect-none


def load(path):
    df = pd.read_csv(path)
    df["signup"] = pd.to_datetime(df["signup_raw"])
    return df
