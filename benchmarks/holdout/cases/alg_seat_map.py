from dataclasses import dataclass, field


@dataclass
class Flight:
    number: str
    free_seats: list[str] = field(default_factory=list)
    blocked: frozenset[str] = frozenset()


def book(flight: Flight, requests: list[tuple[str, str]]) -> dict[str, str]:
    booked = {}
    for passenger, seat in requests:
        if seat in flight.blocked:  # expect-none
            continue
        if seat in flight.free_seats:  # expect: L1
            flight.free_seats.remove(seat)  # expect: L1
            booked[passenger] = seat
    return booked


def first_window(flight: Flight) -> str:
    for seat in flight.free_seats:
        if seat.endswith("A") or seat.endswith("F"):  # expect-none
            return seat
    return ""


def manifest(flights: list[Flight]) -> str:
    lines = []
    for f in flights:
        lines.append(f"{f.number}: {len(f.free_seats)} free")  # expect-none
    return "\n".join(lines)  # expect-none
