"""Release dashboard on Pyramid: view_config views, a request-scoped HTTP session, git tooling."""
import logging
import os
import subprocess

import requests
from pyramid.response import Response
from pyramid.view import view_config

log = logging.getLogger(__name__)
REPO = "/srv/checkouts/platform"
CHANGELOG = os.path.join(REPO, "CHANGELOG.md")
HOOKS = ("https://ci.example.com/hook", "https://chat.example.com/hook")


def includeme(config):
    config.registry.http = requests.Session()
    config.scan()


@view_config(route_name="release_notes", renderer="json")
def release_notes(request):
    tickets = request.json_body["tickets"]
    notes = []
    for key in tickets:
        issue = requests.get(f"https://tracker.example.com/rest/api/2/issue/{key}", timeout=10).json()  # expect: L4
        notes.append(f"- {key}: {issue['fields']['summary']}")
    log.debug("release notes for %s: %d lines", request.matchdict.get("tag"), len(notes))  # expect-none
    return {"notes": notes}


@view_config(route_name="release_notes_shared", renderer="json")
def release_notes_shared(request):
    notes = []
    for key in request.json_body["tickets"]:
        issue = request.registry.http.get(f"https://tracker.example.com/rest/api/2/issue/{key}", timeout=10).json()  # expect-none
        notes.append(f"- {key}: {issue['fields']['summary']}")
    return {"notes": notes}


@view_config(route_name="stage_files", request_method="POST", renderer="json")
def stage_files(request):
    paths = request.json_body["paths"]
    for path in paths:
        subprocess.run(["git", "-C", REPO, "add", path], check=True)  # expect: L4
    log.info("staged " + ", ".join(paths))  # expect: L4
    return {"staged": len(paths)}


@view_config(route_name="file_history", renderer="json")
def file_history(request):
    history = {}
    for path in request.json_body["paths"]:
        out = subprocess.run(["git", "-C", REPO, "log", "-1", "--format=%H", "--", path], capture_output=True, text=True)  # expect-none
        history[path] = out.stdout.strip()
    return history


@view_config(route_name="announce", request_method="POST", renderer="json")
def announce(request):
    tag = request.json_body["tag"]
    for hook in HOOKS:
        requests.post(hook, json={"text": f"released {tag}"}, timeout=5)  # expect-none
    with open(CHANGELOG) as fh:
        lines = fh.readlines()  # expect-none
    for entry in request.json_body["entries"]:
        with open(CHANGELOG, "a") as fh:  # expect: L4
            fh.write(f"* {entry}\n")
    return {"lines": len(lines) + len(request.json_body["entries"])}


@view_config(route_name="changelog")
def changelog(request):
    with open(CHANGELOG) as fh:
        body = fh.read()  # expect-none
    log.debug("serving changelog of %d bytes", len(body))  # expect-none
    return Response(body, content_type="text/markdown")
