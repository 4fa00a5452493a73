import hashlib
import numpy as np


def read_blob(stream) -> bytes:
    blob = b""
    while chunk := stream.read(65536):
        blob += chunk  # expect: L1
    return blob


def read_blob_buffered(stream) -> bytes:
    parts = []
    while chunk := stream.read(65536):
        parts.append(chunk)  # expect-none
    return b"".join(parts)


def digest(stream) -> str:
    h = hashlib.sha256()
    while chunk := stream.read(65536):
        h.update(chunk)  # expect-none
    return h.hexdigest()


def waveform(stream, frame_size: int) -> np.ndarray:
    samples = np.array([], dtype=np.int16)
    while True:
        raw = stream.read(frame_size * 2)
        if not raw:
            break
        samples = np.hstack([samples, np.frombuffer(raw, dtype=np.int16)])  # expect: L1
    return samples


def waveform_once(stream, frame_size: int) -> np.ndarray:
    frames = iter(lambda: stream.read(frame_size * 2), b"")
    return np.concatenate([np.frombuffer(f, dtype=np.int16) for f in frames])  # expect-none
