"""A client built by a helper that other modules of the project call per request or per
item (``perflint.project_callers``, PF502's per-call answer across modules)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from perflint import project_callers, project_calls
from perflint.engine import lint_source
from perflint.project_callers import callers_elsewhere
from perflint.project_calls import ProjectCalls
from perflint.rules import rule_by_code

FACTORY = """
import boto3
from storages.utils import setting


def get_client():
    region = setting("AWS_S3_REGION_NAME", None)
    while True:
        try:
            return boto3.client("s3", region_name=region)
        except Exception:
            pass


def fetch(key):
    s3 = boto3.client("s3")
    return s3.get_object(Bucket="media", Key=key)["Body"].read()
"""

VIEWS = """
from django.views.decorators.http import require_POST

from .utils import fetch, get_client


@require_POST
def create_upload(request):
    client = get_client()
    return client.create_multipart_upload(Bucket="media", Key=request.POST["key"])


def thumbnails(keys):
    return [fetch(key) for key in keys]
"""


@pytest.fixture(autouse=True)
def _fresh_modules():
    project_calls.clear()
    project_callers.clear()
    yield
    project_calls.clear()
    project_callers.clear()


def _project(tmp_path: Path, files: dict[str, str]) -> Path:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'uploads'\n")
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return tmp_path


def _pf502(path: Path) -> list[int]:
    return [f.line for f in lint_source(path.read_text(), str(path), rules=[rule_by_code("PF502")])]


def test_callers_in_other_modules_are_found_with_why_they_repeat(tmp_path):
    root = _project(tmp_path, {"uploads/__init__.py": "", "uploads/utils.py": FACTORY, "uploads/views.py": VIEWS})
    project = ProjectCalls.for_file(str(root / "uploads/utils.py"))
    (site,) = callers_elsewhere(project, "get_client")
    assert site.where == "`create_upload` in uploads/views.py (line 9)" and site.repeat.kind == "handler"
    (looped,) = callers_elsewhere(project, "fetch")
    assert looped.repeat.kind == "loop"
    assert str(root / "uploads/views.py") in project.consulted  # a changed caller invalidates cached findings


def test_a_helper_called_per_request_or_per_item_elsewhere_builds_per_call(tmp_path):
    root = _project(tmp_path, {"uploads/__init__.py": "", "uploads/utils.py": FACTORY, "uploads/views.py": VIEWS})
    findings = lint_source((root / "uploads/utils.py").read_text(), str(root / "uploads/utils.py"), rules=[rule_by_code("PF502")])
    assert [f.line for f in findings] == [10, 16]
    assert "called by `create_upload` in uploads/views.py (line 9)" in findings[0].message


@pytest.mark.parametrize(
    "views",
    [
        # the caller keeps what the factory returns: a cache being filled, not a client per request
        VIEWS.replace("client = get_client()", "CLIENTS.append(get_client()); client = CLIENTS[-1]"),
        # nothing repeats the callers: a management command's handle()
        "from uploads.utils import get_client, fetch\n\ndef handle(key):\n    return get_client().head_object(Key=key), fetch(key)\n",
        # only tests call it
        "",
    ],
    ids=["caller-keeps-it", "caller-runs-once", "no-caller"],
)
def test_helpers_whose_callers_do_not_repeat_or_keep_the_client_stay_silent(tmp_path, views):
    files = {"uploads/__init__.py": "", "uploads/utils.py": FACTORY, "uploads/views.py": views,
             "tests/test_views.py": "from uploads.utils import fetch\n\ndef test_all():\n    for k in 'ab':\n        fetch(k)\n"}
    root = _project(tmp_path, files)
    lines = _pf502(root / "uploads/utils.py")
    assert 10 not in lines
    if "fetch(key) for" not in views:
        assert 16 not in lines


def test_a_client_built_from_the_helpers_parameters_stays_silent(tmp_path):
    factory = "import boto3\n\ndef get_client(region):\n    return boto3.client('s3', region_name=region)\n"
    views = "from uploads.utils import get_client\n\ndef index(request):\n    return get_client('eu-west-1').list_buckets()\n"
    root = _project(tmp_path, {"uploads/__init__.py": "", "uploads/utils.py": factory, "uploads/views.py": views})
    assert _pf502(root / "uploads/utils.py") == []  # one client per region may be on purpose


def test_a_setting_looked_up_by_name_is_configuration_but_a_request_value_is_not(tmp_path):
    root = _project(tmp_path, {"uploads/__init__.py": "", "uploads/utils.py": FACTORY, "uploads/views.py": VIEWS})
    assert 10 in _pf502(root / "uploads/utils.py")
    lowered = FACTORY.replace('setting("AWS_S3_REGION_NAME", None)', "setting(request_region(), None)")
    (root / "uploads/utils.py").write_text(lowered)
    assert 10 not in _pf502(root / "uploads/utils.py")


BASE = """
class BaseBackend:
    def __init__(self, channel):
        self.channel = channel

    def produce(self, provider, payload):
        raise NotImplementedError

    def setup(self):
        raise NotImplementedError

    def run(self):
        self.setup()
        for provider in self.channel.providers:
            self.produce(provider, self.channel.payload(provider))
"""

SQS = """
import boto3

from .base import BaseBackend


class SqsBackend(BaseBackend):
    def produce(self, provider, payload):
        sqs = boto3.client("sqs")
        sqs.send_message(QueueUrl=QUEUE_URL, MessageBody=payload)

    def setup(self):
        boto3.client("sqs").create_queue(QueueName="notifications")


QUEUE_URL = "https://sqs.example/notifications"
"""


def test_an_override_of_a_hook_its_base_runs_per_item_builds_per_call(tmp_path):
    root = _project(tmp_path, {"notes/__init__.py": "", "notes/base.py": BASE, "notes/sqs.py": SQS})
    path = root / "notes/sqs.py"
    findings = lint_source(path.read_text(), str(path), rules=[rule_by_code("PF502")])
    assert [f.line for f in findings] == [9]  # ``setup`` runs once per ``run``: not repeated
    assert "overrides a method of a base class in notes/base.py that is called in a loop of `BaseBackend.run`" in findings[0].message


def test_an_override_whose_base_never_repeats_it_stays_silent(tmp_path):
    base = BASE.replace("for provider in self.channel.providers:\n            self.produce", "provider = self.channel.first\n        if provider:\n            self.produce")
    root = _project(tmp_path, {"notes/__init__.py": "", "notes/base.py": base, "notes/sqs.py": SQS})
    assert _pf502(root / "notes/sqs.py") == []
