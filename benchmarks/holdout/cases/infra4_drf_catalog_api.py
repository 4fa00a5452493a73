"""Catalog API on Django REST Framework: serializers, a viewset, a signal receiver."""
import boto3
import redis
from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from .models import Product, Review

STOCK = redis.Redis.from_url(settings.STOCK_REDIS_URL)  # expect-none
sns = boto3.client("sns", region_name=settings.AWS_REGION)  # expect-none


class ProductSerializer(serializers.ModelSerializer):
    in_stock = serializers.SerializerMethodField()
    rating_count = serializers.SerializerMethodField()

    class Meta:
        model = Product
        fields = ["id", "sku", "title", "in_stock", "rating_count"]

    def get_in_stock(self, obj):
        conn = redis.Redis.from_url(settings.STOCK_REDIS_URL)  # expect: L5
        return int(conn.get(f"stock:{obj.sku}") or 0) > 0

    def get_rating_count(self, obj):
        return obj.reviews.count()


class LeanProductSerializer(serializers.ModelSerializer):
    in_stock = serializers.SerializerMethodField()

    class Meta:
        model = Product
        fields = ["id", "sku", "in_stock"]

    def get_in_stock(self, obj):
        return int(STOCK.get(f"stock:{obj.sku}") or 0) > 0  # expect-none


class ProductViewSet(viewsets.ModelViewSet):
    queryset = Product.objects.all()
    serializer_class = ProductSerializer

    @action(detail=True, methods=["post"])
    def export(self, request, pk=None):
        product = self.get_object()
        s3 = boto3.client("s3", region_name=settings.AWS_REGION)  # expect: L5
        s3.put_object(Bucket=settings.EXPORT_BUCKET, Key=f"{product.sku}.json", Body=product.to_json())
        return Response({"ok": True})

    @action(detail=False)
    def presign(self, request):
        url = STOCK.get("cdn:base")  # expect-none
        return Response({"base": url})


@receiver(post_save, sender=Review)
def announce_review(sender, instance, created, **kwargs):
    if not created:
        return
    topic = boto3.client("sns", region_name=settings.AWS_REGION)  # expect: L5
    topic.publish(TopicArn=settings.REVIEW_TOPIC, Message=str(instance.pk))


@receiver(post_save, sender=Product)
def announce_product(sender, instance, created, **kwargs):
    if created:
        sns.publish(TopicArn=settings.PRODUCT_TOPIC, Message=str(instance.pk))  # expect-none
