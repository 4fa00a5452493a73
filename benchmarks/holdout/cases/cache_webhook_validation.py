import json
from pathlib import Path

import jsonschema
from celery import shared_task
from django.http import HttpResponseBadRequest, JsonResponse
from jsonschema import Draft7Validator

EVENT_SCHEMA = json.loads((Path(__file__).with_name("event.schema.json")).read_text())
EVENT_VALIDATOR = Draft7Validator(EVENT_SCHEMA)


def receive_event(request):
    payload = json.loads(request.body)
    validator = Draft7Validator(EVENT_SCHEMA)  # expect: L3
    errors = sorted(e.message for e in validator.iter_errors(payload))
    if errors:
        return HttpResponseBadRequest("; ".join(errors))
    return JsonResponse({"accepted": True})


def receive_event_v2(request):
    payload = json.loads(request.body)
    errors = sorted(e.message for e in EVENT_VALIDATOR.iter_errors(payload))  # expect-none
    if errors:
        return HttpResponseBadRequest("; ".join(errors))
    return JsonResponse({"accepted": True})


@shared_task
def replay_event(raw: str) -> bool:
    try:
        jsonschema.validate(json.loads(raw), EVENT_SCHEMA)  # expect: L3
    except jsonschema.ValidationError:
        return False
    return True


def check_schema_file(path: str) -> None:
    # a one-off CLI check of a schema file
    Draft7Validator.check_schema(json.loads(Path(path).read_text()))  # expect-none
