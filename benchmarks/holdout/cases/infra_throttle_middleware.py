import time

import redis
from django.conf import settings
from django.http import HttpResponse, JsonResponse

POOL = redis.ConnectionPool.from_url(settings.REDIS_URL, max_connections=50)


class ThrottleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        r = redis.Redis(host=settings.REDIS_HOST, port=6379, db=2)  # expect: L5
        key = f"throttle:{request.META.get('REMOTE_ADDR')}:{int(time.time() // 60)}"
        if r.incr(key) > settings.THROTTLE_PER_MINUTE:
            return HttpResponse(status=429)
        r.expire(key, 60)
        return self.get_response(request)


class PooledThrottleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.redis = redis.Redis(connection_pool=POOL)  # expect-none

    def __call__(self, request):
        key = f"throttle:{request.META.get('REMOTE_ADDR')}:{int(time.time() // 60)}"
        if self.redis.incr(key) > settings.THROTTLE_PER_MINUTE:
            return HttpResponse(status=429)
        return self.get_response(request)


def quota_view(request):
    conn = redis.from_url(settings.REDIS_URL)  # expect: L5
    used = int(conn.get(f"quota:{request.user.pk}") or 0)
    return JsonResponse({"used": used, "limit": settings.QUOTA})


def quota_view_pooled(request):
    conn = redis.Redis(connection_pool=POOL)  # expect-none
    used = int(conn.get(f"quota:{request.user.pk}") or 0)
    return JsonResponse({"used": used, "limit": settings.QUOTA})
