"""Serverless entry points: AWS Lambda with boto3, Azure Functions v2 and a GCP functions-framework handler."""
import base64
import json
import os
import xml.etree.ElementTree as ET

import azure.functions as func
import boto3
import functions_framework
import jsonschema
from jinja2 import Template

s3 = boto3.client("s3")
ORDER_SCHEMA = {"type": "object", "required": ["order_id", "items"], "properties": {"items": {"type": "array"}}}
ORDER_VALIDATOR = jsonschema.Draft202012Validator(ORDER_SCHEMA)  # expect-none
ALERT_TMPL = "Order {{ o.order_id }} failed: {{ reason }}"
ALERT = Template(ALERT_TMPL)  # expect-none
DISCOUNTS = json.loads(os.environ.get("DISCOUNTS", "{}"))  # expect-none
PRICING_XML = "<pricing><tax rate='0.2'/><fee flat='1.5'/></pricing>"
PRICING = ET.fromstring(PRICING_XML)  # expect-none
app = func.FunctionApp()


def handler(event, context):
    validator = jsonschema.Draft202012Validator(ORDER_SCHEMA)  # expect: L3
    failures = []
    for record in event["Records"]:
        order = json.loads(base64.b64decode(record["kinesis"]["data"]))  # expect-none
        errors = list(validator.iter_errors(order))
        if errors:
            failures.append({"itemIdentifier": record["kinesis"]["sequenceNumber"]})
    return {"batchItemFailures": failures}


def handler_prebuilt(event, context):
    failures = []
    for record in event["Records"]:
        order = json.loads(record["body"])  # expect-none
        if not ORDER_VALIDATOR.is_valid(order):
            failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures}


def discount_handler(event, context):
    discounts = json.loads(os.environ.get("DISCOUNTS", "{}"))  # expect: L3
    body = json.loads(event["body"])
    pct = discounts.get(body["code"], 0)
    return {"statusCode": 200, "body": json.dumps({"pct": pct})}


def s3_handler(event, context):
    for rec in event["Records"]:
        obj = s3.get_object(Bucket=rec["s3"]["bucket"]["name"], Key=rec["s3"]["object"]["key"])
        pricing = ET.fromstring(PRICING_XML)  # expect: L3
        rate = float(pricing.find("tax").get("rate"))
        print(rate * len(obj["Body"].read()))


@app.route(route="alerts", auth_level=func.AuthLevel.FUNCTION)
def alert(req: func.HttpRequest) -> func.HttpResponse:
    order = req.get_json()
    template = Template(ALERT_TMPL)  # expect: L3
    return func.HttpResponse(template.render(o=order, reason=req.params.get("reason", "")))


@app.route(route="alerts/v2")
def alert_v2(req: func.HttpRequest) -> func.HttpResponse:
    return func.HttpResponse(ALERT.render(o=req.get_json(), reason=""))  # expect-none


@app.queue_trigger(arg_name="msg", queue_name="orders", connection="Storage")
def on_order(msg: func.QueueMessage) -> None:
    order = json.loads(msg.get_body())  # expect-none
    jsonschema.validate(order, ORDER_SCHEMA)  # expect: L3


@functions_framework.http
def quote(request):
    tax = float(ET.fromstring(PRICING_XML).find("tax").get("rate"))  # expect: L3
    return {"total": request.get_json()["net"] * (1 + tax)}


@functions_framework.http
def quote_v2(request):
    tax = float(PRICING.find("tax").get("rate"))  # expect-none
    return {"total": request.get_json()["net"] * (1 + tax)}


@functions_framework.cloud_event
def on_upload(cloud_event):
    data = cloud_event.data
    discounts = DISCOUNTS  # expect-none
    print(data["name"], discounts.get(data["name"], 0))
