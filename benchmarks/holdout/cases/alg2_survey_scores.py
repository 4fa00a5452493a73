"""Scores customer-satisfaction surveys per team and per question."""
import pandas as pd

QUESTIONS = ["q1", "q2", "q3"]


def total_score(df: pd.DataFrame) -> int:
    total = 0
    for row in df.itertuples(index=False):  # expect: L1  # expect-span: 2
        total += row.q1 + row.q2 + row.q3
    return total


def total_score_vectorised(df: pd.DataFrame) -> int:
    return int(df[QUESTIONS].to_numpy().sum())  # expect-none


def per_team(df: pd.DataFrame) -> dict[str, float]:
    scores: dict[str, float] = {}
    for _, row in df.iterrows():  # expect: L1  # expect-span: 2
        scores[row["team"]] = scores.get(row["team"], 0) + row["score"]
    return scores


def per_team_grouped(df: pd.DataFrame) -> dict[str, float]:
    return df.groupby("team")["score"].sum().to_dict()  # expect-none


class SurveyArchive:
    def __init__(self, loader):
        self.loader = loader

    def collect(self, waves: list[str]) -> pd.DataFrame:
        frame = pd.DataFrame(columns=["wave", *QUESTIONS])
        for wave in waves:
            frame = frame.append(self.loader.load(wave), ignore_index=True)  # expect: L1
        return frame

    def collect_once(self, waves: list[str]) -> pd.DataFrame:
        frames = {wave: self.loader.load(wave) for wave in waves}
        return pd.concat(frames, names=["wave"]).reset_index(level=0)  # expect-none

    def normalised(self, df: pd.DataFrame) -> pd.DataFrame:
        for q in QUESTIONS:
            df[q] = (df[q] - df[q].mean()) / df[q].std()  # expect-none
        return df


def nps(df: pd.DataFrame) -> pd.Series:
    return df.apply(lambda r: 1 if r["score"] >= 9 else (-1 if r["score"] <= 6 else 0), axis=1)  # expect: L1


def comments_flagged(df: pd.DataFrame, banned: frozenset[str]) -> pd.Series:
    return df["comment"].map(lambda c: any(w in banned for w in str(c).lower().split()))  # expect-none
