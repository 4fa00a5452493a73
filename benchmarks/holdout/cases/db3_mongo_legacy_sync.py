"""Legacy user-sync job: pymongo with a module-level client, helpers, a main()."""
import logging
import sys

from pymongo import MongoClient, UpdateOne

log = logging.getLogger("sync")

client = MongoClient("mongodb://localhost:27017/")
db = client.crm


def load_feed(path):
    rows = []
    for line in open(path):
        parts = line.rstrip("\n").split("\t")
        rows.append({"_id": parts[0], "email": parts[1], "plan": parts[2]})
    return rows


def sync_users(rows):
    changed = 0
    for row in rows:
        current = db.users.find_one({"_id": row["_id"]})  # expect: L2
        if current is None or current.get("plan") != row["plan"]:
            db.users.update_one({"_id": row["_id"]}, {"$set": row}, upsert=True)  # expect: L2
            changed += 1
    return changed


def sync_users_bulk(rows):
    ids = [r["_id"] for r in rows]
    current = dict((d["_id"], d.get("plan")) for d in db.users.find({"_id": {"$in": ids}}, {"plan": 1}))  # expect-none
    ops = [UpdateOne({"_id": r["_id"]}, {"$set": r}, upsert=True) for r in rows if current.get(r["_id"]) != r["plan"]]
    if ops:
        db.users.bulk_write(ops, ordered=False)  # expect-none
    return len(ops)


def record_audit(rows):
    for row in rows:
        db["audit"].insert_one({"user": row["_id"], "event": "synced"})  # expect: L2


def record_audit_many(rows):
    db["audit"].insert_many([{"user": r["_id"], "event": "synced"} for r in rows])  # expect-none


def plan_sizes(plans):
    return dict((p, db.users.count_documents({"plan": p})) for p in plans)  # expect: L2


def plan_sizes_grouped():
    pipeline = [{"$group": {"_id": "$plan", "n": {"$sum": 1}}}]
    return dict((d["_id"], d["n"]) for d in db.users.aggregate(pipeline))  # expect-none


def ensure_indexes():
    for field in ("email", "plan"):
        db.users.create_index(field)  # expect-none


def main():
    rows = load_feed(sys.argv[1])
    ensure_indexes()
    log.warning("changed %d", sync_users(rows))
    record_audit(rows)


if __name__ == "__main__":
    main()
