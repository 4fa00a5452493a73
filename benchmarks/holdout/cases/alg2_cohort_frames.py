"""Cohort retention tables for the growth dashboard."""
import numpy as np
import pandas as pd


class CohortBuilder:
    def __init__(self, warehouse):
        self.warehouse = warehouse
        self.table = pd.DataFrame(columns=["cohort", "week", "active"])

    def build(self, cohorts: list[str], weeks: int) -> pd.DataFrame:
        for cohort in cohorts:
            for week in range(weeks):
                active = self.warehouse.active_users(cohort, week)
                self.table.loc[len(self.table)] = [cohort, week, active]  # expect: L1
        return self.table

    def build_records(self, cohorts: list[str], weeks: int) -> pd.DataFrame:
        records = [
            (cohort, week, self.warehouse.active_users(cohort, week))
            for cohort in cohorts
            for week in range(weeks)
        ]
        return pd.DataFrame.from_records(records, columns=["cohort", "week", "active"])


def retention(df: pd.DataFrame) -> pd.DataFrame:
    def ratio(row):
        return row["active"] / row["size"] if row["size"] else 0.0

    df["retention"] = df.apply(ratio, axis=1)  # expect: L1
    return df


def retention_vectorised(df: pd.DataFrame) -> pd.DataFrame:
    df["retention"] = np.where(df["size"] > 0, df["active"] / df["size"].where(df["size"] > 0, 1), 0.0)  # expect-none
    return df


def churn_rows(df: pd.DataFrame):
    for _, row in df.iterrows():  # expect: L1  # expect-span: 2
        yield row["cohort"], row["size"] - row["active"]


def churn_columns(df: pd.DataFrame):
    churn = df["size"] - df["active"]  # expect-none
    return list(zip(df["cohort"], churn))


def stacked(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    out = None
    for name, frame in frames.items():
        frame = frame.assign(source=name)
        out = frame if out is None else pd.concat([out, frame])  # expect: L1
    return out
