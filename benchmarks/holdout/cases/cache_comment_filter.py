import re
from typing import Iterable

BLOCKLIST = ["spam", "casino", "free money", "click here", "crypto giveaway"]
BLOCK_RE = re.compile("|".join(re.escape(w) for w in BLOCKLIST), re.IGNORECASE)


class CommentModerator:
    def __init__(self, extra: Iterable[str] = ()):
        self.extra = list(extra)

    def flagged(self, comment: str) -> bool:
        words = BLOCKLIST + self.extra
        rx = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)  # expect: L3
        return bool(rx.search(comment))

    def review_queue(self, comments: list[str]) -> list[str]:
        return [c for c in comments if self.flagged(c)]


def is_blocked(comment: str) -> bool:
    return BLOCK_RE.search(comment) is not None  # expect-none


def redact(comments: list[str], reader_terms: list[str]) -> list[str]:
    # the reader's own terms change per call; compiled once per call, not per comment
    rx = re.compile("|".join(map(re.escape, reader_terms)), re.IGNORECASE)  # expect-none
    return [rx.sub("***", c) for c in comments]


def count_hits(comments: list[str]) -> int:
    hits = 0
    for c in comments:
        pattern = re.compile(r"\b(" + "|".join(BLOCKLIST) + r")\b", re.I)  # expect: L3
        hits += len(pattern.findall(c))
    return hits
