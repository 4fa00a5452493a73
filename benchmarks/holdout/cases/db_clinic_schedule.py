from datetime import date

from django.http import JsonResponse
from django.views.decorators.http import require_GET

from clinic.models import Appointment, Physician


@require_GET
def day_sheet(request):
    day = date.fromisoformat(request.GET["day"])
    visits = Appointment.objects.filter(starts_at__date=day).order_by("starts_at")
    sheet = []
    for visit in visits:
        sheet.append(
            {
                "time": visit.starts_at.strftime("%H:%M"),
                "patient": visit.patient.display_name,  # expect: L2
                "room": visit.room_id,  # expect-none
                "doctor": visit.physician.surname,  # expect: L2
            }
        )
    return JsonResponse({"sheet": sheet})


@require_GET
def day_sheet_joined(request):
    day = date.fromisoformat(request.GET["day"])
    visits = (
        Appointment.objects.filter(starts_at__date=day)
        .select_related("patient", "physician")
        .order_by("starts_at")
    )
    sheet = [
        {"patient": v.patient.display_name, "doctor": v.physician.surname}  # expect-none
        for v in visits
    ]
    return JsonResponse({"sheet": sheet})


@require_GET
def physician_load(request):
    load = {}
    for doc in Physician.objects.filter(active=True):
        load[doc.surname] = [a.starts_at.isoformat() for a in doc.appointments.all()]  # expect: L2
    return JsonResponse(load)
