from datetime import datetime, timezone

STAMP = "%d.%m.%Y"
LEGAL_CUTOFF = "31.12.2019"
CUTOFF_AT = datetime.strptime(LEGAL_CUTOFF, STAMP)


def archivable(invoices):
    out = []
    pending = list(invoices)
    while pending:
        inv = pending.pop()
        cutoff = datetime.strptime(LEGAL_CUTOFF, STAMP)  # expect: L3
        issued = datetime.strptime(inv["issued"], STAMP)  # expect-none
        if issued < cutoff:
            out.append(inv["number"])
    return out


def overdue_numbers(invoices: list[dict], today: str) -> list[str]:
    return [
        inv["number"]
        for inv in invoices
        if datetime.strptime(inv["due"], STAMP) < datetime.strptime(today, STAMP)  # expect: L3
    ]


def archivable_v2(invoices):
    return [inv["number"] for inv in invoices if datetime.strptime(inv["issued"], STAMP) < CUTOFF_AT]  # expect-none


def parse_any(value: str) -> datetime:
    for fmt in ("%d.%m.%Y", "%Y-%m-%d", "%m/%d/%Y"):
        try:
            return datetime.strptime(value, fmt).replace(tzinfo=timezone.utc)  # expect-none
        except ValueError:
            continue
    raise ValueError(f"unrecognised date {value!r}")
