def best_cut_value(length: int, prices: tuple[int, ...]) -> int:  # expect: L3  # expect-span: 7
    if length == 0:
        return 0
    best = 0
    for size in range(1, min(length, len(prices)) + 1):
        best = max(best, prices[size - 1] + best_cut_value(length - size, prices))
    return best


def can_fill(weights: list[int], target: int, idx: int = 0) -> bool:  # expect: L3  # expect-span: 6
    if target == 0:
        return True
    if idx == len(weights) or target < 0:
        return False
    return can_fill(weights, target - weights[idx], idx + 1) or can_fill(weights, target, idx + 1)


def best_cut_value_memo(length: int, prices: tuple[int, ...], memo: dict | None = None) -> int:  # expect-none  # expect-span: 11
    if memo is None:
        memo = {}
    if length == 0:
        return 0
    if length in memo:
        return memo[length]
    memo[length] = max(
        prices[s - 1] + best_cut_value_memo(length - s, prices, memo)
        for s in range(1, min(length, len(prices)) + 1)
    )
    return memo[length]


def can_fill_table(weights: list[int], target: int) -> bool:
    reachable = {0}
    for w in weights:
        reachable |= {r + w for r in reachable if r + w <= target}  # expect-none
    return target in reachable
