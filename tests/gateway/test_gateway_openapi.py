"""The committed OpenAPI document is the one the app generates: the contract cannot drift silently."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from gateway.app import openapi_document
from gateway.cli import OPENAPI_PATH


def test_committed_openapi_equals_the_generated_one():
    committed = json.loads(OPENAPI_PATH.read_text(encoding="utf-8"))
    assert committed == openapi_document(), (
        "gateway/openapi.json is stale: regenerate it with `python -m gateway --write-openapi`"
    )


def test_every_operation_documents_its_error_answers():
    document = openapi_document()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            if path.endswith("/health"):
                continue
            for status in ("401", "422", "429"):
                assert status in responses, f"{method.upper()} {path} does not document {status}"
                schema = responses[status]["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorBody"}


def test_write_openapi_command_writes_the_document(tmp_path: Path):
    target = tmp_path / "openapi.json"
    done = subprocess.run([sys.executable, "-m", "gateway", "--write-openapi", str(target)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(target.read_text(encoding="utf-8")) == openapi_document()
