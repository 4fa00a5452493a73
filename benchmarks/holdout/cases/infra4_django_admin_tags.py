"""Warehouse back office: admin columns, a template tag library and maintenance commands."""
import smtplib

from django import template
from django.apps import AppConfig
from django.conf import settings
from django.contrib import admin
from django.core.management.base import BaseCommand
from elasticsearch import Elasticsearch
from pymongo import MongoClient

from .models import Shipment

register = template.Library()
_search = None


def search_client():
    global _search
    if _search is None:
        _search = Elasticsearch(settings.SEARCH_URL)  # expect-none
    return _search


@admin.register(Shipment)
class ShipmentAdmin(admin.ModelAdmin):
    list_display = ("reference", "carrier", "tracking_hits", "indexed")

    @admin.display(description="Tracking events")
    def tracking_hits(self, obj):
        mongo = MongoClient(settings.TRACKING_MONGO_URI)  # expect: L5
        return mongo.tracking.events.count_documents({"ref": obj.reference})

    @admin.display(boolean=True)
    def indexed(self, obj):
        return search_client().exists(index="shipments", id=obj.pk)  # expect-none


@register.simple_tag
def carrier_badge(code):
    es = Elasticsearch(settings.SEARCH_URL)  # expect: L5
    hit = es.get(index="carriers", id=code)
    return hit["_source"]["label"]


@register.simple_tag
def carrier_label(code):
    return search_client().get(index="carriers", id=code)["_source"]["label"]  # expect-none


class Command(BaseCommand):
    help = "Mail overdue shipment notices"

    def handle(self, *args, **options):
        mongo = MongoClient(settings.TRACKING_MONGO_URI)  # expect-none
        overdue = list(mongo.tracking.overdue.find({}))
        relay = smtplib.SMTP(settings.EMAIL_HOST)  # expect-none
        for doc in overdue:
            relay.sendmail(settings.DEFAULT_FROM_EMAIL, [doc["email"]], doc["notice"])
        relay.quit()
        for doc in overdue:
            self.archive(doc)

    def archive(self, doc):
        store = MongoClient(settings.ARCHIVE_MONGO_URI)  # expect: L5
        store.archive.shipments.insert_one(doc)


class WarehouseConfig(AppConfig):
    name = "warehouse"

    def ready(self):
        self.search = Elasticsearch(settings.SEARCH_URL)  # expect-none
