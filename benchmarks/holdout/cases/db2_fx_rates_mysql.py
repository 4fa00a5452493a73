from __future__ import annotations

import contextlib
import datetime as dt
from typing import Iterator

import pymysql
from pymysql.cursors import DictCursor


class RateStore:
    def __init__(self, conn: pymysql.connections.Connection) -> None:
        self.conn = conn

    @contextlib.contextmanager
    def cursor(self) -> Iterator[DictCursor]:
        cur = self.conn.cursor(DictCursor)
        try:
            yield cur
        finally:
            cur.close()

    def rate(self, base: str, quote: str, day: dt.date) -> float | None:
        with self.cursor() as cur:
            cur.execute("SELECT rate FROM fx WHERE base=%s AND quote=%s AND day=%s", (base, quote, day))
            row = cur.fetchone()
        return row["rate"] if row else None

    def convert_all(self, amounts: list[tuple[str, float]], target: str, day: dt.date) -> float:
        total = 0.0
        for currency, amount in amounts:
            if currency == target:
                total += amount
                continue
            rate = self.rate(currency, target, day)  # expect: L2
            total += amount * (rate or 0.0)
        return total

    def convert_all_once(self, amounts: list[tuple[str, float]], target: str, day: dt.date) -> float:
        currencies = sorted({c for c, _ in amounts if c != target})
        rates = {target: 1.0}
        if currencies:
            with self.cursor() as cur:
                cur.execute(  # expect-none
                    "SELECT base, rate FROM fx WHERE quote=%s AND day=%s AND base IN %s", (target, day, currencies)
                )
                rates.update({r["base"]: r["rate"] for r in cur.fetchall()})
        return sum(amount * rates.get(c, 0.0) for c, amount in amounts)

    def backfill(self, day: dt.date, quotes: dict[str, float]) -> None:
        with self.cursor() as cur:
            for quote, rate in sorted(quotes.items()):
                cur.execute(  # expect: L2
                    "REPLACE INTO fx (base, quote, day, rate) VALUES ('EUR', %s, %s, %s)", (quote, day, rate)
                )
        self.conn.commit()

    def backfill_many(self, day: dt.date, quotes: dict[str, float]) -> None:
        rows = [("EUR", q, day, r) for q, r in quotes.items()]
        with self.cursor() as cur:
            cur.executemany("REPLACE INTO fx (base, quote, day, rate) VALUES (%s, %s, %s, %s)", rows)  # expect-none
        self.conn.commit()

    def history(self, base: str, quote: str, days: int) -> list[float]:
        today = dt.date.today()
        series = []
        for offset in range(days):
            series.append(self.rate(base, quote, today - dt.timedelta(days=offset)))  # expect: L2
        return series
