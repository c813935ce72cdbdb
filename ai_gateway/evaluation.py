"""`aup-gateway eval`: the gateway's checks measured on labelled data, as a school's requests meet them.

The run imports DIR's roster CSVs as the school's roster (as an import would),
then sends each prompt through the configured rule checks as the speaker's
role, and scores what would have reached the provider. The JSON shape is the
one in shared/evals/README.md; keys may be added, never renamed.
"""

from __future__ import annotations

import asyncio
import json
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ai_gateway.config import Settings
from ai_gateway.database import new_id, transaction
from ai_gateway.identity import service as identity
from ai_gateway.identity.requester import Requester
from ai_gateway.identity.roles import Role
from ai_gateway.pipeline.context import ChatRequest, ToolRoute
from ai_gateway.pipeline.decision import Allow, Answer, Block
from ai_gateway.pipeline.pipeline import Pipeline
from ai_gateway.roster import service as roster_service
from ai_gateway.supervision import service as supervision
from dpia import service as register

# The eval files' speakers, as the gateway's roles.
SPEAKER_ROLES = {
    "teacher": Role.teacher, "eyfs": Role.teacher, "senco": Role.teacher, "ta": Role.support_staff,
    "office": Role.support_staff, "pastoral": Role.support_staff, "head": Role.slt, "slt": Role.slt,
    "dsl": Role.dsl, "dpo": Role.dpo, "governor": Role.visitor, "it": Role.it_admin, "pupil": Role.pupil,
}  # fmt: skip
EVAL_GROUP = "eval"
# A representative year group per key stage, for pupils.
KEY_STAGE_YEARS = {"EYFS": 0, "KS1": 2, "KS2": 5, "KS3": 8, "KS4": 10, "KS5": 12}


@dataclass
class Outcome:
    sent: str | None  # what would reach the provider; None when refused
    refused: bool
    alerted: bool


class EvalSchool:
    """A throwaway school in a temporary SQLite database, built with the gateway's own runtime."""

    def __init__(self, settings: Settings, data_dir: Path) -> None:
        from ai_gateway.runtime import build_rules, build_runtime

        self._tmp = tempfile.TemporaryDirectory(prefix="aup-eval-")
        settings = settings.model_copy(deep=True)
        settings.database.url = f"sqlite:///{self._tmp.name}/eval.db"
        self.runtime = build_runtime(settings)
        self.pipeline = Pipeline(build_rules(self.runtime))
        self.people: dict[tuple[Role, int | None], Requester] = {}
        with transaction(self.runtime.sessions) as session:
            school = identity.get_or_create_school(session, "Evaluation School", "000999")
            self.school_id = school.id
            tool = register.create_tool(session, school.id, "eval", "aup-demo/demo", data_location="local")
            self.tool = ToolRoute(tool.id, tool.name, tool.litellm_model, None, None, "local")
            roster_service.import_roster(
                session, school.id, *(_file(data_dir, n) for n in ("roster.csv", "staff.csv", "contacts.csv"))
            )
            # Approved for everyone, so that only the checks under measurement decide.
            head = identity.create_user(session, school, "eval-slt", "Evaluation SLT", Role.slt)
            register.approve_for_everyone(session, tool, head, risk_assessment_reference="RA-EVAL",
                                          now=self.runtime.clock())  # fmt: skip
            # Pupils use AI only in a supervised session: one, for the "eval" group every eval pupil is in.
            teacher = identity.create_user(session, school, "eval-teacher", "Evaluation teacher", Role.teacher)
            day = supervision.MAX_MINUTES
            supervision.open_session(session, teacher, purpose="Evaluation", tools=[tool.name], groups=[EVAL_GROUP],
                                     minutes=day, learner_mode=False, rate_per_minute=10**6, token_budget=10**12,
                                     advisory_minutes=day - 1, hard_stop_minutes=day,
                                     settings=self.runtime.settings.supervision, now=self.runtime.clock())  # fmt: skip

    def requester(self, role: Role, year_group: int | None = None) -> Requester:
        key = (role, year_group)
        if key not in self.people:
            with transaction(self.runtime.sessions) as session:
                school = identity.get_school(session, "000999")
                pupil = role == Role.pupil
                user = identity.create_user(session, school, f"{role.value}-{year_group}", role.value, role,
                                            year_group if pupil else None,
                                            groups=[EVAL_GROUP] if pupil else None)  # fmt: skip
                self.people[key] = Requester(user.id, school.id, user.username, user.display_name, role,
                                             user.year_group, user.key_stage)  # fmt: skip
        return self.people[key]

    def run(self, text: str, who: Requester) -> Outcome:
        request = ChatRequest(
            request_id=new_id(), received_at=self.runtime.clock(), api_key=None, body=None, requester=who,
            model="eval", messages=[{"role": "user", "content": text}], tool=self.tool,
        )  # fmt: skip
        decision = asyncio.run(self.pipeline.run(request))
        alerted = bool(request.details.get("pupil_risk", {}).get("dsl_alert"))
        if isinstance(decision, Block | Answer):
            return Outcome(None, True, alerted)
        assert isinstance(decision, Allow)
        return Outcome(str(request.messages[-1]["content"]), False, alerted)

    def close(self) -> None:
        self.runtime.engine.dispose()
        self._tmp.cleanup()


def _file(data_dir: Path, name: str) -> Path | None:
    path = data_dir / name
    return path if path.exists() else None


def _rows(data_dir: Path, pattern: str) -> list[dict[str, Any]]:
    rows = []
    for path in sorted(data_dir.glob(pattern)):
        rows += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows


def _speaker(school: EvalSchool, row: dict[str, Any]) -> Requester:
    role = SPEAKER_ROLES.get(str(row.get("speaker", "teacher")).lower(), Role.teacher)
    return school.requester(role, 8 if role == Role.pupil else None)


def evaluate(settings: Settings, data_dir: Path) -> dict[str, Any]:
    from redaction.evaluation import evaluate_external, score_pii

    school = EvalSchool(settings, data_dir)
    result: dict[str, Any] = {}
    try:
        if rows := _rows(data_dir, "pii*.jsonl"):
            sent = [school.run(r["text"], _speaker(school, r)).sent or "" for r in rows]
            result["pii"] = score_pii(rows, sent)
        if rows := _rows(data_dir, "safeguarding*.jsonl"):
            counts = defaultdict(int)
            for row in rows:
                label = row["label"]
                counts[f"{label}_total"] += 1
                counts[f"{label}_refused"] += school.run(row["text"], _speaker(school, row)).refused
            result["safeguarding"] = {k: counts[k] for k in
                                      ("block_total", "block_refused", "allow_total", "allow_refused")}  # fmt: skip
        if rows := _rows(data_dir, "pupil_risk*.jsonl"):
            by_category: dict[str, dict[str, int]] = {}
            for row in rows:
                pupil = school.requester(Role.pupil, KEY_STAGE_YEARS.get(row.get("key_stage") or "", 8))
                outcome = school.run(row["text"], pupil)
                tally = by_category.setdefault(row["category"], {"total": 0, "alerted": 0, "refused": 0})
                tally["total"] += 1
                tally["alerted"] += outcome.alerted
                tally["refused"] += outcome.refused
            result["pupil_risk"] = {"by_category": by_category}
        external = data_dir / "external" / "presidio_research_synth_dataset_v2.json"
        if external.exists() and school.runtime.redaction is not None:
            result["external"] = evaluate_external(external, school.runtime.redaction)
    finally:
        school.close()
    return result


def summary(result: dict[str, Any]) -> str:
    """The figures people read: leaks and losses, block and alert rates."""
    lines = []

    def pct(part: int, whole: int) -> str:
        return f"{part}/{whole} ({100 * part / whole:.1f}%)" if whole else "n/a"

    if pii := result.get("pii"):
        lines.append(f"Personal data ({pii['prompts']} prompts): leaked per type")
        for kind, c in sorted(pii["by_type"].items()):
            lines.append(f"  {kind:<16} {c['leaked']:>3} of {c['total']:<4} leaked   "
                         f"redacted {pct(c['total'] - c['leaked'], c['total'])}")  # fmt: skip
        lines.append(f"  must_keep lost   {pii['keep_lost']} of {pii['keep_total']}   "
                     f"kept {pct(pii['keep_total'] - pii['keep_lost'], pii['keep_total'])}")  # fmt: skip
    if sg := result.get("safeguarding"):
        lines.append("Safeguarding casework (staff)")
        lines.append(f"  block cases refused  {pct(sg['block_refused'], sg['block_total'])}")
        lines.append(f"  allow cases refused  {pct(sg['allow_refused'], sg['allow_total'])}  (false blocks)")
    if pr := result.get("pupil_risk"):
        cats = pr["by_category"]
        lines.append("Pupil risk")
        for cat, c in sorted(cats.items()):
            lines.append(
                f"  {cat:<18} alerted {pct(c['alerted'], c['total']):<16} refused {pct(c['refused'], c['total'])}"
            )
        risk = [c for k, c in cats.items() if k not in ("none", "filter_bypass", "harmful_request")]
        lines.append(f"  alert recall (all risk categories)  "
                     f"{pct(sum(c['alerted'] for c in risk), sum(c['total'] for c in risk))}")  # fmt: skip
        if none := cats.get("none"):
            lines.append(f"  false alerts (none)                 {pct(none['alerted'], none['total'])}")
        forbidden = [c for k, c in cats.items() if k in ("filter_bypass", "harmful_request")]
        lines.append(f"  forbidden requests refused          "
                     f"{pct(sum(c['refused'] for c in forbidden), sum(c['total'] for c in forbidden))}")  # fmt: skip
    if ext := result.get("external"):
        lines.append("External set (presidio-research), entity level")
        for kind, c in sorted(ext.items()):
            lines.append(
                f"  {kind:<16} precision {c['precision']:.3f}  recall {c['recall']:.3f}  support {c['support']}"
            )
    return "\n".join(lines)
