"""The editable word lists behind detection (allow-list, health vocabulary, ordinary words,
given names) and a fast whole-word phrase matcher over them."""

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

import yaml

from redaction.errors import RedactionUnavailable

_TITLES = frozenset("mr mrs ms miss dr sir lady lord king queen prince princess saint st captain inspector "
                    "uncle aunt aunty auntie professor father mother sister brother".split())


class PhraseMatcher:
    """Finds any of many phrases as whole words with one compiled regex (longest first).

    Phrases written in capitals (ASD, ADHD) match case-sensitively; others in any case. Spaces in
    a phrase match any run of whitespace, so a phrase split across a line break is still found.
    The regex is tried only where a word starts that begins some phrase: a scan of a thousand
    alternatives at every position would cost more than the NER model.
    """

    _FIRST_WORD = re.compile(r"\w+")

    def __init__(self, phrases: Iterable[str]):
        folded, exact = set(), set()
        for phrase in phrases:
            phrase = phrase.strip()
            if not phrase:
                continue
            if phrase.isupper() and len(phrase) <= 6:
                exact.add(phrase)
            else:
                folded.add(phrase)
        self._folded = self._compile(folded, re.IGNORECASE)
        self._exact = self._compile(exact, 0)
        self._starts = [(pattern, self._first_words(phrases, fold))
                        for pattern, phrases, fold in ((self._folded, folded, True), (self._exact, exact, False))
                        if pattern is not None]

    @classmethod
    def _first_words(cls, phrases: set[str], fold: bool) -> frozenset[str] | None:
        """The first words of the phrases; None if some phrase does not start with a word."""
        words = set()
        for phrase in phrases:
            first = cls._FIRST_WORD.match(phrase)
            if first is None:
                return None
            words.add(first.group().casefold() if fold else first.group())
        return frozenset(words)

    @staticmethod
    def _compile(phrases: set[str], flags: int) -> re.Pattern[str] | None:
        if not phrases:
            return None
        alternation = "|".join(
            r"\s+".join(re.escape(part) for part in phrase.split())
            for phrase in sorted(phrases, key=len, reverse=True)
        )
        return re.compile(rf"(?<![\w])(?:{alternation})(?![\w])", flags)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        for pattern, first_words in self._starts:
            if first_words is None:
                yield from pattern.finditer(text)
                continue
            which = 2 if pattern.flags & re.IGNORECASE else 1
            end = 0
            for word in _words(text):
                if word[0] < end or word[which] not in first_words:
                    continue
                m = pattern.match(text, word[0])
                if m:
                    end = m.end()
                    yield m

    def spans(self, text: str) -> list[tuple[int, int]]:
        return sorted(m.span() for m in self.finditer(text))


@lru_cache(maxsize=8)
def _words(text: str) -> tuple[tuple[int, str, str], ...]:
    """(start, word, case-folded word) for each word of a text; shared by all the phrase matchers."""
    return tuple((m.start(), m.group(), m.group().casefold()) for m in PhraseMatcher._FIRST_WORD.finditer(text))


def load_yaml_lists(path: Path) -> dict:
    try:
        with open(path, encoding="utf-8") as f:
            data = yaml.safe_load(f) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise RedactionUnavailable(f"cannot read vocabulary {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise RedactionUnavailable(f"{path}: expected sections of lists")
    return data


def load_allow_list(path: Path) -> list[str]:
    return [str(item) for items in load_yaml_lists(path).values() for item in (items or [])]


def characters_by_surname(phrases: list[str]) -> dict[str, set[str]]:
    """Surname -> given names of the allow-listed people and characters ("Weasley" -> {"Ron", "Ginny"})."""
    found: dict[str, set[str]] = {}
    for phrase in phrases:
        words = phrase.split()
        if (len(words) == 2 and all(w[:1].isupper() and w.isalpha() for w in words)
                and words[0].casefold() not in _TITLES):
            found.setdefault(words[1], set()).add(words[0])
    return found


def load_word_file(path: Path) -> set[str]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise RedactionUnavailable(f"cannot read word list {path}: {exc}") from exc
    return {word for line in text.splitlines() if not line.startswith("#") for word in line.split()}


@lru_cache(maxsize=1)
def english_dictionary() -> frozenset[str]:
    """Lower-case English words (Webster's list from the english-words package), if installed."""
    try:
        from english_words import get_english_words_set
    except ImportError:
        return frozenset()
    return frozenset(w for w in get_english_words_set(["web2"], lower=False, alpha=True) if w.islower())


class OrdinaryWords:
    """Answers "is this also an ordinary English word?" for names like Hope, Frost or Miles."""

    def __init__(self, extra_words: set[str]):
        self.extra = {w.casefold() for w in extra_words}
        self.dictionary = english_dictionary()

    def __contains__(self, word: str) -> bool:
        w = word.casefold()
        if w in self.extra or w in self.dictionary:
            return True
        # Plurals and verb forms of dictionary words: Miles, Banks, Fields.
        return len(w) > 3 and w.endswith("s") and w[:-1] in self.dictionary
