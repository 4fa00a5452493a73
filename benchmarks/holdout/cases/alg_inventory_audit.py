def discontinued_skus(catalogue) -> list[str]:
    return [item.sku for item in catalogue if item.discontinued]


def audit(stock_rows, catalogue) -> list[dict]:
    retired = discontinued_skus(catalogue)
    flagged = []
    for row in stock_rows:
        if row["sku"] in retired and row["qty"] > 0:  # expect: L1
            flagged.append(row)
    return flagged


def audit_sorted(stock_rows, catalogue) -> list[dict]:
    active = sorted(item.sku for item in catalogue if not item.discontinued)
    return [r for r in stock_rows if r["sku"] not in active]  # expect: L1


def audit_from_csv(stock_rows, header_line: str) -> list[dict]:
    tracked = header_line.split(",")
    return [r for r in stock_rows if r["column"] in tracked]  # expect: L1


def audit_literal(stock_rows) -> list[dict]:
    zones = "A1 A2 B1 B2".split()
    return [r for r in stock_rows if r["zone"] in zones]  # expect-none


def audit_by_supplier(stock_rows, suppliers: dict[str, str]) -> list[dict]:
    names = list(suppliers.keys())
    out = []
    for r in stock_rows:
        if r["supplier"] in names:  # expect: L1
            out.append(r)
    return out


def audit_by_supplier_dict(stock_rows, suppliers: dict[str, str]) -> list[dict]:
    return [r for r in stock_rows if r["supplier"] in suppliers.keys()]  # expect-none


def by_owner(stock_rows, owners: dict[str, str]) -> list[dict]:
    return [r for r in stock_rows if r["owner_email"] in owners.values()]  # expect: L1
