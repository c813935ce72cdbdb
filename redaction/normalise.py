"""Undo common evasions before detection (zero-width characters, full-width digits, look-alike
letters from other scripts) while remembering where each character came from, so findings can
be mapped back onto the text exactly as the user wrote it."""

import unicodedata
from dataclasses import dataclass

ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff\u00ad\u180e\u034f")

# Cyrillic and Greek letters that look like Latin ones. NFKC leaves these alone.
HOMOGLYPHS = str.maketrans({
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i", "ј": "j",
    "ѕ": "s", "ԁ": "d", "һ": "h", "ӏ": "l", "ԛ": "q", "ԝ": "w", "ɡ": "g", "ı": "i",
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C",
    "Т": "T", "Х": "X", "У": "Y", "І": "I", "Ј": "J", "Ѕ": "S", "Ԁ": "D", "Ԛ": "Q", "Ԝ": "W",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N",
    "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "ο": "o", "ν": "v", "α": "a",
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2212": "-",
})


@dataclass(frozen=True)
class NormalisedText:
    text: str
    # For normalised character i: the original characters it came from are
    # original[starts[i]:ends[i]]. None when the text needed no change.
    starts: list[int] | None = None
    ends: list[int] | None = None

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        if self.starts is None or self.ends is None:
            return start, end
        if end <= start:
            return self.starts[start], self.starts[start]
        return self.starts[start], self.ends[end - 1]


def normalise(text: str) -> NormalisedText:
    if text.isascii():
        return NormalisedText(text)
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i, n = 0, len(text)
    while i < n:
        if text[i] in ZERO_WIDTH:
            i += 1
            continue
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        cluster = text[i:j]
        out = cluster if cluster.isascii() else unicodedata.normalize("NFKC", cluster).translate(HOMOGLYPHS)
        one_to_one = len(out) == j - i
        for k, c in enumerate(out):
            pieces.append(c)
            starts.append(i + k if one_to_one else i)
            ends.append(i + k + 1 if one_to_one else j)
        i = j
    starts.append(n)
    return NormalisedText("".join(pieces), starts, ends)
