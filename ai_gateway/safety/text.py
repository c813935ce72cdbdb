"""Turns the way children type (text-speak, stretched letters, leetspeak, emoji) into plain words."""

import re
import unicodedata

_APOSTROPHES = re.compile(r"[’‘'`´]")
_STRETCHED = re.compile(r"([a-z])\1{2,}")
_LEET_TOKEN = re.compile(r"\b[a-z]*[a-z@$][013457@$]+[a-z][a-z0-9@$]*\b|\b[a-z]+[013457@$]+[a-z]+\b")
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"})
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower case, accents removed (tnę -> tne, bătut -> batut), apostrophes dropped (don't -> dont)."""
    text = unicodedata.normalize("NFKC", text).replace("\u200b", "").replace("\u200d", "")
    text = _APOSTROPHES.sub("", text.lower())
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class Normaliser:
    """Built once from the `textspeak` and `emoji` maps of a lexicon file."""

    def __init__(self, textspeak: dict[str, str], emoji: dict[str, str]):
        self._words = {fold(k): v for k, v in textspeak.items()}
        self._emoji = emoji
        self._emoji_re = re.compile("|".join(re.escape(e) for e in sorted(emoji, key=len, reverse=True)))

    def normalise(self, text: str) -> str:
        text = self._emoji_re.sub(lambda m: f" {self._emoji[m.group(0)]} ", text) if self._emoji else text
        text = fold(text)
        text = _STRETCHED.sub(lambda m: m.group(1) * (2 if m.group(1) in "eolst" else 1), text)
        text = _LEET_TOKEN.sub(lambda m: m.group(0).translate(_LEET), text)
        text = re.sub(r"[a-z0-9]+", lambda m: self._words.get(m.group(0), m.group(0)), text)
        return _SPACES.sub(" ", text).strip()
