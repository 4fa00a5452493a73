"""Invoices API on Django REST Framework: method fields, two viewsets, an export action."""
from django.db.models import Count, Sum
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from billing.models import Invoice, Payment


class InvoiceListSerializer(serializers.ModelSerializer):
    client_name = serializers.SerializerMethodField()
    line_count = serializers.SerializerMethodField()
    settled = serializers.SerializerMethodField()

    class Meta:
        model = Invoice
        fields = ["id", "number", "client_name", "line_count", "settled"]

    def get_client_name(self, obj):
        return obj.client.legal_name  # expect: L2

    def get_line_count(self, obj):
        return obj.lines.count()  # expect: L2

    def get_settled(self, obj):
        return obj.payments.filter(status="cleared").exists()  # expect: L2


class InvoiceSummarySerializer(serializers.ModelSerializer):
    client_name = serializers.SerializerMethodField()
    line_count = serializers.IntegerField(read_only=True)
    paid_total = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)

    class Meta:
        model = Invoice
        fields = ["id", "number", "client_name", "line_count", "paid_total"]

    def get_client_name(self, obj):
        return obj.client.legal_name  # expect-none


class InvoiceViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Invoice.objects.filter(archived=False)
    serializer_class = InvoiceListSerializer

    @action(detail=False)
    def export(self, request):
        rows = []
        for invoice in self.get_queryset():
            last = Payment.objects.filter(invoice=invoice).order_by("-paid_at").first()  # expect: L2
            rows.append([invoice.number, last.paid_at if last else ""])
        return Response(rows)

    @action(detail=False)
    def export_batched(self, request):
        latest = {}
        for p in Payment.objects.filter(invoice__archived=False).order_by("invoice_id", "paid_at"):  # expect-none
            latest[p.invoice_id] = p.paid_at  # expect-none
        return Response([[i.number, latest.get(i.id, "")] for i in self.get_queryset()])  # expect-none


class InvoiceSummaryViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = InvoiceSummarySerializer

    def get_queryset(self):
        return (
            Invoice.objects.select_related("client")  # expect-none
            .annotate(line_count=Count("lines"), paid_total=Sum("payments__amount"))
            .filter(archived=False)
        )
