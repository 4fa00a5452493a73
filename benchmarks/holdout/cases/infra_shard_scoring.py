import multiprocessing
import zlib
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from urllib.request import urlopen


def fetch(url: str) -> bytes:
    with urlopen(url, timeout=30) as resp:
        return resp.read()


def download_batches(batches: list[list[str]]) -> list[bytes]:
    blobs = []
    for batch in batches:
        with ThreadPoolExecutor(max_workers=16) as pool:  # expect: L5
            blobs.extend(pool.map(fetch, batch))
    return blobs


def download_batches_shared(batches: list[list[str]]) -> list[bytes]:
    blobs = []
    with ThreadPoolExecutor(max_workers=16) as pool:  # expect-none
        for batch in batches:
            blobs.extend(pool.map(fetch, batch))
    return blobs


def score_shards(shards: list[list[bytes]]) -> list[int]:
    totals = []
    for shard in shards:
        executor = ProcessPoolExecutor()  # expect: L5
        totals.append(sum(executor.map(zlib.crc32, shard, chunksize=64)))
        executor.shutdown()
    return totals


def score_shards_mp(shards: list[list[bytes]]) -> list[int]:
    results = []
    i = 0
    while i < len(shards):
        with multiprocessing.Pool(processes=8) as pool:  # expect: L5
            results.append(sum(pool.map(zlib.crc32, shards[i])))
        i += 1
    return results


def score_shards_once(shards: list[list[bytes]]) -> list[int]:
    with multiprocessing.Pool(processes=8) as pool:  # expect-none
        return [sum(pool.map(zlib.crc32, shard)) for shard in shards]


if __name__ == "__main__":
    import sys

    print(score_shards_once([[line.encode() for line in open(p)] for p in sys.argv[1:]]))
