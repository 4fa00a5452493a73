"""Groups retail stores by sales region and orders delivery stops."""
import math
from dataclasses import dataclass


@dataclass
class Store:
    id: int
    region_id: int
    lat: float
    lon: float


@dataclass
class Region:
    id: int
    name: str


def distance_km(a: Store, b: Store) -> float:
    dlat = math.radians(b.lat - a.lat)
    dlon = math.radians(b.lon - a.lon)
    h = math.sin(dlat / 2) ** 2 + math.cos(math.radians(a.lat)) * math.cos(math.radians(b.lat)) * math.sin(dlon / 2) ** 2
    return 12742 * math.asin(math.sqrt(h))


def stores_by_region_name(stores: list[Store], regions: list[Region]) -> dict[str, list[Store]]:
    out: dict[str, list[Store]] = {}
    for s in stores:
        for r in regions:  # expect: L1  # expect-span: 2
            if r.id == s.region_id:
                out.setdefault(r.name, []).append(s)
    return out


def stores_by_region_name_indexed(stores: list[Store], regions: list[Region]) -> dict[str, list[Store]]:
    names = {r.id: r.name for r in regions}
    out: dict[str, list[Store]] = {}
    for s in stores:
        out.setdefault(names[s.region_id], []).append(s)  # expect-none
    return out


def nearest_neighbour(stores: list[Store]) -> dict[int, int]:
    result = {}
    for a in stores:
        best = min((b for b in stores if b.id != a.id), key=lambda b: distance_km(a, b))  # expect-none
        result[a.id] = best.id
    return result


def route_order(route: list[int], stops: list[Store]) -> list[Store]:
    return sorted(stops, key=lambda s: route.index(s.id))  # expect: L1


def route_order_indexed(route: list[int], stops: list[Store]) -> list[Store]:
    pos = {sid: i for i, sid in enumerate(route)}
    return sorted(stops, key=lambda s: pos[s.id])  # expect-none


def region_pairs(regions: list[Region]):
    return [(a.name, b.name) for a in regions for b in regions if a.id < b.id]  # expect-none


def orphan_stores(stores: list[Store], regions: list[Region]) -> list[Store]:
    region_ids = [r.id for r in regions]
    return [s for s in stores if s.region_id not in region_ids]  # expect: L1
