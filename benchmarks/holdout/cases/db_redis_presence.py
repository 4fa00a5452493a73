from functools import lru_cache

import redis


@lru_cache(maxsize=1)
def presence_store() -> redis.Redis:
    return redis.Redis.from_url("redis://presence:6379/2", decode_responses=True)  # expect-none


def online_friends(friend_ids: list[int]) -> list[int]:
    r = presence_store()
    online = []
    for fid in friend_ids:
        if r.get(f"online:{fid}") == "1":  # expect: L2
            online.append(fid)
    return online


def online_friends_mget(friend_ids: list[int]) -> list[int]:
    r = presence_store()
    flags = r.mget([f"online:{fid}" for fid in friend_ids])  # expect-none
    return [fid for fid, flag in zip(friend_ids, flags) if flag == "1"]


def heartbeat(user_ids: list[int], ttl: int = 60) -> None:
    r = presence_store()
    for uid in user_ids:
        r.set(f"online:{uid}", "1", ex=ttl)  # expect: L2


def heartbeat_pipelined(user_ids: list[int], ttl: int = 60) -> None:
    with presence_store().pipeline(transaction=False) as pipe:
        for uid in user_ids:
            pipe.set(f"online:{uid}", "1", ex=ttl)  # expect-none
        pipe.execute()


class RateLimiter:
    def __init__(self, client: redis.Redis):
        self.client = client

    def remaining(self, keys: list[str]) -> dict[str, int]:
        return {k: int(self.client.get(f"quota:{k}") or 0) for k in keys}  # expect: L2
