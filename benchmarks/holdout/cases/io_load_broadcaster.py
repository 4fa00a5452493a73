import asyncio
import json
import os
import socket
import time

import websockets


async def sample_load(interval: float):
    while True:
        yield os.getloadavg()
        time.sleep(interval)  # expect: L4


async def sample_load_nonblocking(interval: float):
    while True:
        yield os.getloadavg()
        await asyncio.sleep(interval)  # expect-none


def wait_for_socket(path: str, attempts: int = 20) -> bool:
    for _ in range(attempts):
        if os.path.exists(path):
            return True
        time.sleep(0.25)  # expect-none
    return False


async def broadcast(uri: str, interval: float = 2.0) -> None:
    async with websockets.connect(uri) as ws:
        async for load in sample_load_nonblocking(interval):
            await ws.send(json.dumps({"host": socket.gethostname(), "load": load}))  # expect-none


async def resolve_peers(names: list[str]) -> dict[str, str]:
    return {n: socket.gethostbyname(n) for n in names}  # expect: L4


async def resolve_peers_async(names: list[str]) -> dict[str, str]:
    loop = asyncio.get_running_loop()
    infos = await asyncio.gather(*(loop.getaddrinfo(n, None) for n in names))  # expect-none
    return {n: info[0][4][0] for n, info in zip(names, infos)}


async def restart_agent(unit: str) -> int:
    await asyncio.sleep(0.5)
    return os.system(f"systemctl restart {unit}")  # expect: L4
