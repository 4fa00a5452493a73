# ---
# jupyter:
#   jupytext:
#     text_representation: {extension: .py, format_name: percent}
# ---
# %% [markdown]
# # Churn analysis: enrich accounts, score, plot

# %%
import json
import logging
import subprocess

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import requests
from tqdm import tqdm

logging.basicConfig(level=logging.INFO)
API = "https://crm.example.com/api"
OUT = "out/churn_scores.csv"
LOG_PATH = "out/enrich.log"

# %%
accounts = pd.read_csv("data/accounts.csv")
with open("data/excluded_ids.txt") as fh:
    excluded = set(fh.read().split())  # expect-none
accounts = accounts[~accounts["account_id"].isin(excluded)]

# %%
profiles = []
for account_id in tqdm(accounts["account_id"]):
    r = requests.get(f"{API}/accounts/{account_id}/profile", timeout=20)  # expect: L4
    profiles.append(r.json())
    with open(LOG_PATH, "a") as log_fh:  # expect: L4
        log_fh.write(f"{account_id}\t{r.status_code}\n")
profiles = pd.DataFrame(profiles)

# %%
crm = requests.Session()
crm.headers["Authorization"] = "Bearer " + open("secrets/token").read().strip()
tickets = {}
for account_id in tqdm(accounts["account_id"], desc="tickets"):
    tickets[account_id] = crm.get(f"{API}/accounts/{account_id}/tickets", timeout=20).json()  # expect-none

# %%
def usage_for(account_id):
    return requests.get(f"{API}/usage/{account_id}", timeout=20).json()["minutes"]  # expect: L4


accounts["usage"] = accounts["account_id"].apply(usage_for)
accounts["ticket_count"] = accounts["account_id"].map(lambda a: len(tickets.get(a, [])))  # expect-none

# %%
def score(row):
    return 1 / (1 + np.exp(-(0.02 * row["ticket_count"] - 0.001 * row["usage"])))

accounts["churn"] = accounts.apply(score, axis=1)
for _, row in accounts.iterrows():
    logging.info("scored {} -> {:.3f}".format(row["account_id"], row["churn"]))  # expect: L4
logging.info("scored %d accounts", len(accounts))  # expect-none

# %%
with open("data/segments.jsonl") as fh:
    for line in fh.read().splitlines():  # expect: L4
        seg = json.loads(line)
        accounts.loc[accounts["account_id"].isin(seg["ids"]), "segment"] = seg["name"]

# %%
accounts.to_csv(OUT, index=False)
for png in ["churn_hist.png", "churn_by_segment.png"]:
    subprocess.run(["optipng", "-quiet", png], check=False)  # expect-none

fig, ax = plt.subplots()
accounts["churn"].hist(ax=ax, bins=40)
fig.savefig("churn_hist.png")

# %%
report_rows = accounts.sort_values("churn", ascending=False).head(50)
with open("out/top50.txt", "w") as fh:
    for _, row in report_rows.iterrows():
        print(row["account_id"], round(row["churn"], 3), file=fh, flush=True)  # expect: L4
