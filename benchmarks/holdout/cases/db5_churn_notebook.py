"""Churn analysis, exported from a notebook: globals, pandas, tqdm loops over two databases."""
# In[1]:
import sqlite3

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sqlalchemy import create_engine, text
from tqdm import tqdm

engine = create_engine("postgresql://analytics@warehouse/crm")
conn = sqlite3.connect("churn.db")

# In[2]:
customers = pd.read_sql("SELECT id, region, signup FROM customers", engine)  # expect-none


# In[3]:
def load_orders():
    frames = []
    for cid in tqdm(customers["id"]):
        frames.append(pd.read_sql(text("SELECT * FROM orders WHERE customer_id = :c"), engine, params={"c": cid}))  # expect: L2
    return pd.concat(frames)


def load_orders_once():
    ids = customers["id"].tolist()
    return pd.read_sql(text("SELECT * FROM orders WHERE customer_id = ANY(:ids)"), engine, params={"ids": ids})  # expect-none


# In[4]:
def last_seen():
    seen = {}
    with engine.connect() as c:
        for cid in tqdm(customers["id"].tolist(), desc="last seen"):
            seen[cid] = c.execute(text("SELECT max(ts) FROM events WHERE customer_id = :c"), {"c": cid}).scalar()  # expect: L2
    return seen


def last_seen_grouped():
    sql = "SELECT customer_id, max(ts) AS ts FROM events GROUP BY customer_id"
    return pd.read_sql(sql, engine).set_index("customer_id")["ts"]  # expect-none


# In[5]:
def save_scores(scores: pd.DataFrame):
    cur = conn.cursor()
    for row in tqdm(scores.itertuples(index=False), total=len(scores)):
        cur.execute("INSERT INTO scores VALUES (?, ?)", (row.id, row.score))  # expect: L2
        conn.commit()  # expect: L2


def save_scores_bulk(scores: pd.DataFrame):
    scores.to_sql("scores", conn, if_exists="append", index=False)  # expect-none
    conn.commit()  # expect-none


# In[6]:
def plot_cohorts():
    fig, axes = plt.subplots(2, 2)
    for ax, year in zip(axes.flat, (2021, 2022, 2023, 2024)):
        df = pd.read_sql(text("SELECT month, churn FROM cohorts WHERE year = :y"), engine, params={"y": year})  # expect-none
        ax.plot(df["month"], df["churn"])
    fig.savefig("cohorts.png")


def tenure_frame(frame: pd.DataFrame) -> pd.DataFrame:
    frame["tenure"] = frame["id"].map(lambda cid: conn.execute("SELECT tenure FROM facts WHERE id = ?", (cid,)).fetchone()[0])  # expect: L2
    frame["weight"] = np.log1p(frame["tenure"])  # expect-none
    return frame


def tenure_frame_joined(frame: pd.DataFrame) -> pd.DataFrame:
    facts = pd.read_sql("SELECT id, tenure FROM facts", conn)  # expect-none
    return frame.merge(facts, on="id", how="left")


# In[7]:
if __name__ == "__main__":
    for table in ("scores", "facts"):
        conn.execute(f"DELETE FROM {table}")  # expect-none
    save_scores(tenure_frame(customers.copy()))
