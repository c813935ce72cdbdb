"""Train the pupil word model from the prompts in this folder: the project's own writing, never the shared dev sets.

Run: python -m ai_gateway.safety.training.train_word_model [--exclude blind4]
Writes ai_gateway/safety/data/pupil_risk_word_model.json. `--exclude NAME` leaves out files whose path contains NAME,
so a round of blind prompts can be kept back to measure the model honestly.
"""

import argparse
import json
from pathlib import Path

from ..pupil_risk import PupilRiskDetector
from ..settings import DATA_DIR, SafetySettings
from ..word_model import WordModel, features

HERE = Path(__file__).parent
MODEL_FILE = DATA_DIR / "pupil_risk_word_model.json"


def examples(exclude: list[str]) -> list[tuple[set[str], str]]:
    normalise = PupilRiskDetector(SafetySettings(pupil_word_model=False)).normalise
    rows = []
    for path in sorted(HERE.rglob("pupil_risk*.jsonl")):
        if any(name in str(path) for name in exclude):
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                rows.append((features(normalise(row["text"])), row["category"]))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--exclude", action="append", default=[], help="leave out files whose path contains this")
    parser.add_argument("--out", type=Path, default=MODEL_FILE)
    args = parser.parse_args()
    rows = examples(args.exclude)
    WordModel.train(rows).save(args.out)
    print(f"trained on {len(rows)} prompts -> {args.out}")


if __name__ == "__main__":
    main()
