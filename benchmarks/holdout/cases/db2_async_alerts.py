import asyncio
from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from alerts.db import get_session
from alerts.models import Device, Subscriber

router = APIRouter(prefix="/alerts")
SessionDep = Annotated[AsyncSession, Depends(get_session)]


class Alert(BaseModel):
    device_ids: list[int]
    message: str


class Delivery(BaseModel):
    device_id: int
    phone: str | None


async def _subscriber_phone(session: AsyncSession, device_id: int) -> str | None:
    return await session.scalar(select(Subscriber.phone).where(Subscriber.device_id == device_id))


@router.post("/fanout")
async def fanout(alert: Alert, session: SessionDep) -> list[Delivery]:
    out = []
    for device_id in alert.device_ids:
        device = await session.get(Device, device_id)  # expect: L2
        if device is None or not device.active:
            continue
        out.append(Delivery(device_id=device_id, phone=await _subscriber_phone(session, device_id)))  # expect: L2
    return out


@router.post("/fanout-batched")
async def fanout_batched(alert: Alert, session: SessionDep) -> list[Delivery]:
    ids = alert.device_ids
    active = set(await session.scalars(select(Device.id).where(Device.id.in_(ids), Device.active)))  # expect-none
    phones = dict((await session.execute(  # expect-none
        select(Subscriber.device_id, Subscriber.phone).where(Subscriber.device_id.in_(active))
    )).all())
    return [Delivery(device_id=i, phone=phones.get(i)) for i in ids if i in active]  # expect-none


@router.post("/ack")
async def acknowledge(alert: Alert, session: SessionDep) -> int:
    done = 0
    for device_id in alert.device_ids:
        device = await session.get(Device, device_id)  # expect: L2
        device.acknowledged = True
        await session.commit()  # expect: L2
        done += 1
    return done


@router.get("/status/{device_id}")
async def status(device_id: int, session: SessionDep) -> dict:
    for attempt in range(3):
        device = await session.get(Device, device_id)  # expect-none
        if device is not None:
            return {"id": device.id, "active": device.active}
        await asyncio.sleep(0.1 * attempt)
    return {"id": device_id, "active": False}
