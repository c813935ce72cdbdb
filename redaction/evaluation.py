"""Measure redaction on labelled data: `python -m redaction.evaluation DIR` prints JSON.

- pii: prompts from DIR/pii*.jsonl, redacted with the school's roster from DIR's CSVs, scored on
  the text that would be sent (rule in evals/README.md).
- external: entity-level precision and recall on presidio-research's synthetic set, with no
  roster. A prediction and a gold span match when they overlap and their types map to the same
  Presidio type; precision counts predictions that overlap some gold span of that type, recall
  counts gold spans overlapped by some prediction of that type.
"""

import json
import re
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path

from redaction.engine import RedactionEngine
from redaction.normalise import ZERO_WIDTH
from redaction.roster import Roster
from redaction.settings import RedactionSettings

STRUCTURED_TYPES = {"UPN", "ULN", "NHS_NUMBER", "NI_NUMBER", "PHONE", "POSTCODE"}

# Our entity types -> the Presidio types of the external set.
EXTERNAL_TYPE = {
    "PUPIL_NAME": "PERSON", "STAFF_NAME": "PERSON", "PARENT_NAME": "PERSON", "PERSON": "PERSON",
    "PHONE": "PHONE_NUMBER", "EMAIL": "EMAIL_ADDRESS", "STREET_ADDRESS": "STREET_ADDRESS",
}


def _clean(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKC", text) if c not in ZERO_WIDTH)


def _alnum(text: str) -> str:
    return "".join(c for c in text if c.isalnum())


def score_pii(rows: list[dict], sent_texts: list[str]) -> dict:
    by_type: dict[str, dict[str, int]] = {}
    keep_total = keep_lost = 0
    for row, sent in zip(rows, sent_texts, strict=True):
        sent = _clean(sent)
        sent_alnum = _alnum(sent)
        for item in row.get("must_redact", []):
            kind = item["type"]
            value = _clean(item["text"])
            if kind in STRUCTURED_TYPES:
                leaked = _alnum(value) in sent_alnum
            else:
                leaked = re.search(rf"(?<![^\W_]){re.escape(value)}(?![^\W_])", sent) is not None
            counts = by_type.setdefault(kind, {"total": 0, "leaked": 0})
            counts["total"] += 1
            counts["leaked"] += int(leaked)
        for keep in row.get("must_keep", []):
            keep_total += 1
            keep_lost += int(_clean(keep) not in sent)
    return {"prompts": len(rows), "by_type": dict(sorted(by_type.items())),
            "keep_total": keep_total, "keep_lost": keep_lost}


def read_pii_rows(data_dir: Path) -> list[dict]:
    rows = []
    for path in sorted(Path(data_dir).glob("pii*.jsonl")):
        with open(path, encoding="utf-8") as f:
            rows.extend(json.loads(line) for line in f if line.strip())
    return rows


def evaluate_pii(data_dir: Path, redact: Callable[[str], str]) -> dict | None:
    if not list(Path(data_dir).glob("pii*.jsonl")):
        return None
    rows = read_pii_rows(data_dir)
    return score_pii(rows, [redact(row["text"]) for row in rows])


def evaluate_external(path: Path, engine: RedactionEngine) -> dict:
    with open(path, encoding="utf-8") as f:
        samples = json.load(f)
    counts: dict[str, dict[str, int]] = {}
    mapped = set(EXTERNAL_TYPE.values())
    for sample in samples:
        text = sample["full_text"]
        gold = [(s["start_position"], s["end_position"], s["entity_type"]) for s in sample["spans"]
                if s["entity_type"] in mapped]
        predicted = [(f.start, f.end, EXTERNAL_TYPE[f.entity_type]) for f in engine.analyze(text)
                     if f.entity_type in EXTERNAL_TYPE]
        for kind in mapped:
            c = counts.setdefault(kind, {"tp_pred": 0, "pred": 0, "tp_gold": 0, "gold": 0})
            g = [(s, e) for s, e, k in gold if k == kind]
            p = [(s, e) for s, e, k in predicted if k == kind]
            c["pred"] += len(p)
            c["gold"] += len(g)
            c["tp_pred"] += sum(any(ps < ge and gs < pe for gs, ge in g) for ps, pe in p)
            c["tp_gold"] += sum(any(ps < ge and gs < pe for ps, pe in p) for gs, ge in g)
    return {kind: {"precision": round(c["tp_pred"] / c["pred"], 4) if c["pred"] else 0.0,
                   "recall": round(c["tp_gold"] / c["gold"], 4) if c["gold"] else 0.0,
                   "support": c["gold"]}
            for kind, c in sorted(counts.items())}


def main(argv: list[str]) -> int:
    data_dir = Path(argv[0]) if argv else Path(".")
    engine = RedactionEngine(RedactionSettings())
    roster = Roster.from_mis_csv(*(data_dir / name if (data_dir / name).exists() else None
                                   for name in ("roster.csv", "staff.csv", "contacts.csv")))
    report: dict = {}
    pii = evaluate_pii(data_dir, lambda text: engine.pseudonymise([text], roster).texts[0])
    if pii is not None:
        report["pii"] = pii
    external = data_dir / "external" / "presidio_research_synth_dataset_v2.json"
    if external.exists():
        report["external"] = evaluate_external(external, engine)
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
