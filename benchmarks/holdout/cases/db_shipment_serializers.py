from rest_framework import serializers, viewsets

from logistics.models import Shipment


class ShipmentSerializer(serializers.ModelSerializer):
    carrier_name = serializers.SerializerMethodField()
    parcel_count = serializers.SerializerMethodField()
    volume = serializers.SerializerMethodField()
    last_scan = serializers.SerializerMethodField()

    class Meta:
        model = Shipment
        fields = ["id", "tracking_no", "carrier_name", "parcel_count", "volume", "last_scan"]

    def get_carrier_name(self, shipment):
        return shipment.carrier.name  # expect: L2

    def get_parcel_count(self, shipment):
        return shipment.parcels.count()  # expect: L2

    def get_volume(self, shipment):
        return shipment.length_cm * shipment.width_cm * shipment.height_cm / 1000  # expect-none

    def get_last_scan(self, shipment):
        scan = shipment.scans.order_by("-scanned_at").first()  # expect: L2
        return scan.location if scan else None


class ShipmentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ShipmentSerializer
    queryset = Shipment.objects.all()


class CompactShipmentSerializer(serializers.ModelSerializer):
    carrier = serializers.CharField(source="carrier.name")

    class Meta:
        model = Shipment
        fields = ["id", "tracking_no", "carrier"]


class CompactShipmentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CompactShipmentSerializer
    queryset = Shipment.objects.select_related("carrier")  # expect-none
