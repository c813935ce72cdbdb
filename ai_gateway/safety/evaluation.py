"""Measures the safety checks on labelled JSONL sets (safeguarding*.jsonl, pupil_risk*.jsonl).

Run: python -m ai_gateway.safety.evaluation /work/shared/evals
Prints the counts as JSON on stdout (the keys `aup-gateway eval --json` uses) and rates on stderr.
"""

import json
import sys
from pathlib import Path
from typing import Any

from .casework import SafeguardingCaseworkDetector
from .pupil_risk import ALERT_CATEGORIES, REFUSE_CATEGORIES, PupilRiskDetector
from .settings import SafetySettings


def _lines(data_dir: Path, pattern: str) -> list[dict[str, Any]] | None:
    files = sorted(Path(data_dir).glob(pattern))
    if not files:
        return None
    return [json.loads(line) for f in files for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]


def evaluate_safeguarding(data_dir: Path, detector: SafeguardingCaseworkDetector) -> dict | None:
    """Every line is a staff prompt; `refused` means the casework check blocked it."""
    rows = _lines(data_dir, "safeguarding*.jsonl")
    if rows is None:
        return None
    counts = {"block_total": 0, "block_refused": 0, "allow_total": 0, "allow_refused": 0}
    for row in rows:
        side = "block" if row["label"] == "block" else "allow"
        counts[f"{side}_total"] += 1
        counts[f"{side}_refused"] += int(detector.assess(row["text"]).is_casework)
    return counts


def evaluate_pupil_risk(data_dir: Path, detector: PupilRiskDetector) -> dict | None:
    rows = _lines(data_dir, "pupil_risk*.jsonl")
    if rows is None:
        return None
    by_category: dict[str, dict[str, int]] = {}
    for row in rows:
        verdict = detector.assess(row["text"], row.get("key_stage"))
        cell = by_category.setdefault(row["category"], {"total": 0, "alerted": 0, "refused": 0})
        cell["total"] += 1
        cell["alerted"] += int(verdict.alert)
        cell["refused"] += int(verdict.refuse)
    return {"by_category": by_category}


def _rate(part: int, whole: int) -> str:
    return f"{part}/{whole} ({100 * part / whole:.1f}%)" if whole else "n/a"


def summary(result: dict) -> str:
    lines = []
    sg = result.get("safeguarding")
    if sg:
        lines.append(f"safeguarding block recall: {_rate(sg['block_refused'], sg['block_total'])}")
        lines.append(f"safeguarding false-block rate: {_rate(sg['allow_refused'], sg['allow_total'])}")
    pr = result.get("pupil_risk")
    if pr:
        cats = pr["by_category"]
        alert_hit = sum(cats[c]["alerted"] for c in ALERT_CATEGORIES if c in cats)
        alert_all = sum(cats[c]["total"] for c in ALERT_CATEGORIES if c in cats)
        lines.append(f"pupil alert recall (all risk categories): {_rate(alert_hit, alert_all)}")
        for c in ALERT_CATEGORIES:
            if c in cats:
                lines.append(f"  {c}: {_rate(cats[c]['alerted'], cats[c]['total'])}")
        if "none" in cats:
            lines.append(f"pupil false-alert rate (none): {_rate(cats['none']['alerted'], cats['none']['total'])}")
            lines.append(f"pupil false-refusal rate (none): {_rate(cats['none']['refused'], cats['none']['total'])}")
        ref_hit = sum(cats[c]["refused"] for c in REFUSE_CATEGORIES if c in cats)
        ref_all = sum(cats[c]["total"] for c in REFUSE_CATEGORIES if c in cats)
        lines.append(f"forbidden-request block rate: {_rate(ref_hit, ref_all)}")
        for c in REFUSE_CATEGORIES:
            if c in cats:
                lines.append(f"  {c}: {_rate(cats[c]['refused'], cats[c]['total'])}")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m ai_gateway.safety.evaluation DATA_DIR", file=sys.stderr)
        return 2
    data_dir = Path(argv[0])
    settings = SafetySettings()
    result = {
        "safeguarding": evaluate_safeguarding(data_dir, SafeguardingCaseworkDetector(settings)),
        "pupil_risk": evaluate_pupil_risk(data_dir, PupilRiskDetector(settings)),
    }
    result = {k: v for k, v in result.items() if v is not None}
    print(json.dumps(result))
    print(summary(result), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
