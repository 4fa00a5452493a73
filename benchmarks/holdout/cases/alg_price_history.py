import numpy as np
import pandas as pd


class Tracker:
    def __init__(self) -> None:
        self.prices = np.array([])
        self.frame = pd.DataFrame(columns=["sku", "price"])

    def observe(self, ticks) -> None:
        for t in ticks:
            self.prices = np.append(self.prices, t.price)  # expect: L1

    def record(self, ticks) -> None:
        for t in ticks:
            self.frame = pd.concat([self.frame, pd.DataFrame([{"sku": t.sku, "price": t.price}])])  # expect: L1


def highest_close(days: list[dict]) -> dict:
    return sorted(days, key=lambda d: d["close"], reverse=True)[0]  # expect: L1


def lowest_per_sku(history: dict[str, list[float]]) -> dict[str, float]:
    return {sku: sorted(prices)[0] for sku, prices in history.items()}  # expect: L1


def lowest_per_sku_min(history: dict[str, list[float]]) -> dict[str, float]:
    return {sku: min(prices) for sku, prices in history.items()}  # expect-none


def median_price(prices: list[float]) -> float:
    ordered = sorted(prices)
    return ordered[len(ordered) // 2]  # expect-none


def log_returns(df: pd.DataFrame) -> pd.Series:
    return df.apply(lambda r: np.log(r["close"] / r["open"]), axis=1)  # expect: L1
