import asyncio
import itertools
import multiprocessing
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

from flask import Flask, jsonify, request

app = Flask(__name__)
IO_POOL = ThreadPoolExecutor(max_workers=16)  # expect-none


def score(doc):
    return sum(ord(c) for c in doc) % 97


def fetch(url):
    return url.upper()


def batched(items, size):
    it = iter(items)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def score_in_chunks(docs, size=500):
    results = []
    for chunk in batched(docs, size):
        with ProcessPoolExecutor() as pool:  # expect: L5
            results.extend(pool.map(score, chunk))
    return results


def score_all(docs, size=500):
    with ProcessPoolExecutor() as pool:  # expect-none
        return list(pool.map(score, docs, chunksize=size))


def parallel_fetch(urls):
    with multiprocessing.Pool(processes=4) as pool:  # expect: L5
        return pool.map(fetch, urls)


def crawl(batches):
    return [parallel_fetch(b) for b in batches]


@app.post("/score")
def score_endpoint():
    docs = request.get_json()["docs"]
    with ThreadPoolExecutor(max_workers=8) as pool:  # expect: L5
        scores = list(pool.map(score, docs))
    return jsonify(scores)


@app.post("/fetch")
def fetch_endpoint():
    urls = request.get_json()["urls"]
    return jsonify(list(IO_POOL.map(fetch, urls)))


async def enrich(item):
    await asyncio.sleep(0)
    return {**item, "enriched": True}


def enrich_rows(rows):
    out = []
    for row in rows:
        out.append(asyncio.run(enrich(row)))  # expect: L5
    return out


def enrich_rows_once(rows):
    async def run_all():
        return await asyncio.gather(*(enrich(r) for r in rows))

    return asyncio.run(run_all())  # expect-none


def drain(queue):
    while not queue.empty():
        job = queue.get()
        loop = asyncio.new_event_loop()  # expect: L5
        try:
            loop.run_until_complete(enrich(job))
        finally:
            loop.close()


def main():
    with multiprocessing.Pool() as pool:  # expect-none
        print(pool.map(score, ["a", "bb", "ccc"]))


if __name__ == "__main__":
    asyncio.run(enrich({"id": 1}))  # expect-none
    main()
