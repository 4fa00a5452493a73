"""Webhook delivery for a Django REST Framework API (serializers, viewsets, signals, admin)."""
import logging
import subprocess

import requests
from django.contrib import admin
from django.core.management.base import BaseCommand
from django.db.models.signals import post_save
from django.dispatch import receiver
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from .models import Endpoint, Subscription

logger = logging.getLogger(__name__)


class EndpointSerializer(serializers.ModelSerializer):
    class Meta:
        model = Endpoint
        fields = ["id", "url", "secret_hint"]


class SubscriptionViewSet(viewsets.ModelViewSet):
    queryset = Subscription.objects.select_related("endpoint")
    serializer_class = EndpointSerializer

    @action(detail=False, methods=["post"])
    def broadcast(self, request):
        delivered = 0
        for sub in self.get_queryset().filter(active=True):
            r = requests.post(sub.endpoint.url, json=request.data, timeout=5)  # expect: L4
            delivered += r.ok
        return Response({"delivered": delivered})

    @action(detail=False, methods=["post"])
    def broadcast_pooled(self, request):
        delivered = 0
        with requests.Session() as http:  # expect-none
            for sub in self.get_queryset().filter(active=True):
                delivered += http.post(sub.endpoint.url, json=request.data, timeout=5).ok  # expect-none
        return Response({"delivered": delivered})


@receiver(post_save, sender=Endpoint)
def verify_endpoint(sender, instance, created, **kwargs):
    if created:
        requests.get(instance.url, timeout=3)  # expect-none
        logger.info(f"verified endpoint {instance.pk}")  # expect: L4


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    list_display = ["url", "delivery_count"]

    def delivery_count(self, obj):
        n = obj.deliveries.count()
        logger.debug("endpoint %s has %d deliveries" % (obj.pk, n))  # expect: L4
        return n

    def get_queryset(self, request):
        logger.debug("admin list for %s", request.user)  # expect-none
        return super().get_queryset(request)


class Command(BaseCommand):
    help = "Format and stage generated webhook fixtures"

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+")

    def handle(self, *args, paths, **options):
        for path in paths:
            subprocess.run(["git", "add", "--", path], check=True)  # expect: L4
        subprocess.run(["black", "--quiet", *paths], check=True)  # expect-none
        for path in paths:
            self.stdout.write(f"staged {path}")  # expect-none
