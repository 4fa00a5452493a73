from dataclasses import dataclass
from typing import Sequence


@dataclass
class Invoice:
    number: str
    tenant: str
    cents: int


class BillingRun:
    def __init__(self) -> None:
        self.invoices: list[Invoice] = []
        self.exempt: frozenset[str] = frozenset()
        self.log = ""

    def add(self, inv: Invoice) -> None:
        self.invoices.append(inv)

    def pending_for(self, tenants: Sequence[str]) -> list[Invoice]:
        return [i for i in self.invoices if i.tenant in tenants]  # expect: L1

    def billable(self) -> list[Invoice]:
        return [i for i in self.invoices if i.tenant not in self.exempt]  # expect-none

    def audit_trail(self) -> str:
        for inv in self.invoices:
            self.log = self.log + inv.number + "\n"  # expect: L1
        return self.log

    def newest_first(self) -> list[Invoice]:
        out: list[Invoice] = []
        for inv in self.invoices:
            out.insert(0, inv)  # expect: L1
        return out

    def newest_first_reversed(self) -> list[Invoice]:
        return list(reversed(self.invoices))  # expect-none

    def total_cents(self) -> int:
        total = 0
        for inv in self.invoices:
            total += inv.cents  # expect-none
        return total
