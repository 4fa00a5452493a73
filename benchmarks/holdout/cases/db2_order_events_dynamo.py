"""Lambda that projects order events into DynamoDB tables."""
import json
import os
from decimal import Decimal

import boto3
from boto3.dynamodb.conditions import Key

dynamodb = boto3.resource("dynamodb")
orders = dynamodb.Table(os.environ["ORDERS_TABLE"])
ddb_client = boto3.client("dynamodb")
AUDIT_TABLE = os.environ["AUDIT_TABLE"]


def _records(event):
    for record in event.get("Records", []):
        yield json.loads(record["body"], parse_float=Decimal)


def handler(event, context):
    for order in _records(event):
        orders.put_item(Item={"pk": order["id"], "status": order["status"], "total": order["total"]})  # expect: L2
        ddb_client.put_item(  # expect: L2
            TableName=AUDIT_TABLE,
            Item={"pk": {"S": order["id"]}, "event": {"S": order["status"]}},
        )
    return {"ok": True}


def batched_handler(event, context):
    with orders.batch_writer(overwrite_by_pkeys=["pk"]) as batch:
        for order in _records(event):
            batch.put_item(Item={"pk": order["id"], "status": order["status"], "total": order["total"]})  # expect-none
    return {"ok": True}


def enrich(order_ids):
    ids = list(order_ids)
    out = []
    i = 0
    while i < len(ids):
        resp = orders.get_item(Key={"pk": ids[i]})  # expect: L2
        if "Item" in resp:
            out.append(resp["Item"])
        i += 1
    return out


def enrich_batched(order_ids):
    keys = [{"pk": {"S": oid}} for oid in order_ids[:100]]
    resp = ddb_client.batch_get_item(RequestItems={os.environ["ORDERS_TABLE"]: {"Keys": keys}})  # expect-none
    return resp["Responses"].get(os.environ["ORDERS_TABLE"], [])


def customer_history(customer_id):
    items, kwargs = [], {"KeyConditionExpression": Key("customer").eq(customer_id)}
    while True:
        page = orders.query(IndexName="by-customer", **kwargs)  # expect-none
        items.extend(page["Items"])
        if "LastEvaluatedKey" not in page:
            return items
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
