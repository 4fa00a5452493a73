from motor.motor_asyncio import AsyncIOMotorClient


class Inbox:
    def __init__(self, uri: str):
        self.client = AsyncIOMotorClient(uri)
        self.messages = self.client.mail.messages
        self.users = self.client.mail.users

    async def mark_read(self, message_ids):
        for mid in message_ids:
            await self.messages.update_one({"_id": mid}, {"$set": {"read": True}})  # expect: L2

    async def mark_read_once(self, message_ids):
        await self.messages.update_many({"_id": {"$in": list(message_ids)}}, {"$set": {"read": True}})  # expect-none

    async def senders(self, messages: list[dict]) -> list[str]:
        names = []
        for msg in messages:
            user = await self.users.find_one({"_id": msg["from"]})  # expect: L2
            names.append(user["display"] if user else "?")
        return names

    async def senders_in(self, messages: list[dict]) -> list[str]:
        ids = list({m["from"] for m in messages})
        users = {u["_id"]: u["display"] async for u in self.users.find({"_id": {"$in": ids}})}  # expect-none
        return [users.get(m["from"], "?") for m in messages]
