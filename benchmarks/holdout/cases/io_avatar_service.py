import asyncio
import json
import subprocess
from pathlib import Path

from fastapi import FastAPI, UploadFile

app = FastAPI()
MEDIA = Path("/srv/media")


@app.post("/avatars/{user_id}")
async def upload_avatar(user_id: int, file: UploadFile):
    target = MEDIA / "avatars" / f"{user_id}.png"
    target.write_bytes(await file.read())  # expect: L4
    subprocess.run(["optipng", "-o2", str(target)], check=True)  # expect: L4
    return {"size": target.stat().st_size}


@app.get("/avatars/{user_id}/meta")
async def avatar_meta(user_id: int):
    raw = (MEDIA / "avatars" / f"{user_id}.json").read_text()  # expect: L4
    return json.loads(raw)


@app.post("/v2/avatars/{user_id}")
async def upload_avatar_offloaded(user_id: int, file: UploadFile):
    target = MEDIA / "avatars" / f"{user_id}.png"
    data = await file.read()
    await asyncio.to_thread(target.write_bytes, data)  # expect-none
    proc = await asyncio.create_subprocess_exec("optipng", "-o2", str(target))  # expect-none
    await proc.wait()
    return {"size": len(data)}


@app.get("/v1/avatars/{user_id}/meta")
def avatar_meta_sync(user_id: int):
    return json.loads((MEDIA / "avatars" / f"{user_id}.json").read_text())  # expect-none
