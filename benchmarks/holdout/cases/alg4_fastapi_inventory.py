from typing import Annotated, Sequence

from fastapi import APIRouter, Depends
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from .db import get_session
from .models import Bin, Sku, StockMove

router = APIRouter(prefix="/stock")


class CountLine(BaseModel):
    sku: str
    bin_code: str
    qty: int


class CountSheet(BaseModel):
    warehouse: str
    lines: list[CountLine]
    skipped_bins: set[str] = set()

class SkuRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def active_codes(self) -> list[str]:
        rows = await self.session.scalars(select(Sku.code).where(Sku.active.is_(True)))
        return list(rows)

    async def bins(self, warehouse: str) -> Sequence[Bin]:
        result = await self.session.scalars(select(Bin).where(Bin.warehouse == warehouse))
        return result.all()


def get_repo(session: Annotated[AsyncSession, Depends(get_session)]) -> SkuRepository:
    return SkuRepository(session)

@router.post("/counts/unknown")
async def unknown_skus(sheet: CountSheet, repo: Annotated[SkuRepository, Depends(get_repo)]):
    codes = await repo.active_codes()
    return [ln.sku for ln in sheet.lines if ln.sku not in codes]  # expect: L1


@router.post("/counts/unknown-fast")
async def unknown_skus_fast(sheet: CountSheet, repo: Annotated[SkuRepository, Depends(get_repo)]):
    codes = set(await repo.active_codes())
    return [ln.sku for ln in sheet.lines if ln.sku not in codes]  # expect-none


@router.post("/counts/apply")
async def apply_counts(sheet: CountSheet, session: Annotated[AsyncSession, Depends(get_session)]):
    bins = (await session.scalars(select(Bin).where(Bin.warehouse == sheet.warehouse))).all()
    moves = []
    for ln in sheet.lines:
        if ln.bin_code in sheet.skipped_bins:  # expect-none
            continue
        target = next((b for b in bins if b.code == ln.bin_code), None)  # expect: L1
        if target is not None:
            moves.append(StockMove(bin_id=target.id, sku=ln.sku, qty=ln.qty))
    session.add_all(moves)
    await session.commit()
    return {"moves": len(moves)}


@router.post("/counts/apply-indexed")
async def apply_counts_indexed(sheet: CountSheet, repo: Annotated[SkuRepository, Depends(get_repo)]):
    by_code = {b.code: b for b in await repo.bins(sheet.warehouse)}
    return [by_code[ln.bin_code].id for ln in sheet.lines if ln.bin_code in by_code]  # expect-none


@router.get("/moves/latest")
async def latest_move(session: Annotated[AsyncSession, Depends(get_session)]):
    moves = (await session.scalars(select(StockMove))).all()
    newest = sorted(moves, key=lambda m: m.created_at)[-1]  # expect: L1
    oldest = min(moves, key=lambda m: m.created_at)  # expect-none
    return {"newest": newest.id, "oldest": oldest.id}


@router.get("/moves/by-bin")
async def moves_by_bin(warehouse: str, repo: Annotated[SkuRepository, Depends(get_repo)]):
    bins = await repo.bins(warehouse)
    moves = (await repo.session.scalars(select(StockMove))).all()
    out = {}
    for b in bins:
        for m in moves:  # expect: L1  # expect-span: 2
            if m.bin_id == b.id:
                out.setdefault(b.code, []).append(m.qty)
    return out
