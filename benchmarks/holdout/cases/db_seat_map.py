from typing import Iterable

from venues.models import Seat, Venue


def seat_labels(venue_id: int, seat_ids: Iterable[int]) -> dict[int, str]:
    labels = {}
    for seat_id in seat_ids:
        seat = Seat.objects.get(pk=seat_id, venue_id=venue_id)  # expect: L2
        labels[seat_id] = f"{seat.row}{seat.number}"
    return labels


def seat_labels_bulk(venue_id: int, seat_ids: Iterable[int]) -> dict[int, str]:
    seats = Seat.objects.filter(venue_id=venue_id, pk__in=list(seat_ids))
    return {s.pk: f"{s.row}{s.number}" for s in seats}  # expect-none


def ensure_default_sections(venue: Venue) -> None:
    for name in ("Stalls", "Circle", "Balcony"):
        venue.sections.get_or_create(name=name)  # expect-none


def hold_seats(venue: Venue, seat_ids: list[int], hold_token: str) -> int:
    return Seat.objects.filter(venue=venue, pk__in=seat_ids, held_by="").update(held_by=hold_token)  # expect-none


def release_seats(venue: Venue, seat_ids: list[int]) -> None:
    pending = list(seat_ids)
    while pending:
        seat_id = pending.pop()
        Seat.objects.filter(venue=venue, pk=seat_id).update(held_by="")  # expect: L2
