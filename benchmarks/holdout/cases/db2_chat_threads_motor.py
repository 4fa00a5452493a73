import asyncio
from datetime import datetime, timezone

from motor.motor_asyncio import AsyncIOMotorClient

client = AsyncIOMotorClient("mongodb://localhost:27017")
db = client["chat"]


async def thread_previews(user_id):
    previews = []
    async for thread in db.threads.find({"members": user_id}).limit(50):
        last = await db.messages.find_one(  # expect: L2
            {"thread_id": thread["_id"]}, sort=[("sent_at", -1)]
        )
        previews.append({"thread": thread["title"], "last": last and last["body"]})
    return previews


async def thread_previews_aggregated(user_id):
    threads = await db.threads.find({"members": user_id}).limit(50).to_list(50)
    ids = [t["_id"] for t in threads]
    pipeline = [
        {"$match": {"thread_id": {"$in": ids}}},
        {"$sort": {"sent_at": -1}},
        {"$group": {"_id": "$thread_id", "body": {"$first": "$body"}}},
    ]
    last = {d["_id"]: d["body"] async for d in db.messages.aggregate(pipeline)}  # expect-none
    return [{"thread": t["title"], "last": last.get(t["_id"])} for t in threads]  # expect-none


async def import_messages(thread_id, bodies):
    now = datetime.now(timezone.utc)
    for i, body in enumerate(bodies):
        await db.messages.insert_one({"thread_id": thread_id, "seq": i, "body": body, "sent_at": now})  # expect: L2


async def import_messages_many(thread_id, bodies):
    now = datetime.now(timezone.utc)
    docs = [{"thread_id": thread_id, "seq": i, "body": b, "sent_at": now} for i, b in enumerate(bodies)]
    if docs:
        await db.messages.insert_many(docs)  # expect-none


async def mark_read(user_id, thread_ids):
    await asyncio.gather(*[  # expect-none
        db.receipts.update_many({"user": user_id, "thread_id": {"$in": thread_ids}}, {"$set": {"read": True}})
    ])


async def unread_counts(user_id, thread_ids):
    counts = {}
    for tid in thread_ids:
        counts[tid] = await db.messages.count_documents({"thread_id": tid, "read_by": {"$ne": user_id}})  # expect: L2
    return counts
