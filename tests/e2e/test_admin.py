"""The admin REST API and the CLI, as an IT admin would use them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from openai import OpenAI

from tests.e2e.conftest import Deployment

pytestmark = pytest.mark.e2e

CLI = str(Path(sys.executable).parent / "aup-gateway")


def api(deployment: Deployment, key: str) -> httpx.Client:
    return httpx.Client(base_url=f"{deployment.gateway.base_url}/api/v1", headers={"Authorization": f"Bearer {key}"})


def test_it_admin_adds_a_user_and_issues_a_key_that_works(deployment: Deployment):
    admin = api(deployment, deployment.keys["admin"])
    created = admin.post("/users", json={"username": "newteacher", "display_name": "New Teacher", "role": "teacher"})
    assert created.status_code == 201 and created.json()["role"] == "teacher"
    issued = admin.post("/users/newteacher/keys", json={"label": "laptop", "expires_in_days": 30})
    assert issued.status_code == 201
    secret = issued.json()["secret"]
    reply = OpenAI(base_url=deployment.base_url, api_key=secret, max_retries=0).chat.completions.create(
        model="stub", messages=[{"role": "user", "content": "hello"}]
    )
    assert reply.choices[0].message.content.startswith("Echo: hello\n\n")
    keys = admin.get("/users/newteacher/keys").json()
    assert keys[0]["last_used_at"] is not None and "secret" not in keys[0]
    revoked = admin.post(f"/keys/{issued.json()['key']['prefix']}/revoke")
    assert revoked.json()["revoked_at"] is not None
    assert httpx.get(f"{deployment.base_url}/models", headers={"Authorization": f"Bearer {secret}"}).status_code == 401


def test_teacher_cannot_use_the_admin_api(deployment: Deployment):
    response = api(deployment, deployment.keys["teacher"]).get("/users")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "role_not_permitted"


def test_pupil_needs_a_year_group_error_is_400(deployment: Deployment):
    response = api(deployment, deployment.keys["admin"]).post(
        "/users", json={"username": "p9", "display_name": "Pupil", "role": "pupil"}
    )
    assert response.status_code == 400 and "year group" in response.json()["error"]["message"]


def test_slt_reads_the_monitoring_log(deployment: Deployment):
    OpenAI(base_url=deployment.base_url, api_key=deployment.keys["teacher"], max_retries=0).chat.completions.create(
        model="stub", messages=[{"role": "user", "content": "for the log"}]
    )
    entries = api(deployment, deployment.keys["slt"]).get("/log", params={"limit": 5}).json()
    assert any(e["prompt"] and e["prompt"][-1]["content"] == "for the log" for e in entries)
    assert api(deployment, deployment.keys["teacher"]).get("/log").status_code == 403


def test_openapi_schema_documents_the_admin_api(deployment: Deployment):
    paths = httpx.get(f"{deployment.gateway.base_url}/openapi.json").json()["paths"]
    assert {"/api/v1/users", "/api/v1/users/{username}/keys", "/api/v1/tools", "/api/v1/log",
            "/v1/chat/completions", "/v1/models"} <= set(paths)  # fmt: skip


def test_cli_manages_users_keys_and_tools_with_json(deployment: Deployment):
    config = str(deployment.gateway.config)

    def run(*args: str) -> dict | list:
        result = subprocess.run([CLI, *args, "--config", config, "--json"], capture_output=True, text=True,
                                timeout=120)  # fmt: skip
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    user = run("users", "add", "clipupil", "--name", "Cli Pupil", "--role", "pupil", "--year-group", "3")
    assert user["key_stage"] == "KS2"
    key = run("keys", "issue", "clipupil", "--label", "class laptop")
    assert key["secret"].startswith(key["prefix"])
    assert any(k["prefix"] == key["prefix"] for k in run("keys", "list", "clipupil"))
    assert run("keys", "revoke", key["prefix"])["revoked_at"]
    assert run("tools", "add", "local-llm", "--litellm-model", "ollama/llama3", "--data-location", "local")["name"]
    assert {t["name"] for t in run("tools", "list")} >= {"stub", "local-llm"}
    assert isinstance(run("log", "--limit", "3"), list)
