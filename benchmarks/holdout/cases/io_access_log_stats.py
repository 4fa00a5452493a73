from collections import Counter


def status_histogram(path: str) -> Counter:
    counts = Counter()
    with open(path) as fh:
        for line in fh.readlines():  # expect: L4
            parts = line.split()
            if len(parts) > 8:
                counts[parts[8]] += 1
    return counts


def status_histogram_streaming(path: str) -> Counter:
    counts = Counter()
    with open(path) as fh:
        for line in fh:  # expect-none
            parts = line.split()
            if len(parts) > 8:
                counts[parts[8]] += 1
    return counts


def slow_requests(path: str, threshold_ms: int) -> list[str]:
    with open(path, encoding="utf-8") as fh:
        lines = fh.read().splitlines()  # expect: L4
    return [ln for ln in lines if int(ln.rsplit(" ", 1)[-1]) > threshold_ms]


def blocked_ips(path: str) -> set[str]:
    return {ln.strip() for ln in open(path).readlines() if ln.strip()}  # expect: L4


def header_fields(path: str) -> list[str]:
    with open(path) as fh:
        return fh.readline().rstrip("\n").split("\t")  # expect-none
