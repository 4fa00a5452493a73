import boto3
import redis
from django.apps import AppConfig
from django.conf import settings
from django.core.management.base import BaseCommand
from django.http import JsonResponse
from django.utils.deprecation import MiddlewareMixin
from django.views import View
from elasticsearch import Elasticsearch
from pymongo import MongoClient
from rest_framework.response import Response
from rest_framework.views import APIView

POOL = redis.ConnectionPool.from_url(settings.REDIS_URL)  # expect-none
_mongo = MongoClient(settings.MONGO_URI)  # expect-none


class RateLimitMiddleware(MiddlewareMixin):
    def process_request(self, request):
        r = redis.Redis(host=settings.REDIS_HOST, port=6379)  # expect: L5
        hits = r.incr(f"rl:{request.META.get('REMOTE_ADDR')}")
        if hits > 100:
            return JsonResponse({"error": "slow down"}, status=429)
        return None


class VisitCounterMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        r = redis.Redis(connection_pool=POOL)  # expect-none
        r.incr(f"visits:{request.path}")
        return self.get_response(request)


class ProductSearchView(View):
    def get(self, request):
        es = Elasticsearch(settings.ES_HOSTS, request_timeout=5)  # expect: L5
        res = es.search(index="products", query={"match": {"name": request.GET.get("q", "")}})
        return JsonResponse({"hits": res["hits"]["hits"]})


class ExportRequestView(APIView):
    def post(self, request):
        sqs = boto3.client("sqs", region_name=settings.AWS_REGION)  # expect: L5
        sqs.send_message(QueueUrl=settings.EXPORT_QUEUE, MessageBody=str(request.user.pk))
        return Response(status=202)


class ActivityView(APIView):
    def get(self, request):
        events = _mongo.activity.events.find({"user": request.user.pk}).limit(20)  # expect-none
        return Response([{"kind": e["kind"]} for e in events])


class SearchConfig(AppConfig):
    name = "search"

    def ready(self):
        self.es = Elasticsearch(settings.ES_HOSTS)  # expect-none


class Command(BaseCommand):
    help = "Rebuild the activity rollups"

    def handle(self, *args, **options):
        client = MongoClient(settings.MONGO_URI)  # expect-none
        for day in client.activity.events.distinct("day"):
            client.activity.rollups.update_one({"day": day}, {"$set": {"dirty": True}}, upsert=True)
        client.close()
