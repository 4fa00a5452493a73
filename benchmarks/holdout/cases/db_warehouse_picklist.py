from django.shortcuts import get_object_or_404, render

from warehouse.models import PickLine, Wave


def picklist(request, wave_id):
    wave = get_object_or_404(Wave, pk=wave_id)
    lines = PickLine.objects.filter(wave=wave).select_related("order", "bin")
    rows = []
    for line in lines:
        rows.append(
            {
                "bin": line.bin.label,  # expect-none
                "order": line.order.number,  # expect-none
                "ship_to": line.order.customer.postcode,  # expect: L2
                "sku": line.sku,
            }
        )
    return render(request, "warehouse/picklist.html", {"wave": wave, "rows": rows})


def picklist_deep(request, wave_id):
    wave = get_object_or_404(Wave, pk=wave_id)
    lines = PickLine.objects.filter(wave=wave).select_related("bin", "order__customer")
    rows = [
        {"bin": l.bin.label, "ship_to": l.order.customer.postcode, "sku": l.sku}  # expect-none
        for l in lines
    ]
    return render(request, "warehouse/picklist.html", {"wave": wave, "rows": rows})
