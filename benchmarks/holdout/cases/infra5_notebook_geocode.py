# Exported from geocode_stores.ipynb
import asyncio
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from multiprocessing import Pool

import aiohttp
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import requests
from sqlalchemy import create_engine
from tqdm import tqdm

# In[1]:
stores = pd.read_csv("stores.csv")
engine = create_engine("postgresql://analyst@warehouse/retail")  # expect-none
GEO_URL = "https://geo.example/v1/lookup"
CACHE_DB = "geocache.sqlite"

# In[2]:
coords = []
for row in tqdm(stores.itertuples(), total=len(stores)):
    sess = requests.Session()  # expect: L5
    r = sess.get(GEO_URL, params={"q": row.address})
    coords.append(r.json()["point"])
stores["point"] = coords

# In[3]:
for row in tqdm(stores.itertuples()):
    db = sqlite3.connect(CACHE_DB)  # expect: L5
    db.execute("INSERT OR REPLACE INTO geo VALUES (?, ?)", (row.store_id, str(row.point)))
    db.commit()
    db.close()

# In[4]:
def score_chunk(chunk):
    return np.linalg.norm(np.vstack(chunk["point"].to_numpy()), axis=1)


scores = []
for region, group in stores.groupby("region"):
    with ThreadPoolExecutor(max_workers=8) as ex:  # expect: L5
        scores.extend(ex.map(score_chunk, np.array_split(group, 8)))

# In[5]:
def density(frame):
    with Pool(4) as p:  # expect: L5
        return p.map(len, np.array_split(frame, 4))


dens = {region: density(g) for region, g in stores.groupby("region")}

# In[6]:
async def fetch_one(session, sid):
    async with session.get(f"{GEO_URL}/{sid}") as r:
        return await r.json()


async def fetch_one_alone(sid):
    async with aiohttp.ClientSession() as session:
        return await fetch_one(session, sid)


details = []
for sid in tqdm(stores["store_id"]):
    details.append(asyncio.run(fetch_one_alone(sid)))  # expect: L5

# In[7]:
monthly = []
for month in pd.date_range("2024-01-01", periods=12, freq="MS"):
    q = f"SELECT store_id, SUM(total) AS t FROM sales WHERE month = '{month:%Y-%m}' GROUP BY 1"
    monthly.append(pd.read_sql(q, engine))  # expect-none
sales = pd.concat(monthly)

# In[8]:
fig, axes = plt.subplots(3, 4, figsize=(16, 9))
for ax, (region, g) in zip(axes.flat, stores.groupby("region")):
    ax.hist(g["point"].map(len))
    ax.set_title(region)
plt.savefig("regions.png")

# In[9]:
async def main():
    async with aiohttp.ClientSession() as session:  # expect-none
        return await asyncio.gather(*(fetch_one(session, s) for s in stores["store_id"]))

results = asyncio.run(main())  # expect-none
