"""Airflow TaskFlow DAG: fleet inventory over gRPC, SSH, Elasticsearch and SMTP."""
import smtplib
from datetime import datetime

import grpc
import paramiko
from airflow.decorators import dag, task
from elasticsearch import Elasticsearch, helpers

from fleet_pb2 import DeviceRequest
from fleet_pb2_grpc import FleetStub

FLEET_ADDR = "fleet.internal:50051"
ES_URL = "http://search:9200"


@dag(schedule="@hourly", start_date=datetime(2026, 1, 1), catchup=False)
def fleet_sync():
    @task
    def list_devices() -> list[str]:
        channel = grpc.insecure_channel(FLEET_ADDR)  # expect-none
        return [d.id for d in FleetStub(channel).ListDevices(DeviceRequest())]

    @task
    def fetch_status(device_ids: list[str]) -> list[dict]:
        statuses = []
        for device_id in device_ids:
            channel = grpc.insecure_channel(FLEET_ADDR)  # expect: L5
            reply = FleetStub(channel).GetStatus(DeviceRequest(id=device_id))
            statuses.append({"id": device_id, "state": reply.state})
            channel.close()
        return statuses

    @task
    def collect_uptime(hosts: list[str]) -> dict:
        uptime = {}
        for host in hosts:
            ssh = paramiko.SSHClient()  # expect-none
            ssh.set_missing_host_key_policy(paramiko.AutoAddPolicy())
            ssh.connect(host, username="fleet")
            _, out, _ = ssh.exec_command("cat /proc/uptime")
            uptime[host] = float(out.read().split()[0])
            ssh.close()
        return uptime

    @task
    def index_statuses(statuses: list[dict]) -> int:
        count = 0
        while statuses:
            doc = statuses.pop()
            es = Elasticsearch(ES_URL)  # expect: L5
            es.index(index="fleet", id=doc["id"], document=doc)
            count += 1
        return count

    @task
    def index_statuses_bulk(statuses: list[dict]) -> int:
        es = Elasticsearch(ES_URL)  # expect-none
        ok, _ = helpers.bulk(es, ({"_index": "fleet", "_id": d["id"], "_source": d} for d in statuses))
        return ok

    @task
    def alert_owners(statuses: list[dict]) -> None:
        for doc in (d for d in statuses if d["state"] == "down"):
            with smtplib.SMTP("mail.internal", 25) as smtp:  # expect: L5
                smtp.sendmail("fleet@example.com", [f"{doc['id']}-owner@example.com"], "device down")

    ids = list_devices()
    statuses = fetch_status(ids)
    index_statuses(statuses)
    index_statuses_bulk(statuses)
    alert_owners(statuses)
    collect_uptime(ids)


fleet_sync()
