"""Flask-RESTful resources wired through a small dependency container."""
import json
import os
from datetime import datetime
from functools import cached_property, lru_cache

from flask import Flask, request
from flask_restful import Api, Resource
from jsonschema import Draft7Validator, validate

PROFILE_SCHEMA = {"type": "object", "required": ["email"], "properties": {"email": {"type": "string"}}}
HOLIDAYS = ("2026-12-25", "2026-12-26", "2027-01-01")
TIERS_JSON = '{"bronze": 0, "silver": 500, "gold": 2000}'


class Container:
    """Holds the services; built once in create_app."""

    def __init__(self, env: dict) -> None:
        self.env = env
        self.tiers = json.loads(TIERS_JSON)  # expect-none
        self.holidays = {datetime.strptime(h, "%Y-%m-%d").date() for h in HOLIDAYS}  # expect-none

    @cached_property
    def feature_flags(self) -> dict:  # expect-none
        return json.loads(self.env.get("FLAGS", "{}"))


class TierService:
    def __init__(self, container: Container) -> None:
        self.container = container

    def tier_for(self, points: int) -> str:
        tiers = json.loads(TIERS_JSON)  # expect: L3
        return max((t for t, floor in tiers.items() if points >= floor), key=tiers.get)

    def tier_for_v2(self, points: int) -> str:
        tiers = self.container.tiers  # expect-none
        return max((t for t, floor in tiers.items() if points >= floor), key=tiers.get)


class ProfileResource(Resource):
    def __init__(self, container: Container) -> None:
        self.container = container

    @lru_cache(maxsize=256)  # expect: L3  # expect-span: 2
    def allowed_domains(self, tenant: str) -> frozenset:
        return frozenset(json.loads(self.container.env.get(f"DOMAINS_{tenant}", "[]")))

    def post(self):
        body = request.get_json()
        if body["email"].rsplit("@", 1)[-1] not in self.allowed_domains(body["tenant"]):
            return {"error": "domain"}, 403
        validate(body, PROFILE_SCHEMA)  # expect: L3
        return {"ok": True}, 201

    def put(self):
        body = request.get_json()
        errors = [e.message for e in Draft7Validator(PROFILE_SCHEMA).iter_errors(body)]  # expect: L3
        return ({"errors": errors}, 422) if errors else ({"ok": True}, 200)


class DeliveryResource(Resource):
    def get(self):
        days = request.args.getlist("day")
        blocked = []
        for d in days:
            holidays = {datetime.strptime(h, "%Y-%m-%d").date() for h in HOLIDAYS}  # expect: L3
            if datetime.strptime(d, "%Y-%m-%d").date() in holidays:  # expect-none
                blocked.append(d)
        return {"blocked": blocked}


class LoyaltyResource(Resource):
    def __init__(self, tiers: TierService) -> None:
        self.tiers = tiers

    def post(self):
        members = request.get_json()["members"]
        return {m["id"]: self.tiers.tier_for(m["points"]) for m in members}


def create_app() -> Flask:
    app = Flask(__name__)
    container = Container(dict(os.environ))
    api = Api(app)
    api.add_resource(ProfileResource, "/profile", resource_class_kwargs={"container": container})
    api.add_resource(DeliveryResource, "/delivery")
    api.add_resource(LoyaltyResource, "/loyalty", resource_class_kwargs={"tiers": TierService(container)})
    Draft7Validator.check_schema(PROFILE_SCHEMA)  # expect-none
    return app
