"""logtool: small CLI over JSON-lines access logs."""
import json
from collections import Counter
from pathlib import Path

import typer

app = typer.Typer()


def read_events(path: Path):
    with path.open() as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def client_ips(path: Path) -> list[str]:
    return [e["ip"] for e in read_events(path)]


@app.command()
def tail(path: Path, n: int = 20) -> None:
    newest_first = []
    for event in read_events(path):
        newest_first.insert(0, event)  # expect: L1
    for event in newest_first[:n]:
        typer.echo(event["path"])


@app.command()
def tail_reversed(path: Path, n: int = 20) -> None:
    events = list(read_events(path))
    for event in reversed(events[-n:]):  # expect-none
        typer.echo(event["path"])


@app.command()
def top_ips(path: Path, limit: int = 10) -> None:
    ips = client_ips(path)
    ranked = {}
    for ip in set(ips):
        ranked[ip] = ips.count(ip)  # expect: L1
    for ip, hits in sorted(ranked.items(), key=lambda kv: -kv[1])[:limit]:  # expect-none
        typer.echo(f"{ip} {hits}")


@app.command()
def top_ips_counter(path: Path, limit: int = 10) -> None:
    for ip, hits in Counter(client_ips(path)).most_common(limit):  # expect-none
        typer.echo(f"{ip} {hits}")


@app.command()
def first_seen(path: Path) -> None:
    ips = client_ips(path)
    order = sorted(set(ips), key=ips.index)  # expect: L1
    typer.echo("\n".join(order))


@app.command()
def sessions(path: Path, gap: float = 1800.0) -> None:
    open_sessions = []
    closed = 0
    for event in read_events(path):
        for sess in open_sessions:  # expect: L1  # expect-span: 2
            if sess["ip"] == event["ip"]:
                sess["last"] = event["ts"]
                break
        else:
            open_sessions.append({"ip": event["ip"], "last": event["ts"]})
    typer.echo(f"{len(open_sessions)} sessions, {closed} closed")


@app.command()
def methods(path: Path) -> None:
    allowed = ["GET", "HEAD", "OPTIONS"]
    odd = [e for e in read_events(path) if e["method"] not in allowed]  # expect-none
    typer.echo(str(len(odd)))


if __name__ == "__main__":
    app()
