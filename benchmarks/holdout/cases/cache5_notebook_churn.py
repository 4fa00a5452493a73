"""churn_analysis.ipynb exported to a script (cells kept in order)."""
# %%
import json
import re
from datetime import datetime

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import yaml
from tqdm import tqdm

DATA = "data/customers.csv"
SNAPSHOT = "2026-11-30"
CONFIG = """
segments: [smb, mid, enterprise]
threshold: 0.42
"""
df = pd.read_csv(DATA)
cfg = yaml.safe_load(CONFIG)  # expect-none
cov = np.cov(df[["tenure", "spend", "tickets"]].to_numpy().T)

# %%
snapshot_dt = datetime.strptime(SNAPSHOT, "%Y-%m-%d")  # expect-none
ages = []
for _, row in tqdm(df.iterrows(), total=len(df)):
    snap = datetime.strptime(SNAPSHOT, "%Y-%m-%d")  # expect: L3
    ages.append((snap - pd.Timestamp(row["signup"]).to_pydatetime()).days)
df["age_days"] = ages


# %%
def mahalanobis_all(frame, cov):
    out = []
    mu = frame.mean().to_numpy()
    for vec in tqdm(frame.to_numpy()):
        inv = np.linalg.inv(cov)  # expect: L3
        d = vec - mu
        out.append(float(np.sqrt(d @ inv @ d)))
    return out


def mahalanobis_all_v2(frame, cov):
    inv = np.linalg.inv(cov)  # expect-none
    d = frame.to_numpy() - frame.mean().to_numpy()
    return np.sqrt(np.einsum("ij,jk,ik->i", d, inv, d))


df["dist"] = mahalanobis_all(df[["tenure", "spend", "tickets"]], cov)

# %%
df["threshold"] = df["segment"].map(lambda s: yaml.safe_load(CONFIG)["threshold"])  # expect: L3
df["flag"] = df["dist"].apply(lambda d: d > cfg["threshold"])  # expect-none
df["meta"] = df["meta_json"].map(lambda s: json.loads(s))  # expect-none


# %%
def retention_paths(months, churned=0):  # expect: L3  # expect-span: 6
    if churned > 2:
        return 0
    if months == 0:
        return 1
    return retention_paths(months - 1, 0) + retention_paths(months - 1, churned + 1)


def retention_table(months):  # expect-none  # expect-span: 6
    ways = [1, 0, 0]
    for _ in range(months):
        ways = [sum(ways), ways[0], ways[1]]
    return sum(ways)


paths = [retention_paths(m) for m in range(1, 25)]

# %%
segments = []
for note in tqdm(df["notes"].fillna("")):
    seg_re = re.compile("|".join(cfg["segments"]), re.I)  # expect: L3
    m = seg_re.search(note)
    segments.append(m.group(0).lower() if m else None)

# %%
fig, ax = plt.subplots(figsize=(8, 4))
for seg in cfg["segments"]:
    ax.hist(df.loc[df["segment"] == seg, "dist"], bins=50, alpha=0.5, label=seg)  # expect-none
ax.legend()
plt.savefig("dist.png")
