import os

import boto3

dynamodb = boto3.resource("dynamodb")  # expect-none
ddb_client = boto3.client("dynamodb")  # expect-none
devices = dynamodb.Table(os.environ.get("DEVICES_TABLE", "devices"))


def handler(event, context):
    for record in event["Records"]:
        body = record["body"]
        devices.put_item(Item={"device_id": body["id"], "firmware": body["fw"]})  # expect: L2
    return {"ok": True}


def handler_batched(event, context):
    with devices.batch_writer() as batch:
        for record in event["Records"]:
            batch.put_item(Item={"device_id": record["body"]["id"], "firmware": record["body"]["fw"]})  # expect-none
    return {"ok": True}


def firmware_versions(device_ids: list[str]) -> dict[str, str]:
    out = {}
    for did in device_ids:
        resp = ddb_client.get_item(TableName="devices", Key={"device_id": {"S": did}})  # expect: L2
        item = resp.get("Item")
        if item:
            out[did] = item["firmware"]["S"]
    return out


def firmware_versions_batch(device_ids: list[str]) -> dict[str, str]:
    keys = [{"device_id": {"S": d}} for d in device_ids[:100]]
    resp = ddb_client.batch_get_item(RequestItems={"devices": {"Keys": keys}})  # expect-none
    return {i["device_id"]["S"]: i["firmware"]["S"] for i in resp["Responses"]["devices"]}


def register_all(new_devices: list[dict]) -> None:
    for dev in new_devices:
        ddb_client.put_item(TableName="devices", Item={"device_id": {"S": dev["id"]}, "firmware": {"S": dev["fw"]}})  # expect: L2
