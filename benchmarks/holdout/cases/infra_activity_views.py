import os
from functools import lru_cache

from django.http import JsonResponse
from django.views import View
from pymongo import MongoClient

MONGO_URL = os.environ["MONGO_URL"]


class ActivityView(View):
    def get(self, request, account_id):
        client = MongoClient(MONGO_URL)  # expect: L5
        events = client.analytics.activity.find({"account": account_id}).sort("ts", -1).limit(50)
        return JsonResponse({"events": [e["kind"] for e in events]})


@lru_cache(maxsize=1)
def mongo() -> MongoClient:
    return MongoClient(MONGO_URL)  # expect-none


class ActivityViewCached(View):
    def get(self, request, account_id):
        events = mongo().analytics.activity.find({"account": account_id}).limit(50)
        return JsonResponse({"events": [e["kind"] for e in events]})


def export_activity(account_ids: list[str]) -> dict[str, int]:
    counts = {}
    client = MongoClient(MONGO_URL)  # expect-none
    for account_id in account_ids:
        counts[account_id] = client.analytics.activity.count_documents({"account": account_id})
    client.close()
    return counts
