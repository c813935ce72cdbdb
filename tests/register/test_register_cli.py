"""`aup-gateway approvals|dpias|register`, acting as a named user whose role is checked."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta

import pytest
import typer
from typer.testing import CliRunner

from ai_gateway.identity.roles import Role
from ai_gateway.register_cli import approvals_app, dpias_app, register_app
from tests.harness import School, settings_for, write_config

cli = typer.Typer()
cli.add_typer(approvals_app, name="approvals")
cli.add_typer(dpias_app, name="dpias")
cli.add_typer(register_app, name="register")
REVIEW = str(date.today() + timedelta(days=20))


@pytest.fixture
def config(database_url: str, tmp_path):
    tools = [{"name": "chatbot", "litellm_model": "openai/gpt-4o-mini", "data_location": "US"}]
    path = write_config(tmp_path / "gateway.yaml", database_url, tools)
    school = School(settings_for(path))
    for username, role, year in [("jhart", Role.slt, None), ("nferris", Role.dpo, None),
                                 ("plawson", Role.teacher, None), ("ada", Role.pupil, 4)]:  # fmt: skip
        school.person(username, role, year)
    school.close()
    return str(path)


def run(config: str, *args: str) -> tuple[int, dict | list | str]:
    result = CliRunner().invoke(cli, [*args, "--config", config, "--json"])
    try:
        return result.exit_code, json.loads(result.stdout)
    except ValueError:
        return result.exit_code, result.stdout


def test_slt_approves_a_tool_from_the_terminal_and_the_check_says_who_may_use_it(config):
    code, approval = run(config, "approvals", "add", "chatbot", "--as", "jhart", "--reference", "RA-7",
                         "--role", "teacher", "--purpose", "lesson_planning", "--review-by", REVIEW)  # fmt: skip
    assert code == 0 and approval["state"] == "in_force" and approval["roles"] == ["teacher"]
    code, check = run(config, "approvals", "check", "chatbot", "--user", "plawson", "--purpose", "lesson_planning")
    assert check["allowed"] and check["approval_reference"] == "RA-7"
    code, pupil = run(config, "approvals", "check", "chatbot", "--user", "ada")
    assert not pupil["allowed"] and pupil["code"] == "approval_out_of_scope"
    code, withdrawn = run(config, "approvals", "withdraw", approval["id"], "--as", "jhart", "--reason", "trial over")
    assert withdrawn["state"] == "withdrawn"


def test_a_teacher_cannot_approve_and_is_told_who_can(config):
    code, out = run(config, "approvals", "add", "chatbot", "--as", "plawson", "--reference", "RA-7",
                    "--role", "teacher", "--purpose", "lesson_planning", "--review-by", REVIEW)  # fmt: skip
    assert code == 1 and "senior leadership team" in out["error"]


def test_the_dpia_workflow_from_the_terminal(config):
    code, drafted = run(config, "dpias", "draft", "chatbot", "--as", "nferris", "--reference", "DPIA-1",
                        "--category", "pupil_names", "--category", "staff_names:in_clear",
                        "--lawful-basis", "Public task", "--risks", "Names", "--mitigations", "Pseudonyms")  # fmt: skip
    assert code == 0 and drafted["categories"] == {"pupil_names": "pseudonymised", "staff_names": "in_clear"}
    assert run(config, "dpias", "submit", "chatbot", "--as", "nferris")[1]["status"] == "submitted"
    code, refused = run(config, "dpias", "approve", "chatbot", "--as", "jhart", "--review-by", REVIEW)
    assert code == 1 and "DPO" in refused["error"]
    code, signed = run(config, "dpias", "approve", "chatbot", "--as", "nferris", "--review-by", REVIEW)
    assert code == 0 and signed["in_force"] and signed["version"] == 3
    code, history = run(config, "dpias", "history", "chatbot")
    assert [d["status"] for d in history] == ["draft", "submitted", "approved"]
    code, out = run(config, "dpias", "update", "chatbot", "--as", "nferris", "--category", "safeguarding")
    assert code == 1 and "safeguarding" in out["error"]


def test_reviews_due_export_and_change_log_from_the_terminal(config, tmp_path):
    run(config, "approvals", "add", "chatbot", "--as", "jhart", "--reference", "RA-7", "--role", "teacher",
        "--purpose", "lesson_planning", "--review-by", REVIEW)  # fmt: skip
    assert run(config, "register", "reviews-due", "--days", "10")[1] == []
    [due] = run(config, "register", "reviews-due", "--days", "30")[1]
    assert due["kind"] == "approval" and due["days_left"] == 20
    target = tmp_path / "register.csv"
    code, written = run(config, "register", "export", "--format", "csv", "--output", str(target))
    assert code == 0 and written["tools"] == 1
    [row] = list(csv.DictReader(io.StringIO(target.read_text())))
    assert row["tool"] == "chatbot" and row["approval_reference"] == "RA-7"
    changes = run(config, "register", "changes")[1]
    assert [(c["entity"], c["action"], c["actor"]) for c in changes] == [
        ("approval", "approved", "jhart"), ("tool", "created", None)]  # fmt: skip
