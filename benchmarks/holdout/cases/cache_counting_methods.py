from functools import cache


class PartitionCounter:
    """Counts the ways to split a budget into line items of at most a given size."""

    def __init__(self, unit: int = 1):
        self.unit = unit
        self._memo: dict[tuple[int, int], int] = {}

    def ways(self, total: int, largest: int) -> int:  # expect: L3  # expect-span: 6
        if total == 0:
            return 1
        if total < 0 or largest == 0:
            return 0
        return self.ways(total - largest, largest) + self.ways(total, largest - 1)

    def ways_memo(self, total: int, largest: int) -> int:  # expect-none  # expect-span: 9
        if total == 0:
            return 1
        if total < 0 or largest == 0:
            return 0
        key = (total, largest)
        if key not in self._memo:
            self._memo[key] = self.ways_memo(total - largest, largest) + self.ways_memo(total, largest - 1)
        return self._memo[key]


def delannoy(m: int, n: int) -> int:  # expect: L3  # expect-span: 4
    if m == 0 or n == 0:
        return 1
    return delannoy(m - 1, n) + delannoy(m - 1, n - 1) + delannoy(m, n - 1)


@cache
def delannoy_cached(m: int, n: int) -> int:  # expect-none  # expect-span: 4
    if m == 0 or n == 0:
        return 1
    return delannoy_cached(m - 1, n) + delannoy_cached(m - 1, n - 1) + delannoy_cached(m, n - 1)


def choose(n, k):  # expect: L3  # expect-span: 4
    if k == 0 or k == n:
        return 1
    return choose(n - 1, k - 1) + choose(n - 1, k)
