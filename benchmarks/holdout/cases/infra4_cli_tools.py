"""Operator CLIs on click and typer: one-shot commands and per-file loops."""
import asyncio
from pathlib import Path

import click
import httpx
import typer

cli = typer.Typer()
API = "https://registry.internal"


async def push_artifact(client: httpx.AsyncClient, path: Path) -> int:
    r = await client.put(f"/artifacts/{path.name}", content=path.read_bytes())
    return r.status_code


async def push_one(path: Path) -> int:
    async with httpx.AsyncClient(base_url=API) as client:  # expect: L5
        return await push_artifact(client, path)


async def push_many(paths: list[Path]) -> list[int]:
    async with httpx.AsyncClient(base_url=API) as client:  # expect-none
        return await asyncio.gather(*(push_artifact(client, p) for p in paths))


@click.command()
@click.argument("folder", type=click.Path(exists=True, path_type=Path))
def publish(folder: Path):
    for path in sorted(folder.glob("*.whl")):
        status = asyncio.run(push_one(path))  # expect: L5
        click.echo(f"{path.name}: {status}")


@click.command()
@click.argument("folder", type=click.Path(exists=True, path_type=Path))
def publish_fast(folder: Path):
    statuses = asyncio.run(push_many(sorted(folder.glob("*.whl"))))  # expect-none
    click.echo(f"{len(statuses)} pushed")


@cli.command()
def mirror(manifest: Path):
    for name in manifest.read_text().split():
        with httpx.Client(base_url=API, timeout=30) as http:  # expect: L5
            data = http.get(f"/artifacts/{name}").content
        Path("mirror", name).write_bytes(data)


@cli.command()
def mirror_shared(manifest: Path):
    with httpx.Client(base_url=API, timeout=30) as http:  # expect-none
        for name in manifest.read_text().split():
            Path("mirror", name).write_bytes(http.get(f"/artifacts/{name}").content)


def checksum_remote(name: str) -> str:
    loop = asyncio.new_event_loop()  # expect: L5
    try:
        return loop.run_until_complete(_fetch_digest(name))
    finally:
        loop.close()


async def _fetch_digest(name: str) -> str:
    async with httpx.AsyncClient(base_url=API) as client:  # expect: L5
        return (await client.get(f"/artifacts/{name}/sha256")).text


@cli.command()
def verify(manifest: Path):
    bad = [n for n in manifest.read_text().split() if checksum_remote(n) != "ok"]
    typer.echo(f"{len(bad)} mismatches")


if __name__ == "__main__":
    cli()
