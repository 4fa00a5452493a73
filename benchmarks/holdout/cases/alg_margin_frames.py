import pandas as pd

from .fx import convert_currency


def unit_margin(row) -> float:
    return (row["price"] - row["cost"]) / row["price"]


def add_margins(products: pd.DataFrame) -> pd.DataFrame:
    products["margin"] = products.apply(unit_margin, axis=1)  # expect: L1
    return products


def add_margins_vec(products: pd.DataFrame) -> pd.DataFrame:
    products["margin"] = (products["price"] - products["cost"]) / products["price"]  # expect-none
    return products


def to_eur(row) -> float:
    return convert_currency(row["price"], row["currency"], "EUR")


def add_eur(products: pd.DataFrame) -> pd.DataFrame:
    products["price_eur"] = products.apply(to_eur, axis=1)  # expect-none
    return products


def discounted(products: pd.DataFrame, rate: float) -> pd.DataFrame:
    products["net"] = products.apply(lambda p: p.price * (1 - rate) if p.on_sale else p.price, axis="columns")  # expect: L1
    return products


def stock_value(products: pd.DataFrame) -> float:
    total = 0.0
    for row in products.itertuples():  # expect: L1  # expect-span: 2
        total += row.qty * row.cost
    return total
