import pandas as pd

from .units import decode_vin


def fuel_efficiency(trips: pd.DataFrame) -> pd.DataFrame:
    mpg = []
    for idx, trip in trips.iterrows():  # expect: L1  # expect-span: 2
        mpg.append(trip["miles"] / trip["gallons"] if trip["gallons"] else 0.0)
    trips["mpg"] = mpg
    return trips


def fuel_efficiency_vectorised(trips: pd.DataFrame) -> pd.DataFrame:
    trips["mpg"] = (trips["miles"] / trips["gallons"]).fillna(0.0)  # expect-none
    return trips


def idle_share(trips: pd.DataFrame) -> pd.Series:
    return trips.apply(lambda t: t["idle_s"] / (t["idle_s"] + t["moving_s"]), axis=1)  # expect: L1


def vehicle_make(trips: pd.DataFrame) -> pd.Series:
    return trips.apply(lambda t: decode_vin(t["vin"]).make, axis=1)  # expect-none


def speeding_events(trips: pd.DataFrame, limit: float) -> int:
    events = 0
    for t in trips.itertuples(index=False):  # expect: L1  # expect-span: 2
        if t.max_speed > limit:
            events += 1  # expect-none
    return events
