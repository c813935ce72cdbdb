"""`aup-gateway eval --json` prints the shape scripts read (shared/evals/README.md), from real checks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.harness import ROOT

EVALSET = Path(__file__).resolve().parent / "data" / "evalset"


def test_eval_json_has_the_documented_shape_and_real_outcomes():
    cli = Path(sys.executable).parent / "aup-gateway"
    result = subprocess.run([str(cli), "eval", "--data", str(EVALSET), "--json"], cwd=ROOT, capture_output=True,
                            text=True, timeout=300)  # fmt: skip
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)

    pii = figures["pii"]
    assert pii["prompts"] == 2 and pii["keep_total"] == 3 and pii["keep_lost"] == 0
    assert pii["by_type"]["PUPIL_NAME"] == {"total": 2, "leaked": 0}
    assert pii["by_type"]["PHONE"] == {"total": 1, "leaked": 0}
    assert figures["safeguarding"] == {"block_total": 1, "block_refused": 1, "allow_total": 1, "allow_refused": 0}
    risk = figures["pupil_risk"]["by_category"]
    assert risk["abuse_disclosure"] == {"total": 1, "alerted": 1, "refused": 1}
    assert risk["filter_bypass"] == {"total": 1, "alerted": 0, "refused": 1}
    assert risk["none"] == {"total": 1, "alerted": 0, "refused": 0}
    assert "external" not in figures  # only when DIR holds external/
