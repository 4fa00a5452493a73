from fastapi import APIRouter, Depends
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.db import get_session
from app.models import Profile

router = APIRouter()


@router.post("/profiles/lookup")
async def lookup_profiles(ids: list[int], session: AsyncSession = Depends(get_session)):
    found = []
    for pid in ids:
        profile = await session.get(Profile, pid)  # expect: L2
        if profile is not None:
            found.append({"id": profile.id, "nick": profile.nickname})
    return found


@router.post("/profiles/lookup-batch")
async def lookup_profiles_batch(ids: list[int], session: AsyncSession = Depends(get_session)):
    result = await session.scalars(select(Profile).where(Profile.id.in_(ids)))  # expect-none
    return [{"id": p.id, "nick": p.nickname} for p in result]


@router.post("/profiles/touch")
async def touch_profiles(ids: list[int], session: AsyncSession = Depends(get_session)):
    for pid in ids:
        profile = await session.get(Profile, pid)  # expect: L2
        profile.visits += 1
        await session.commit()  # expect: L2
    return {"ok": True}


async def stream_nicknames(session: AsyncSession):
    result = await session.stream_scalars(select(Profile).order_by(Profile.id))
    async for profile in result:
        yield profile.nickname  # expect-none
