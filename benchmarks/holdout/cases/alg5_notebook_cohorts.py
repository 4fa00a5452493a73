"""Retention cohorts (exported from analysis/cohorts.ipynb)."""
# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from tqdm import tqdm

DATA = "exports/events.parquet"
PLATFORMS = ["ios", "android", "web"]

events = pd.read_parquet(DATA)
events["week"] = events["ts"].dt.to_period("W")

# %%
def build_cohorts(events):
    cohorts = events.groupby("user_id")["week"].min().rename("cohort")
    events = events.join(cohorts, on="user_id")
    table = pd.DataFrame()
    for cohort, grp in tqdm(events.groupby("cohort")):
        counts = grp.groupby("week")["user_id"].nunique().to_frame(cohort).T
        table = pd.concat([table, counts])  # expect: L1
    return table


def build_cohorts_once(events):
    cohorts = events.groupby("user_id")["week"].min().rename("cohort")
    events = events.join(cohorts, on="user_id")
    parts = []
    for cohort, grp in tqdm(events.groupby("cohort")):
        parts.append(grp.groupby("week")["user_id"].nunique().to_frame(cohort).T)  # expect-none
    return pd.concat(parts)  # expect-none


# %%
def session_lengths(events):
    lengths = np.array([])
    for uid, grp in tqdm(events.groupby("user_id"), desc="sessions"):
        gaps = grp["ts"].diff().dt.total_seconds().fillna(0)
        lengths = np.append(lengths, gaps.sum())  # expect: L1
    return lengths


def session_lengths_vectorised(events):
    gaps = events.sort_values("ts").groupby("user_id")["ts"].diff().dt.total_seconds()  # expect-none
    return gaps.groupby(events["user_id"]).sum().to_numpy()


# %%
def label_platforms(events):
    for idx, row in tqdm(events.iterrows(), total=len(events)):  # expect: L1
        events.loc[idx, "is_mobile"] = row["platform"] != "web"
    events["is_web"] = events["platform"] == "web"  # expect-none
    return events


def churned_users(events, last_week):
    active = events.loc[events["week"] == last_week, "user_id"].tolist()
    everyone = events["user_id"].unique()
    return [u for u in everyone if u not in active]  # expect: L1


def churned_users_isin(events, last_week):
    active = events.loc[events["week"] == last_week, "user_id"]
    everyone = pd.Series(events["user_id"].unique())
    return everyone[~everyone.isin(active)].tolist()  # expect-none


# %%
def plot_platforms(events):
    fig, axes = plt.subplots(1, len(PLATFORMS))
    for ax, platform in zip(axes, PLATFORMS):
        sub = events[events["platform"] == platform]  # expect-none
        ax.hist(sub["week"].astype(str))
        if platform in PLATFORMS:  # expect-none
            ax.set_title(platform)
    return fig


def funnel(events):
    steps = []
    for uid, grp in tqdm(events.groupby("user_id")):
        steps = steps + [grp["step"].max()]  # expect: L1
    return pd.Series(steps).value_counts()


# %%
table = build_cohorts_once(events)
ret = table.div(table.iloc[:, 0], axis=0)
plt.imshow(ret.fillna(0).to_numpy())
plt.savefig("cohorts.png")
