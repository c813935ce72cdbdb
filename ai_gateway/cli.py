"""`aup-gateway`: serve the gateway and do every admin task from a terminal.

Every command takes --json for scripting. Commands work on the database named
in the configuration (or AUP_DATABASE_URL), as the school's IT admin would.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

import typer  # noqa: E402

from ai_gateway.config import ConfigError, Settings, load_settings  # noqa: E402
from ai_gateway.database import transaction  # noqa: E402
from ai_gateway.identity import service as identity  # noqa: E402
from ai_gateway.identity.errors import IdentityError  # noqa: E402
from ai_gateway.identity.roles import Role  # noqa: E402

app = typer.Typer(help="The AUP AI Gateway for schools.", no_args_is_help=True, add_completion=False)
users_app = typer.Typer(help="Users and their roles.", no_args_is_help=True)
keys_app = typer.Typer(help="API keys: issue, list, revoke.", no_args_is_help=True)
tools_app = typer.Typer(help="AI tools in the register.", no_args_is_help=True)
roster_app = typer.Typer(help="The school's roster from the MIS, used to find names.", no_args_is_help=True)
alerts_app = typer.Typer(help="DSL alerts raised from pupils' prompts.", no_args_is_help=True)
app.add_typer(users_app, name="users")
app.add_typer(roster_app, name="roster")
app.add_typer(alerts_app, name="alerts")
app.add_typer(keys_app, name="keys")
app.add_typer(tools_app, name="tools")

ConfigOpt = Annotated[Path | None, typer.Option("--config", "-c", help="YAML configuration file.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
SchoolOpt = Annotated[str | None, typer.Option("--school", help="School URN or id (trusts with many schools).")]


def _settings(config: Path | None) -> Settings:
    try:
        return load_settings(config)
    except ConfigError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc


def _runtime(config: Path | None, with_redaction: bool = False):
    """The gateway's runtime; admin commands skip loading the language model."""
    from ai_gateway.runtime import build_runtime, ensure_school

    try:
        runtime = build_runtime(_settings(config), with_redaction=with_redaction)
    except ConfigError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    ensure_school(runtime)
    return runtime


def _emit(as_json: bool, data: Any, text: str) -> None:
    typer.echo(json.dumps(data, indent=2, default=str) if as_json else text)


def _fail(as_json: bool, message: str, code: int = 1) -> None:
    if as_json:
        typer.echo(json.dumps({"error": message}))
    else:
        typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def _user_dict(user) -> dict[str, Any]:
    return {"id": user.id, "username": user.username, "display_name": user.display_name,
            "role": user.role.value, "year_group": user.year_group, "key_stage": user.key_stage,
            "groups": user.groups, "active": user.active}  # fmt: skip


def _key_dict(key) -> dict[str, Any]:
    return {"id": key.id, "prefix": key.prefix, "user": key.user.username, "label": key.label,
            "created_at": key.created_at, "expires_at": key.expires_at, "revoked_at": key.revoked_at,
            "last_used_at": key.last_used_at}  # fmt: skip


# -- running -------------------------------------------------------------------------------------


@app.command()
def serve(
    config: ConfigOpt = None,
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
) -> None:
    """Apply migrations and serve the gateway."""
    import uvicorn

    from ai_gateway.app import create_app
    from ai_gateway.logs import configure_logging

    runtime = _runtime(config, with_redaction=True)
    settings = runtime.settings
    configure_logging(settings.logging.level, settings.logging.json_format)
    uvicorn.run(
        create_app(runtime),
        host=host or settings.server.host,
        port=port or settings.server.port,
        log_config=None,
        access_log=False,
    )


@app.command()
def migrate(config: ConfigOpt = None, as_json: JsonOpt = False) -> None:
    """Bring the database schema up to date and seed the configured school and tools."""
    runtime = _runtime(config)
    _emit(as_json, {"migrated": True, "database": runtime.engine.url.render_as_string(hide_password=True)},
          f"Database is up to date: {runtime.engine.url.render_as_string(hide_password=True)}")  # fmt: skip


@app.command()
def demo(
    config: ConfigOpt = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8080,
    serve_after: Annotated[bool, typer.Option("--serve/--no-serve", help="Serve after setting up.")] = True,
    as_json: JsonOpt = False,
) -> None:
    """Set up a fresh demo school (new demo database), print its keys, and serve."""
    from ai_gateway.demo import DEMO_CONFIG, reset_demo_school, snippet

    settings = _settings(config or DEMO_CONFIG)
    keys = reset_demo_school(settings)
    base_url = f"http://{host}:{port}/v1"
    if as_json:
        typer.echo(json.dumps({"base_url": base_url, "keys": keys}, indent=2))
    else:
        typer.echo("AUP AI Gateway demo school is ready.\n\nDemo API keys (shown once):")
        for who in keys:
            typer.echo(f"  {who['role']:<14} {who['display_name']:<26} {who['key']}")
        join_code = next(k["join_code"] for k in keys if "join_code" in k)
        typer.echo(f"\nThe pupils are in a supervised session (join code {join_code}).")
        teacher = next(k for k in keys if k["role"] == "teacher")
        typer.echo(f"\nTry it with the openai SDK (pip install openai):\n\n{snippet(base_url, teacher['key'])}")
        typer.echo(f"API docs: http://{host}:{port}/docs   Stop with Ctrl+C.\n")
    sys.stdout.flush()
    if serve_after:
        serve(config or DEMO_CONFIG, host, port)


# -- users ---------------------------------------------------------------------------------------


@users_app.command("add")
def users_add(
    username: str,
    display_name: Annotated[str, typer.Option("--name", help="Name shown to staff.")],
    role: Annotated[Role, typer.Option(help="The user's role.")],
    year_group: Annotated[int | None, typer.Option(help="Pupils: year group (0 = Reception).")] = None,
    email: Annotated[str | None, typer.Option()] = None,
    group: Annotated[list[str] | None, typer.Option("--group", help="Registration or teaching group (repeat).")] = None,
    config: ConfigOpt = None,
    school: SchoolOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Add a user."""
    runtime = _runtime(config)
    try:
        with transaction(runtime.sessions) as session:
            where = identity.get_school(session, school)
            user = identity.create_user(session, where, username, display_name, role, year_group, email, group)
            data = _user_dict(user)
    except (IdentityError, ValueError) as exc:
        _fail(as_json, str(exc))
    _emit(as_json, data, f"Added {data['role']} {data['username']} ({data['display_name']}).")


@users_app.command("list")
def users_list(
    role: Annotated[Role | None, typer.Option(help="Only this role.")] = None,
    config: ConfigOpt = None,
    school: SchoolOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """List users."""
    runtime = _runtime(config)
    with runtime.sessions() as session:
        rows = [_user_dict(u) for u in identity.list_users(session, identity.get_school(session, school), role)]
    lines = [f"{r['username']:<20} {r['role']:<14} {r['key_stage'] or '':<5} "
             f"{'' if r['active'] else '(inactive) '}{r['display_name']}" for r in rows]  # fmt: skip
    _emit(as_json, rows, "\n".join(lines) or "No users.")


@users_app.command("deactivate")
def users_deactivate(username: str, config: ConfigOpt = None, school: SchoolOpt = None,
                     as_json: JsonOpt = False) -> None:  # fmt: skip
    """Deactivate a user: their keys stop working."""
    runtime = _runtime(config)
    try:
        with transaction(runtime.sessions) as session:
            where = identity.get_school(session, school)
            data = _user_dict(identity.set_user_active(session, identity.find_user(session, where, username), False))
    except IdentityError as exc:
        _fail(as_json, str(exc))
    _emit(as_json, data, f"Deactivated {username}.")


# -- keys ----------------------------------------------------------------------------------------


@keys_app.command("issue")
def keys_issue(
    username: str,
    label: Annotated[str, typer.Option(help="What the key is for.")] = "",
    expires_in_days: Annotated[int | None, typer.Option(help="Days until the key expires.")] = None,
    config: ConfigOpt = None,
    school: SchoolOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Issue an API key for a user. The key is shown once."""
    runtime = _runtime(config)
    try:
        with transaction(runtime.sessions) as session:
            user = identity.find_user(session, identity.get_school(session, school), username)
            issued = identity.issue_key(session, user, label, expires_in_days)
            data = {**_key_dict(issued.key), "secret": issued.secret}
    except IdentityError as exc:
        _fail(as_json, str(exc))
    _emit(as_json, data, f"API key for {username} (shown once, store it now):\n{data['secret']}")


@keys_app.command("list")
def keys_list(
    username: Annotated[str | None, typer.Argument(help="Only this user's keys.")] = None,
    config: ConfigOpt = None,
    school: SchoolOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """List API keys (prefixes only; keys themselves are never stored)."""
    runtime = _runtime(config)
    try:
        with runtime.sessions() as session:
            where = identity.get_school(session, school)
            user = identity.find_user(session, where, username) if username else None
            rows = [_key_dict(k) for k in identity.list_keys(session, where, user)]
    except IdentityError as exc:
        _fail(as_json, str(exc))
    lines = [
        f"{r['prefix']:<14} {r['user']:<20} {'revoked' if r['revoked_at'] else 'active':<8} "
        f"expires {r['expires_at'] or 'never'}  last used {r['last_used_at'] or 'never'}"
        for r in rows
    ]
    _emit(as_json, rows, "\n".join(lines) or "No keys.")


@keys_app.command("revoke")
def keys_revoke(prefix: str, config: ConfigOpt = None, school: SchoolOpt = None, as_json: JsonOpt = False) -> None:
    """Revoke an API key by its prefix."""
    runtime = _runtime(config)
    try:
        with transaction(runtime.sessions) as session:
            key = identity.find_key(session, identity.get_school(session, school), prefix)
            data = _key_dict(identity.revoke_key(session, key))
    except IdentityError as exc:
        _fail(as_json, str(exc))
    _emit(as_json, data, f"Revoked {prefix}.")


# -- tools ---------------------------------------------------------------------------------------


@tools_app.command("list")
def tools_list(config: ConfigOpt = None, school: SchoolOpt = None, as_json: JsonOpt = False) -> None:
    """List the AI tools in the register."""
    from dpia import service as register

    runtime = _runtime(config)
    with runtime.sessions() as session:
        where = identity.get_school(session, school)
        rows = [{"name": t.name, "litellm_model": t.litellm_model, "api_base": t.api_base,
                 "api_key_env": t.api_key_env, "provider": t.provider, "data_location": t.data_location,
                 "enabled": t.enabled} for t in register.list_tools(session, where.id, True)]  # fmt: skip
    lines = [f"{r['name']:<20} {r['litellm_model']:<30} {r['data_location']:<6} "
             f"{'' if r['enabled'] else '(disabled)'}" for r in rows]  # fmt: skip
    _emit(as_json, rows, "\n".join(lines) or "No tools.")


@tools_app.command("add")
def tools_add(
    name: str,
    litellm_model: Annotated[str, typer.Option(help="litellm model string, e.g. openai/gpt-4o-mini.")],
    api_base: Annotated[str | None, typer.Option(help="Provider base URL.")] = None,
    api_key_env: Annotated[str | None, typer.Option(help="Environment variable holding the key.")] = None,
    provider: Annotated[str, typer.Option()] = "",
    data_location: Annotated[str, typer.Option(help="UK, EEA, US, other or local.")] = "other",
    config: ConfigOpt = None,
    school: SchoolOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Add an AI tool to the register."""
    from dpia import service as register
    from dpia.errors import RegisterError

    runtime = _runtime(config)
    try:
        with transaction(runtime.sessions) as session:
            where = identity.get_school(session, school)
            tool = register.create_tool(
                session, where.id, name, litellm_model,
                api_base=api_base, api_key_env=api_key_env, provider=provider, data_location=data_location,
            )  # fmt: skip
            data = {"id": tool.id, "name": tool.name, "litellm_model": tool.litellm_model}
    except (RegisterError, IdentityError) as exc:
        _fail(as_json, str(exc))
    _emit(as_json, data, f"Added tool {name}.")


# -- the log -------------------------------------------------------------------------------------


@app.command("log")
def show_log(
    limit: Annotated[int, typer.Option(help="How many entries.")] = 20,
    decision: Annotated[str | None, typer.Option(help="allowed, blocked, answered or failed.")] = None,
    config: ConfigOpt = None,
    school: SchoolOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Show recent entries of the monitoring log."""
    from ai_gateway.monitoring.service import recent_entries

    runtime = _runtime(config)
    with runtime.sessions() as session:
        where = identity.get_school(session, school)
        rows = [{"id": e.id, "created_at": e.created_at, "role": e.role, "user_id": e.user_id, "tool": e.tool,
                 "decision": e.decision, "reason_code": e.reason_code, "status_code": e.status_code,
                 "purpose": e.purpose, "prompt": e.prompt, "reply": e.reply, "latency_ms": e.latency_ms}
                for e in recent_entries(session, where.id, limit, decision=decision)]  # fmt: skip
    lines = [f"{r['created_at']:%Y-%m-%d %H:%M:%S} {r['role'] or '-':<13} {r['tool'] or '-':<12} "
             f"{r['decision']:<8} {r['reason_code'] or ''}" for r in rows]  # fmt: skip
    _emit(as_json, rows, "\n".join(lines) or "The log is empty.")


# -- roster --------------------------------------------------------------------------------------

CsvOpt = Annotated[Path | None, typer.Option(exists=True, dir_okay=False, help="CSV file from the MIS.")]


@roster_app.command("import")
def roster_import(
    pupils: Annotated[
        Path | None,
        typer.Option(
            "--pupils", exists=True, dir_okay=False, help="Pupils CSV (upn, legal/preferred forename, surname, ...)."
        ),
    ] = None,
    staff: CsvOpt = None,
    contacts: CsvOpt = None,
    config: ConfigOpt = None,
    school: SchoolOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Replace the roster with an MIS export (pupils, staff, parents/carers)."""
    from ai_gateway.roster.service import import_roster
    from redaction import RosterImportError

    if not (pupils or staff or contacts):
        _fail(as_json, "give at least one of --pupils, --staff, --contacts")
    runtime = _runtime(config)
    try:
        with transaction(runtime.sessions) as session:
            where = identity.get_school(session, school)
            record = import_roster(session, where.id, pupils, staff, contacts, imported_by="cli")
            data = {"pupils": record.pupils, "staff": record.staff, "parents": record.parents,
                    "imported_at": record.imported_at}  # fmt: skip
    except (RosterImportError, IdentityError) as exc:
        _fail(as_json, str(exc))
    _emit(as_json, data, f"Roster imported: {data['pupils']} pupils, {data['staff']} staff, "
                         f"{data['parents']} parents/carers.")  # fmt: skip


@roster_app.command("show")
def roster_show(config: ConfigOpt = None, school: SchoolOpt = None, as_json: JsonOpt = False) -> None:
    """When the roster was last imported, and how many people it holds."""
    from ai_gateway.roster.service import latest_import

    runtime = _runtime(config)
    with runtime.sessions() as session:
        record = latest_import(session, identity.get_school(session, school).id)
        data = None if record is None else {"pupils": record.pupils, "staff": record.staff,
                                            "parents": record.parents, "imported_at": record.imported_at}  # fmt: skip
    _emit(as_json, data, "No roster imported yet." if data is None else
          f"{data['pupils']} pupils, {data['staff']} staff, {data['parents']} parents/carers "
          f"(imported {data['imported_at']:%Y-%m-%d %H:%M}).")  # fmt: skip


# -- DSL alerts ----------------------------------------------------------------------------------


@alerts_app.command("list")
def alerts_list(
    status: Annotated[str | None, typer.Option(help="open, acknowledged or closed.")] = "open",
    config: ConfigOpt = None,
    school: SchoolOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """DSL alerts, newest first."""
    from ai_gateway.identity.models import User
    from ai_gateway.monitoring.service import list_alerts

    runtime = _runtime(config)
    with runtime.sessions() as session:
        where = identity.get_school(session, school)
        alerts = list_alerts(session, where.id, status or None)
        pupils = {a.pupil_id: session.get(User, a.pupil_id) for a in alerts}
        rows = [{"id": a.id, "created_at": a.created_at, "pupil": pupils[a.pupil_id].display_name,
                 "username": pupils[a.pupil_id].username, "category": a.category, "severity": a.severity,
                 "score": a.score, "triggers": a.triggers, "prompt": a.prompt, "status": a.status}
                for a in alerts]  # fmt: skip
    lines = [f"{r['created_at']:%Y-%m-%d %H:%M} {r['severity']:<6} {r['category']:<17} {r['pupil']}: "
             f"{r['prompt'][:80]}" for r in rows]  # fmt: skip
    _emit(as_json, rows, "\n".join(lines) or "No alerts.")


# -- evaluation ----------------------------------------------------------------------------------


@app.command("eval")
def evaluate(
    data: Annotated[Path, typer.Option(exists=True, file_okay=False, help="Folder of labelled sets.")],
    config: ConfigOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Measure the checks on labelled data (pii*, safeguarding*, pupil_risk*.jsonl and the roster CSVs)."""
    from ai_gateway.evaluation import evaluate as run_evaluation
    from ai_gateway.evaluation import summary

    result = run_evaluation(_settings(config), data)
    typer.echo(json.dumps(result, indent=2) if as_json else summary(result))


# The register's commands (approvals, DPIAs, reviews, export) live in their own module.
from ai_gateway.register_cli import approvals_app, dpias_app, register_app  # noqa: E402

app.add_typer(approvals_app, name="approvals")
app.add_typer(dpias_app, name="dpias")
app.add_typer(register_app, name="register")

# Supervised sessions (teachers open them; pupils join) live in their own module.
from ai_gateway.sessions_cli import sessions_app  # noqa: E402

app.add_typer(sessions_app, name="sessions")

if __name__ == "__main__":  # pragma: no cover
    app()
