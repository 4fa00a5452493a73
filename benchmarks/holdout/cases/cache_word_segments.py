from functools import lru_cache

DICTIONARY = frozenset({"data", "base", "database", "admin", "user", "name", "username"})


def segmentable(text: str) -> bool:  # expect: L3  # expect-span: 7
    if not text:
        return True
    for end in range(1, len(text) + 1):
        if text[:end] in DICTIONARY and segmentable(text[end:]):
            return True
    return False


def segmentable_cached(text: str) -> bool:
    @lru_cache(maxsize=None)
    def ok(start: int) -> bool:  # expect-none  # expect-span: 4
        if start == len(text):
            return True
        return any(text[start:end] in DICTIONARY and ok(end) for end in range(start + 1, len(text) + 1))

    return ok(0)


def orderings(items: list[str]):  # expect-none  # expect-span: 7
    if len(items) <= 1:
        yield list(items)
        return
    for i, head in enumerate(items):
        for rest in orderings(items[:i] + items[i + 1:]):
            yield [head, *rest]


def split_identifier(name: str) -> list[str]:
    parts, i = [], 0
    while i < len(name):
        for end in range(len(name), i, -1):
            if name[i:end] in DICTIONARY:  # expect-none
                parts.append(name[i:end])
                i = end
                break
        else:
            return [name]
    return parts
