from dataclasses import dataclass


@dataclass
class Bin:
    code: str
    sku: str
    qty: int


@dataclass
class PickLine:
    sku: str
    qty: int
    bin_code: str = ""


def assign_bins(lines: list[PickLine], bins: list[Bin]) -> None:
    for line in lines:
        for b in bins:  # expect: L1  # expect-span: 2
            if b.sku == line.sku and b.qty >= line.qty:
                line.bin_code = b.code
                break


def assign_bins_indexed(lines: list[PickLine], bins: list[Bin]) -> None:
    by_sku: dict[str, list[Bin]] = {}
    for b in bins:
        by_sku.setdefault(b.sku, []).append(b)
    for line in lines:
        for b in by_sku.get(line.sku, []):  # expect-none
            if b.qty >= line.qty:
                line.bin_code = b.code
                break


def stocked(lines: list[PickLine], bins: list[Bin]) -> list[PickLine]:
    return [ln for ln in lines if any(b.sku == ln.sku for b in bins)]  # expect: L1


def stocked_fast(lines: list[PickLine], bins: list[Bin]) -> list[PickLine]:
    skus = {b.sku for b in bins}
    return [ln for ln in lines if ln.sku in skus]  # expect-none


def pair_matrix(lines: list[PickLine], bins: list[Bin]) -> list[tuple[str, str, int]]:
    return [(ln.sku, b.code, abs(b.qty - ln.qty)) for ln in lines for b in bins]  # expect-none
