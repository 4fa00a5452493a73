"""Weather API: graphene (sync) and ariadne (async) resolvers, plus an aio-pika refresh consumer."""
import asyncio
import json
import logging
import urllib.request

import aio_pika
import graphene
import httpx
import requests
from ariadne import ObjectType, QueryType

logger = logging.getLogger(__name__)
STATION_API = "https://stations.example.org"
query = QueryType()
station_type = ObjectType("Station")
_client = httpx.AsyncClient(base_url=STATION_API, timeout=4)


class Reading(graphene.ObjectType):
    celsius = graphene.Float()


class Station(graphene.ObjectType):
    code = graphene.String()
    readings = graphene.List(Reading)

    def resolve_readings(parent, info):
        session = info.context["http"]
        return [Reading(celsius=r["c"]) for r in session.get(f"{STATION_API}/{parent.code}/last").json()]  # expect-none


@query.field("station")
async def resolve_station(_, info, code):
    with urllib.request.urlopen(f"{STATION_API}/{code}") as resp:  # expect: L4
        return json.load(resp)


@query.field("stationAsync")
async def resolve_station_async(_, info, code):
    return (await _client.get(f"/{code}")).json()  # expect-none


@station_type.field("neighbours")
async def resolve_neighbours(station, info):
    result = {}
    for code in station["neighbour_codes"]:
        result[code] = (await _client.get(f"/{code}")).json()  # expect: L4
    return list(result.values())


@station_type.field("neighboursLoaded")
async def resolve_neighbours_loaded(station, info):
    return await info.context["station_loader"].load_many(station["neighbour_codes"])  # expect-none


@station_type.field("alerts")
async def resolve_alerts(station, info):
    resp = requests.get(f"{STATION_API}/{station['code']}/alerts", timeout=4)  # expect: L4
    return resp.json()


async def on_refresh(message: aio_pika.abc.AbstractIncomingMessage) -> None:
    async with message.process():
        body = json.loads(message.body)
        logger.info("refresh %s" % body["code"])  # expect: L4
        pages = []
        for page in range(body.get("pages", 1)):
            pages.append(await _client.get(f"/{body['code']}/history", params={"page": page}))  # expect: L4
        logger.info("refreshed %s: %d pages", body["code"], len(pages))  # expect-none


async def on_refresh_concurrent(message: aio_pika.abc.AbstractIncomingMessage) -> None:
    async with message.process():
        body = json.loads(message.body)
        async with asyncio.TaskGroup() as tg:
            for page in range(body.get("pages", 1)):
                tg.create_task(_client.get(f"/{body['code']}/history", params={"page": page}))  # expect-none


async def consume(url: str) -> None:
    connection = await aio_pika.connect_robust(url)
    async with connection:
        channel = await connection.channel()
        await channel.set_qos(prefetch_count=16)
        queue = await channel.declare_queue("station.refresh", durable=True)
        await queue.consume(on_refresh)  # expect-none
        await asyncio.Future()


schema = graphene.Schema(query=graphene.ObjectType)
