"""Catalog app: DRF serializers, admin columns, template filters, signals."""
import json
import re
import xml.etree.ElementTree as ET

import markdown
import yaml
from django import template
from django.contrib import admin
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils.html import format_html
from jsonschema import Draft7Validator
from rest_framework import serializers

from .models import Product

register = template.Library()
BADGE_RULES = "low: red\nmedium: orange\nhigh: green\n"
BADGES = yaml.safe_load(BADGE_RULES)  # expect-none
AUDIT_SCHEMA = {"type": "object", "required": ["sku", "price"]}
AUDIT_VALIDATOR = Draft7Validator(AUDIT_SCHEMA)  # expect-none
MD = markdown.Markdown(extensions=["tables", "fenced_code"])  # expect-none
SPEC_SKELETON = "<spec><unit>cm</unit><weight>kg</weight></spec>"


class ProductSerializer(serializers.ModelSerializer):
    blurb_html = serializers.SerializerMethodField()
    unit = serializers.SerializerMethodField()

    class Meta:
        model = Product
        fields = ["id", "name", "blurb_html", "unit"]

    def get_blurb_html(self, obj):
        return markdown.Markdown(extensions=["tables"]).convert(obj.blurb)  # expect: L3

    def get_unit(self, obj):
        skeleton = ET.fromstring(SPEC_SKELETON)  # expect: L3
        return obj.unit or skeleton.findtext("unit")


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["name", "stock_badge", "price_badge"]

    @admin.display(description="Stock")
    def stock_badge(self, obj):
        colours = yaml.safe_load(BADGE_RULES)  # expect: L3
        return format_html('<b style="color:{}">{}</b>', colours[obj.stock_level], obj.stock)

    @admin.display(description="Price")
    def price_badge(self, obj):
        return format_html("<b>{}</b>", BADGES.get(obj.price_band, "grey"))  # expect-none


@register.filter
def render_markdown(text):
    return markdown.Markdown(extensions=["tables", "fenced_code"]).convert(text or "")  # expect: L3


@register.filter
def render_markdown_shared(text):
    MD.reset()  # expect-none
    return MD.convert(text or "")


@register.filter
def sku_digits(value):
    return re.sub(r"\D", "", value)  # expect-none


@receiver(post_save, sender=Product)
def audit_product(sender, instance, created, **kwargs):
    validator = Draft7Validator(AUDIT_SCHEMA)  # expect: L3
    payload = {"sku": instance.sku, "price": float(instance.price)}
    if not validator.is_valid(payload):
        instance.flag_for_review()


@receiver(post_save, sender=Product)
def audit_product_shared(sender, instance, created, **kwargs):
    payload = {"sku": instance.sku, "price": float(instance.price), "raw": json.dumps(kwargs.get("extra"))}
    if not AUDIT_VALIDATOR.is_valid(payload):  # expect-none
        instance.flag_for_review()
