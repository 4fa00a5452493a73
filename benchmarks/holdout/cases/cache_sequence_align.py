from functools import lru_cache


def common_subsequence(a: str, b: str) -> int:  # expect: L3  # expect-span: 6
    if not a or not b:
        return 0
    if a[-1] == b[-1]:
        return common_subsequence(a[:-1], b[:-1]) + 1
    return max(common_subsequence(a[:-1], b), common_subsequence(a, b[:-1]))


def transcript_distance(ref, hyp, i=0, j=0):  # expect: L3  # expect-span: 11
    if i == len(ref):
        return len(hyp) - j
    if j == len(hyp):
        return len(ref) - i
    if ref[i] == hyp[j]:
        return transcript_distance(ref, hyp, i + 1, j + 1)
    return 1 + min(
        transcript_distance(ref, hyp, i + 1, j),
        transcript_distance(ref, hyp, i, j + 1),
        transcript_distance(ref, hyp, i + 1, j + 1),
    )


def word_error_rate(ref: list[str], hyp: list[str]) -> float:
    @lru_cache(maxsize=None)
    def dist(i: int, j: int) -> int:  # expect-none  # expect-span: 6
        if i == len(ref) or j == len(hyp):
            return (len(ref) - i) + (len(hyp) - j)
        if ref[i] == hyp[j]:
            return dist(i + 1, j + 1)
        return 1 + min(dist(i + 1, j), dist(i, j + 1), dist(i + 1, j + 1))

    return dist(0, 0) / max(len(ref), 1)


def common_subsequence_table(a: str, b: str) -> int:
    prev = [0] * (len(b) + 1)
    for ch in a:
        cur = [0]
        for k, other in enumerate(b, 1):
            cur.append(prev[k - 1] + 1 if ch == other else max(prev[k], cur[k - 1]))  # expect-none
        prev = cur
    return prev[-1]
