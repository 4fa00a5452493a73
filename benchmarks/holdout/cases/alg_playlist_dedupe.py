def dedupe_tracks(tracks: list[str]) -> list[str]:
    seen = []
    unique = []
    for t in tracks:
        key = t.strip().lower()
        if key not in seen:  # expect: L1
            seen.append(key)
            unique.append(t)
    return unique


def dedupe_tracks_set(tracks: list[str]) -> list[str]:
    seen: set[str] = set()
    unique = []
    for t in tracks:
        key = t.strip().lower()
        if key not in seen:  # expect-none
            seen.add(key)
            unique.append(t)
    return unique


def dedupe_ordered(tracks: list[str]) -> list[str]:
    return list(dict.fromkeys(tracks))  # expect-none


def play_counts(history: list[str]) -> dict[str, int]:
    return {track: history.count(track) for track in history}  # expect: L1


def positions(queue: list[str], requested: list[str]) -> list[int]:
    result = []
    for r in requested:
        if r in queue:  # expect: L1
            result.append(queue.index(r))  # expect: L1
    return result
