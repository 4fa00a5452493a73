import struct

HEADER = struct.Struct("!HHI")


def encode_batch(messages: list[bytes]) -> bytes:
    payload = b""
    for seq, msg in enumerate(messages):
        payload += HEADER.pack(seq, 0, len(msg)) + msg  # expect: L1
    return payload


def encode_batch_buffer(messages: list[bytes]) -> bytes:
    payload = bytearray()
    for seq, msg in enumerate(messages):
        payload += HEADER.pack(seq, 0, len(msg))  # expect-none
        payload += msg  # expect-none
    return bytes(payload)


def encode_batch_join(messages: list[bytes]) -> bytes:
    return b"".join(HEADER.pack(i, 0, len(m)) + m for i, m in enumerate(messages))  # expect-none


def checksum(messages: list[bytes]) -> int:
    total = 0
    for msg in messages:
        total += sum(msg)  # expect-none
    return total & 0xFFFF


def read_frames(sock, count: int) -> bytes:
    data = b""
    received = 0
    while received < count:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk  # expect: L1
        received += 1
    return data
