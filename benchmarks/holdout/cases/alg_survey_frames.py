import numpy as np
import pandas as pd

from .nlp import sentiment_score


def weighted_scores(responses: pd.DataFrame) -> pd.DataFrame:
    responses["weighted"] = responses.apply(  # expect: L1
        lambda r: r["score"] * r["weight"] if r["valid"] else np.nan, axis=1
    )
    return responses


def weighted_scores_vec(responses: pd.DataFrame) -> pd.DataFrame:
    responses["weighted"] = np.where(responses["valid"], responses["score"] * responses["weight"], np.nan)  # expect-none
    return responses


def comment_sentiment(responses: pd.DataFrame) -> pd.Series:
    return responses.apply(lambda r: sentiment_score(r["comment"], lang=r["lang"]), axis=1)  # expect-none


def completion_by_region(responses: pd.DataFrame) -> dict[str, float]:
    done: dict[str, list[int]] = {}
    for _, r in responses.iterrows():  # expect: L1  # expect-span: 2
        done.setdefault(r["region"], []).append(int(r["answered"] == r["questions"]))
    return {k: sum(v) / len(v) for k, v in done.items()}


def completion_by_region_vec(responses: pd.DataFrame) -> pd.Series:
    finished = responses["answered"] == responses["questions"]  # expect-none
    return finished.groupby(responses["region"]).mean()


def per_day(days: list[pd.DataFrame]) -> pd.DataFrame:
    summary = None
    for n, w in enumerate(days):
        row = w[["score", "weight"]].mean().to_frame().T.assign(day=n)
        summary = row if summary is None else pd.concat([summary, row])  # expect: L1
    return summary
