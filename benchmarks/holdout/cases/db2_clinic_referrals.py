import itertools
from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch
from django.shortcuts import render

from clinic.models import Appointment, Patient, Referral


@dataclass
class ReferralRow:
    patient: str
    insurer: str
    open_referrals: int
    next_visit: date | None


class ReferralReport:
    """Builds the weekly referral overview for one practice."""

    def __init__(self, practice_id: int) -> None:
        self.practice_id = practice_id

    def _patients(self):
        return Patient.objects.filter(practice_id=self.practice_id).prefetch_related("referrals", "appointments")

    def rows(self) -> list[ReferralRow]:
        out = []
        for patient in self._patients():
            open_refs = patient.referrals.filter(closed=False)  # expect: L2
            upcoming = patient.appointments.filter(day__gte=date.today()).order_by("day").first()  # expect: L2
            out.append(ReferralRow(
                patient=patient.full_name,
                insurer=patient.insurance_card.insurer,  # expect: L2
                open_referrals=len(open_refs),
                next_visit=upcoming.day if upcoming else None,
            ))
        return out

    def rows_prefetched(self) -> list[ReferralRow]:
        today = date.today()
        patients = (
            Patient.objects.filter(practice_id=self.practice_id)
            .select_related("insurance_card")
            .prefetch_related(
                Prefetch("referrals", queryset=Referral.objects.filter(closed=False), to_attr="open_refs"),
                Prefetch("appointments", queryset=Appointment.objects.filter(day__gte=today).order_by("day"),
                         to_attr="upcoming"),
            )
        )
        return [
            ReferralRow(p.full_name, p.insurance_card.insurer, len(p.open_refs),  # expect-none
                        p.upcoming[0].day if p.upcoming else None)  # expect-none
            for p in patients
        ]

    def by_specialty(self) -> dict[str, list[str]]:
        refs = Referral.objects.filter(patient__practice_id=self.practice_id).order_by("specialty")
        return {
            spec: [r.patient.full_name for r in group]  # expect: L2
            for spec, group in itertools.groupby(refs, key=lambda r: r.specialty)
        }

    def by_specialty_joined(self) -> dict[str, list[str]]:
        refs = (Referral.objects.filter(patient__practice_id=self.practice_id)
                .select_related("patient").order_by("specialty"))
        return {
            spec: [r.patient.full_name for r in group]  # expect-none
            for spec, group in itertools.groupby(refs, key=lambda r: r.specialty)
        }

    def close_stale(self, cutoff: date) -> int:
        stale = Referral.objects.filter(patient__practice_id=self.practice_id, opened__lt=cutoff)
        n = 0
        for ref in stale:
            ref.closed = True
            ref.save()  # expect: L2
            n += 1
        return n


def weekly(request, practice_id):
    report = ReferralReport(practice_id)
    return render(request, "clinic/weekly.html", {"rows": report.rows_prefetched()})
