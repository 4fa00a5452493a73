from typing import List, Optional


class Appointment:
    def __init__(self, patient_id: int, doctor_id: int, slot: str):
        self.patient_id = patient_id
        self.doctor_id = doctor_id
        self.slot = slot


def doctor_for(appts: List[Appointment], doctors) -> dict[int, Optional[str]]:
    names = {}
    for a in appts:
        doc = next((d for d in doctors if d.id == a.doctor_id), None)  # expect: L1
        names[a.patient_id] = doc.name if doc else None
    return names


def doctor_for_indexed(appts: List[Appointment], doctors) -> dict[int, Optional[str]]:
    by_id = {d.id: d for d in doctors}
    return {a.patient_id: getattr(by_id.get(a.doctor_id), "name", None) for a in appts}  # expect-none


def double_booked(appts: List[Appointment]) -> List[Appointment]:
    clashes = []
    for a in appts:
        for b in appts:  # expect: L1  # expect-span: 2
            if a is not b and a.doctor_id == b.doctor_id and a.slot == b.slot:
                clashes.append(a)
    return clashes


def first_free(slots: List[str], taken: set[str]) -> Optional[str]:
    return next((s for s in slots if s not in taken), None)  # expect-none


def patients_with_visits(patients, appts: List[Appointment]):
    return [
        p for p in patients
        if any(a.patient_id == p.id for a in appts)  # expect: L1
    ]
