"""Smart-meter readings: load daily exports, derive features, score.

Runs as a nightly batch over a directory of per-meter CSV files
(hundreds of files, up to 100k readings each).
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Iterator

import numpy
import pandas
from numpy import append as np_append
from pandas import DataFrame, concat as concat_frames

LOG = logging.getLogger("meters")

PEAK_HOURS = range(17, 21)
READ_COLUMNS = ["meter_id", "ts", "kwh", "voltage"]


def _load(path: Path) -> DataFrame:
    return pandas.read_csv(path, usecols=READ_COLUMNS, parse_dates=["ts"])


def load_all(folder: Path) -> DataFrame:
    combined = DataFrame(columns=READ_COLUMNS)
    for path in sorted(folder.glob("*.csv")):
        LOG.debug("loading %s", path)
        combined = concat_frames([combined, _load(path)], ignore_index=True)  # expect: L1
    return combined


def load_all_once(folder: Path) -> DataFrame:
    parts = [_load(p) for p in sorted(folder.glob("*.csv"))]
    return concat_frames(parts, ignore_index=True) if parts else DataFrame(columns=READ_COLUMNS)  # expect-none


def _readings(frame: DataFrame) -> Iterator[tuple[str, float]]:
    for _, rec in frame.iterrows():  # expect: L1  # expect-span: 2
        yield rec["meter_id"], rec["kwh"] * rec["voltage"] / 1000.0


def apparent_power(frame: DataFrame) -> dict[str, float]:
    totals: dict[str, float] = {}
    for meter, va in _readings(frame):
        totals[meter] = totals.get(meter, 0.0) + va
    return totals


def apparent_power_vectorised(frame: DataFrame) -> dict[str, float]:
    va = frame["kwh"] * frame["voltage"] / 1000.0  # expect-none
    return va.groupby(frame["meter_id"]).sum().to_dict()


def spikes(frame: DataFrame, threshold: float) -> numpy.ndarray:
    found = numpy.empty(0)
    for chunk in numpy.array_split(frame["kwh"].to_numpy(), 64):
        over = chunk[chunk > threshold]
        found = np_append(found, over)  # expect: L1
    return found


def spikes_once(frame: DataFrame, threshold: float) -> numpy.ndarray:
    values = frame["kwh"].to_numpy()
    return values[values > threshold]  # expect-none


def hourly_matrix(frame: DataFrame) -> numpy.ndarray:
    rows = None
    for _, day in frame.groupby(frame["ts"].dt.date):
        vec = day.groupby(day["ts"].dt.hour)["kwh"].sum().reindex(range(24), fill_value=0).to_numpy()
        rows = vec if rows is None else numpy.vstack((rows, vec))  # expect: L1
    return rows if rows is not None else numpy.zeros((0, 24))


def hourly_matrix_stacked(frame: DataFrame) -> numpy.ndarray:
    days = [
        d.groupby(d["ts"].dt.hour)["kwh"].sum().reindex(range(24), fill_value=0).to_numpy()
        for _, d in frame.groupby(frame["ts"].dt.date)
    ]
    return numpy.stack(days) if days else numpy.zeros((0, 24))  # expect-none


def peak_share(frame: DataFrame) -> DataFrame:
    frame = frame.copy()
    frame["peak"] = frame.apply(lambda r: r["kwh"] if r["ts"].hour in PEAK_HOURS else 0.0, axis=1)  # expect: L1
    return frame


def peak_share_vectorised(frame: DataFrame) -> DataFrame:
    frame = frame.copy()
    frame["peak"] = frame["kwh"].where(frame["ts"].dt.hour.isin(PEAK_HOURS), 0.0)  # expect-none
    return frame


def flag_rows(frame: DataFrame, limit: float) -> DataFrame:
    report = DataFrame(columns=["meter_id", "ts", "kwh"])
    for rec in frame.itertuples(index=False):
        if rec.kwh > limit:
            report.loc[len(report)] = [rec.meter_id, rec.ts, rec.kwh]  # expect: L1
    return report


def flag_rows_filtered(frame: DataFrame, limit: float) -> DataFrame:
    return frame.loc[frame["kwh"] > limit, ["meter_id", "ts", "kwh"]].reset_index(drop=True)  # expect-none


def weekly_buffer(frame: DataFrame) -> numpy.ndarray:
    out = numpy.zeros(len(frame))
    for i, v in enumerate(frame["kwh"].to_numpy()):
        out[i] = v * 7  # expect-none
    return out


if __name__ == "__main__":
    import sys

    df = load_all_once(Path(sys.argv[1]))
    print(apparent_power_vectorised(df))
