import bisect


def rolling_errors(lines, window: int) -> list[int]:
    recent: list[str] = []
    counts = []
    for line in lines:
        recent.append(line)
        if len(recent) > window:
            del recent[0]  # expect: L1
        counts.append(sum(1 for r in recent if "ERROR" in r))
    return counts


def skip_banner(lines: list[str]) -> list[str]:
    while lines and lines[0].startswith("==="):
        lines.pop(0)  # expect-none
    return lines


def latency_percentiles(samples) -> list[float]:
    ordered: list[float] = []
    for s in samples:
        bisect.insort(ordered, s)  # expect-none
    return [ordered[int(len(ordered) * q)] for q in (0.5, 0.9, 0.99)]


def consume(buffer: list[str], sink) -> None:
    while buffer:
        sink.write(buffer.pop(0))  # expect: L1


def contains_marker(line: str) -> bool:
    return "TRACE" in line  # expect-none


def severities(lines: list[str]) -> dict[str, int]:
    known = "DEBUG INFO WARNING ERROR".split()
    counts = dict.fromkeys(known, 0)
    for line in lines:
        level = line.split(" ", 1)[0]
        if level in known:  # expect-none
            counts[level] += 1
    return counts
