from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from stockroom.models import Item, Warehouse


@dataclass
class StockLine:
    sku: str
    warehouse_code: str
    qty: int


class StockSync:
    def __init__(self, session: Session):
        self.session = session

    def apply(self, lines: list[StockLine]) -> int:
        changed = 0
        for line in lines:
            item = self.session.query(Item).filter_by(sku=line.sku).one_or_none()  # expect: L2
            if item is None:
                continue
            wh = self.session.query(Warehouse).filter_by(code=line.warehouse_code).first()  # expect: L2
            item.qty = line.qty
            item.warehouse_id = wh.id
            self.session.commit()  # expect: L2
            changed += 1
        return changed

    def apply_batched(self, lines: list[StockLine]) -> int:
        skus = [l.sku for l in lines]
        items = {i.sku: i for i in self.session.scalars(select(Item).where(Item.sku.in_(skus)))}  # expect-none
        warehouses = {w.code: w.id for w in self.session.scalars(select(Warehouse))}  # expect-none
        for line in lines:
            item = items.get(line.sku)  # expect-none
            if item is not None:
                item.qty = line.qty
                item.warehouse_id = warehouses[line.warehouse_code]
        self.session.commit()  # expect-none
        return len(items)

    def describe(self, item_ids: list[int]) -> list[str]:
        out = []
        for item_id in item_ids:
            item = self.session.get(Item, item_id)  # expect: L2
            out.append(f"{item.sku}: {item.qty}")
        return out
