from pymongo import MongoClient, UpdateOne

client = MongoClient("mongodb://mongo:27017")  # expect-none
db = client["music"]


def enrich_playlist(track_ids: list[str]) -> list[dict]:
    tracks = []
    for tid in track_ids:
        doc = db.tracks.find_one({"_id": tid}, {"title": 1, "artist": 1})  # expect: L2
        if doc:
            tracks.append(doc)
    return tracks


def enrich_playlist_in(track_ids: list[str]) -> list[dict]:
    by_id = {d["_id"]: d for d in db.tracks.find({"_id": {"$in": track_ids}}, {"title": 1, "artist": 1})}  # expect-none
    return [by_id[t] for t in track_ids if t in by_id]


def record_plays(plays: list[tuple[str, str]]) -> None:
    history = db["play_history"]
    for user_id, tid in plays:
        history.insert_one({"user": user_id, "track": tid})  # expect: L2
        db.tracks.update_one({"_id": tid}, {"$inc": {"plays": 1}})  # expect: L2


def record_plays_bulk(plays: list[tuple[str, str]]) -> None:
    db.play_history.insert_many([{"user": u, "track": t} for u, t in plays], ordered=False)  # expect-none
    ops = [UpdateOne({"_id": t}, {"$inc": {"plays": 1}}) for _, t in plays]  # expect-none
    if ops:
        db.tracks.bulk_write(ops, ordered=False)  # expect-none
