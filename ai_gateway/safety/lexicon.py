"""Weighted cue lists loaded from the YAML files in data/: the explainable core of every safety check.

A cue is a list of phrases or regular expressions with one weight and one human-readable reason.
Patterns may use {name} to stand for a word list from the file's `vocab:` section.
"""

import re
from dataclasses import dataclass
from pathlib import Path

import yaml


@dataclass(frozen=True)
class Cue:
    id: str
    reason: str
    weight: float
    regex: re.Pattern[str]
    flags: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Hit:
    cue: Cue
    text: str
    start: int = 0
    end: int = 0
    count: int = 1  # distinct matches of this cue in the text

    @property
    def weight(self) -> float:
        # A second and third different match of the same cue add half its weight each.
        return self.cue.weight * (1 + 0.5 * (min(self.count, 3) - 1))

    def describe(self, group: str) -> str:
        more = f" and {self.count - 1} more" if self.count > 1 else ""
        return f"{group}: {self.cue.reason} ('{self.text.strip()[:40]}'{more}, {self.weight:+g})"


class CueSet:
    """One named group of cues (for example 'concern' or 'self_harm')."""

    def __init__(self, name: str, cues: list[Cue]):
        self.name = name
        self.cues = cues

    def hits(self, text: str, count_repeats: bool = False) -> list[Hit]:
        found = []
        for cue in self.cues:
            match = cue.regex.search(text)
            if not match:
                continue
            count = 1
            if count_repeats:
                count = len({m.group(0) for m in cue.regex.finditer(text, match.start())})
            found.append(Hit(cue, match.group(0), match.start(), match.end(), count))
        return found


def _phrase_to_regex(phrase: str) -> str:
    words = [re.escape(w) for w in phrase.split()]
    return r"(?<![\w])" + r"\W+".join(words) + r"(?![\w])"


def _expand(pattern: str, vocab: dict[str, str]) -> str:
    def substitute(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in vocab:
            raise KeyError(f"pattern uses unknown vocab list {{{key}}}: {pattern!r}")
        return vocab[key]

    return re.sub(r"\{([a-z_]+)\}", substitute, pattern)


_FLAGS = ("hyperbole", "method", "gate", "urgent")


def load_lexicon(path: Path, section: str = "cues") -> dict[str, CueSet]:
    """Read one section of a lexicon file; errors name the file and the cue so a school can fix its edits."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    vocab = {
        key: "(?:"
        + "|".join(sorted((re.escape(w) if not w.startswith("re:") else w[3:] for w in words), key=len, reverse=True))
        + ")"
        for key, words in (raw.get("vocab") or {}).items()
    }
    # A word list may use an earlier one ("someone on {online}"); expand those once, in file order.
    for key in vocab:
        vocab[key] = _expand(vocab[key], {k: v for k, v in vocab.items() if k != key})
    groups: dict[str, CueSet] = {}
    for group, entries in (raw.get(section) or {}).items():
        cues = []
        for entry in entries:
            cue_id = entry.get("id", "?")
            parts = [_phrase_to_regex(p) for p in entry.get("phrases", [])]
            parts += [_expand(p, vocab) for p in entry.get("patterns", [])]
            if not parts:
                raise ValueError(f"{path.name}: cue {group}/{cue_id} has no phrases or patterns")
            try:
                regex = re.compile("|".join(f"(?:{p})" for p in parts), re.IGNORECASE)
            except re.error as exc:
                raise ValueError(f"{path.name}: cue {group}/{cue_id} has a bad pattern: {exc}") from exc
            flags = frozenset(f for f in _FLAGS if entry.get(f))
            cues.append(Cue(cue_id, entry.get("reason", cue_id), float(entry.get("weight", 1.0)), regex, flags))
        groups[group] = CueSet(group, cues)
    return groups


def total(hits: list[Hit], cap: float | None = None) -> float:
    score = sum(h.weight for h in hits)
    return min(score, cap) if cap is not None else score
