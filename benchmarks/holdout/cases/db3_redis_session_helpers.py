"""Session and rate helpers shared by an old web app: a module-level StrictRedis, plain functions."""
import json
import time

import redis

r = redis.StrictRedis(host="localhost", port=6379, db=0)
PREFIX = "sess:"


def load_sessions(session_ids):
    out = {}
    for sid in session_ids:
        raw = r.get(PREFIX + sid)  # expect: L2
        if raw:
            out[sid] = json.loads(raw)
    return out


def load_sessions_mget(session_ids):
    keys = [PREFIX + s for s in session_ids]
    return dict((s, json.loads(v)) for s, v in zip(session_ids, r.mget(keys)) if v)  # expect-none


def touch_sessions(sessions, ttl=3600):
    for sid, data in sessions.items():
        r.set(PREFIX + sid, json.dumps(data), ex=ttl)  # expect: L2


def touch_sessions_pipelined(sessions, ttl=3600):
    pipe = r.pipeline()
    for sid, data in sessions.items():
        pipe.set(PREFIX + sid, json.dumps(data), ex=ttl)  # expect-none
    pipe.execute()


def online_flags(user_ids):
    return [r.exists("online:%s" % uid) for uid in user_ids]  # expect: L2


def expire_all(user_ids):
    for uid in user_ids:
        r.delete("online:%s" % uid)  # expect: L2


def expire_all_once(user_ids):
    if user_ids:
        r.delete(*["online:%s" % uid for uid in user_ids])  # expect-none


def wait_for_lock(name, timeout=10):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if r.set("lock:" + name, "1", nx=True, ex=30):  # expect-none
            return True
        time.sleep(0.1)
    return False


def warm_defaults():
    for key, value in (("motd", "hello"), ("theme", "light")):
        r.setnx("cfg:" + key, value)  # expect-none
