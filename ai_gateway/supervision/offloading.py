"""Spotting a request that asks the AI to do a pupil's whole task ("write my essay", "just give me the answers").

The pupil AUP says AI must not be used to cheat. Such requests are marked, not refused: in learner mode
the model is already asked for hints instead, and the teacher sees how often each pupil asks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

LEXICON = Path(__file__).resolve().parent / "data" / "offloading.yaml"


def _normalise(text: str) -> str:
    return " " + " ".join(re.sub(r"[^a-z0-9']+", " ", text.lower()).split()) + " "


@dataclass(frozen=True)
class OffloadingLexicon:
    phrases: tuple[str, ...]  # normalised, each padded with spaces so that only whole words match

    @classmethod
    def load(cls, path: Path = LEXICON) -> OffloadingLexicon:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        things = [str(t) for t in data.get("things", [])]
        phrases: list[str] = []
        for phrase in data.get("phrases", []):
            filled = [phrase.replace("{thing}", t) for t in things] if "{thing}" in phrase else [phrase]
            phrases += [_normalise(p) for p in filled]
        return cls(tuple(dict.fromkeys(phrases)))

    def matches(self, text: str) -> list[str]:
        """The phrases found in `text` (empty when it asks for help rather than for the work itself)."""
        padded = _normalise(text)
        return [p.strip() for p in self.phrases if p in padded]
