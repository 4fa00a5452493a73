def cheapest_route(grid: list[list[int]]) -> int:
    rows, cols = len(grid), len(grid[0])

    def walk(r: int, c: int) -> int:  # expect: L3  # expect-span: 6
        if r == rows - 1 and c == cols - 1:
            return grid[r][c]
        if r >= rows or c >= cols:
            return 10**9
        return grid[r][c] + min(walk(r + 1, c), walk(r, c + 1))

    return walk(0, 0)


def cheapest_route_dp(grid: list[list[int]]) -> int:
    cols = len(grid[0])
    best = [10**9] * cols
    best[0] = 0
    for row in grid:
        for c in range(cols):
            best[c] = row[c] + (best[c] if c == 0 else min(best[c], best[c - 1]))  # expect-none
    return best[-1]


def flood_region(grid: list[list[str]], r: int, c: int, seen: set) -> int:  # expect-none  # expect-span: 10
    if (r, c) in seen or not (0 <= r < len(grid) and 0 <= c < len(grid[0])) or grid[r][c] != "#":
        return 0
    seen.add((r, c))
    return (
        1
        + flood_region(grid, r + 1, c, seen)
        + flood_region(grid, r - 1, c, seen)
        + flood_region(grid, r, c + 1, seen)
        + flood_region(grid, r, c - 1, seen)
    )


def loot(values: list[int], i: int = 0) -> int:  # expect: L3  # expect-span: 4
    if i >= len(values):
        return 0
    return max(loot(values, i + 1), values[i] + loot(values, i + 2))
