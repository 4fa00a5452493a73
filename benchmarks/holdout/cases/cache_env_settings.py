import json
import os

from fastapi import FastAPI, Request

app = FastAPI()
PLAN_LIMITS = json.loads(os.environ.get("PLAN_LIMITS", '{"free": 10, "pro": 100}'))


@app.get("/quota/{plan}")
def quota(plan: str, request: Request):
    limits = json.loads(os.environ.get("PLAN_LIMITS", '{"free": 10, "pro": 100}'))  # expect: L3
    return {"plan": plan, "limit": limits.get(plan, 0), "client": request.client.host}


@app.get("/v2/quota/{plan}")
def quota_v2(plan: str):
    return {"plan": plan, "limit": PLAN_LIMITS.get(plan, 0)}  # expect-none


def feature_matrix(accounts):
    result = []
    for acct in accounts:
        enabled = json.loads(os.getenv("ENABLED_FEATURES", "[]"))  # expect: L3
        result.append({"id": acct["id"], "features": [f for f in enabled if f in acct["entitlements"]]})
    return result


def main():
    settings = json.loads(os.environ.get("BATCH_SETTINGS", "{}"))  # expect-none
    print(settings.get("mode", "dry-run"))


if __name__ == "__main__":
    main()
