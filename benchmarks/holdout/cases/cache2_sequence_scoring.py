"""Scoring helpers for a spelling-game backend: longest chains, splits and rounds."""
from __future__ import annotations

from functools import cache
from itertools import combinations

DICTIONARY = frozenset({"a", "an", "ant", "tan", "at", "tea", "eat", "ate", "ten", "net"})


def common_run(a: str, b: str) -> int:  # expect: L3  # expect-span: 6
    if not a or not b:
        return 0
    if a[0] == b[0]:
        return 1 + common_run(a[1:], b[1:])
    return max(common_run(a[1:], b), common_run(a, b[1:]))


def segmentations(word: str) -> int:  # expect: L3  # expect-span: 6
    if not word:
        return 1
    total = 0
    for cut in range(1, len(word) + 1):
        total += segmentations(word[cut:]) if word[:cut] in DICTIONARY else 0
    return total


@cache
def segmentations_cached(word: str) -> int:  # expect-none  # expect-span: 4
    if not word:
        return 1
    return sum(segmentations_cached(word[c:]) for c in range(1, len(word) + 1) if word[:c] in DICTIONARY)


class Tournament:
    def __init__(self, players: list[str]) -> None:
        self.players = players

    def outcomes(self, rounds: int) -> int:  # expect: L3  # expect-span: 4
        if rounds <= 1:
            return max(rounds, 0) + 1
        return self.outcomes(rounds - 1) + self.outcomes(rounds - 2)

    def pairings(self) -> list[tuple[str, str]]:
        return list(combinations(self.players, 2))  # expect-none


def anagrams(letters: str) -> set[str]:  # expect-none  # expect-span: 7
    if len(letters) <= 1:
        return {letters}
    found = set()
    for i, ch in enumerate(letters):
        for rest in anagrams(letters[:i] + letters[i + 1:]):
            found.add(ch + rest)
    return found


def longest_word(words: list[str]) -> str:  # expect-none  # expect-span: 5
    if len(words) == 1:
        return words[0]
    mid = len(words) // 2
    left, right = longest_word(words[:mid]), longest_word(words[mid:])
    return left if len(left) >= len(right) else right
