import numpy as np


def collect_readings(port, count: int) -> np.ndarray:
    readings = np.empty(0)
    for _ in range(count):
        value = port.read_float()
        readings = np.append(readings, value)  # expect: L1
    return readings


def collect_readings_prealloc(port, count: int) -> np.ndarray:
    readings = np.empty(count)  # expect-none
    for i in range(count):
        readings[i] = port.read_float()
    return readings


def spectrogram(frames, bins: int) -> np.ndarray:
    rows = np.zeros((0, bins))
    for frame in frames:
        spectrum = np.abs(np.fft.rfft(frame, n=2 * (bins - 1)))
        rows = np.vstack((rows, spectrum))  # expect: L1
    return rows


def spectrogram_once(frames, bins: int) -> np.ndarray:
    rows = [np.abs(np.fft.rfft(f, n=2 * (bins - 1))) for f in frames]
    return np.vstack(rows)  # expect-none


def stitch(chunks: list[np.ndarray]) -> np.ndarray:
    merged = chunks[0]
    for chunk in chunks[1:]:
        merged = np.concatenate([merged, chunk])  # expect: L1
    return merged


def stitch_once(chunks: list[np.ndarray]) -> np.ndarray:
    return np.concatenate(chunks)  # expect-none
