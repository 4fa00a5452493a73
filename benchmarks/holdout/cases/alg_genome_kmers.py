def kmers(seq: str, k: int) -> list[str]:
    return [seq[i:i + k] for i in range(len(seq) - k + 1)]


def shared_kmers(a: str, b: str, k: int) -> list[str]:
    b_kmers = kmers(b, k)
    return [m for m in kmers(a, k) if m in b_kmers]  # expect: L1


def shared_kmers_set(a: str, b: str, k: int) -> set[str]:
    return set(kmers(a, k)) & set(kmers(b, k))  # expect-none


def kmer_counts(seq: str, k: int) -> dict[str, int]:
    words = kmers(seq, k)
    return {w: words.count(w) for w in set(words)}  # expect: L1


def has_motif(reads: list[str], motif: str) -> list[bool]:
    return [motif in r for r in reads]  # expect-none


def valid_positions(positions: list[int], length: int) -> list[int]:
    return [p for p in positions if p in range(length)]  # expect-none


def growing_consensus(reads: list[str]) -> list[str]:
    ordered: list[str] = []
    for r in reads:
        ordered.append(r)
        ordered = sorted(ordered, key=len)  # expect: L1
    return ordered
