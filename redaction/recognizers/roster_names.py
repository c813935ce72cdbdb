"""Every name on the school's roster, however it is written: full name, legal or preferred
forename, title and surname, any case, possessive, split over a line, "SURNAME, Forename".

One compiled regex of every name word finds candidates; neighbouring words are then grouped
and matched to a person. A name that is also an ordinary word (Hope, Field, Miles) counts only
where it is written as a name."""

import re
import unicodedata
from dataclasses import dataclass

from redaction.recognizers.person_names import TITLES
from redaction.roster import Roster, RosterPerson
from redaction.vocabulary import OrdinaryWords

ENTITY_OF_KIND = {"pupil": "PUPIL_NAME", "staff": "STAFF_NAME", "parent": "PARENT_NAME"}
KIND_PRIORITY = {"pupil": 0, "parent": 1, "staff": 2}

_TITLE_BEFORE = re.compile(rf"\b({TITLES})\.?\s+$")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“(\[•*\-–—>|\t]|\n)\s*$")
# After a sentence-initial "Hope"/"Will"/"May", these words show the ordinary word is meant.
_ORDINARY_FOLLOWERS = frozenset(
    "you your this that these those to the a an all everyone everybody it its we our they i so for of "
    "in on at if you're you've there their every from".split())
_ORDINARY_BEFORE = frozenset("the a an this that our my your their its of some any every no".split())


@dataclass(frozen=True)
class NameUse:
    """A roster name found in a text."""

    start: int
    end: int
    entity_type: str
    identity: str
    full: bool  # forename and surname, or title and surname: wins over the allow-list
    how: str


def fold(word: str) -> str:
    """Case- and accent-insensitive key: Zając, ZAJAC and zajac are one."""
    decomposed = unicodedata.normalize("NFKD", word.casefold().replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("ł", "l")


class RosterNameMatcher:
    def __init__(self, roster: Roster, ordinary: OrdinaryWords):
        self.people: list[RosterPerson] = roster.people
        self.ordinary = ordinary
        # folded name word -> [(person index, "forename" | "surname")]
        self.index: dict[str, list[tuple[int, str]]] = {}
        surface: set[str] = set()
        for i, person in enumerate(self.people):
            for role, names in (("forename", person.forenames), ("surname", [person.surname])):
                for name in names:
                    for word in _name_words(name):
                        self.index.setdefault(fold(word), []).append((i, role))
                        surface.add(word)
                        surface.add(fold(word))
        words = sorted(surface, key=len, reverse=True)
        # Either apostrophe matches either (O'Rourke, O’Rourke).
        alternation = "|".join(re.escape(w).replace("'", "['’]").replace("’", "['’]") for w in words)
        self.pattern = re.compile(rf"(?<![\w])({alternation})(?![\w])", re.IGNORECASE) if words else None

    def find(self, text: str, person_spans: list[tuple[int, int]]) -> list[NameUse]:
        if self.pattern is None:
            return []
        tokens = [m for m in self.pattern.finditer(text) if fold(m.group()) in self.index]
        uses: list[NameUse] = []
        for group in _groups(text, tokens):
            uses.extend(self._resolve(text, group, person_spans))
        return uses

    def _resolve(self, text: str, group: list[re.Match[str]], person_spans) -> list[NameUse]:
        title = _TITLE_BEFORE.search(text, 0, group[0].start())
        # Longest run of words that are all one person's names.
        i = 0
        uses = []
        while i < len(group):
            for j in range(len(group), i, -1):
                person = self._person_for(group[i:j], title if i == 0 else None)
                if person is not None and (j - i > 1 or (i == 0 and title)):
                    start = title.start() if i == 0 and title else group[i].start()
                    end = group[j - 1].end()
                    p = self.people[person]
                    uses.append(NameUse(start, end, ENTITY_OF_KIND[p.kind], p.key, True,
                                        "roster full name" if j - i > 1 else "roster title and surname"))
                    i = j
                    break
            else:
                use = self._single(text, group[i], person_spans)
                if use:
                    uses.append(use)
                i += 1
        return uses

    def _person_for(self, words: list[re.Match[str]], title: re.Match[str] | None) -> int | None:
        """The person all these words name (forenames then surname, or surname then forenames)."""
        candidates: set[int] | None = None
        for w in words:
            people = {p for p, _ in self.index[fold(w.group())]}
            candidates = people if candidates is None else candidates & people
        if not candidates:
            return None
        roles = [{r for p, r in self.index[fold(w.group())] if p in candidates} for w in words]
        if len(words) > 1 and not any("surname" in r for r in roles):
            # Two forenames of one person ("Katarzyna Kasia") still name them.
            pass
        if len(words) == 1:
            if not title or "surname" not in roles[0]:
                return None
        ranked = sorted(candidates, key=lambda p: self._title_rank(p, title))
        return ranked[0]

    def _title_rank(self, person: int, title: re.Match[str] | None) -> tuple[int, int]:
        p = self.people[person]
        if title is None:
            return (0, KIND_PRIORITY[p.kind])
        same_title = p.title is not None and p.title.rstrip(".").casefold() == title.group(1).casefold()
        # With a title: staff with that title, then parents, then other staff; pupils last.
        order = {"staff": 0 if same_title else 2, "parent": 1, "pupil": 3}
        return (order[p.kind], 0)

    def knows(self, word: str) -> bool:
        return fold(word) in self.index

    def name_at(self, text: str, start: int, end: int) -> NameUse | None:
        """The roster name written at text[start:end], even if it is also an ordinary word: the caller
        has other evidence that it is a name here ("me, Amelia and kit")."""
        m = self.pattern.fullmatch(text, start, end) if self.pattern else None
        return self._single(text, m, [], written_as_name=True) if m and self.knows(m.group()) else None

    def _single(self, text: str, m: re.Match[str], person_spans, written_as_name: bool = False) -> NameUse | None:
        word = m.group()
        entries = self.index[fold(word)]
        possessive = _with_possessive(text, m.end()) > m.end()
        if not written_as_name and (fold(word) in self.ordinary or word.casefold() in self.ordinary):
            # The NER model's view counts when it sees a longer name here, not a lone capital word.
            in_ner = any(s <= m.start() and m.end() <= e and (s, e) != m.span() for s, e in person_spans)
            if not (possessive or in_ner or _written_as_name(text, m)):
                return None
        people = {p for p, _ in entries}
        best = min(people, key=lambda p: (KIND_PRIORITY[self.people[p].kind],
                                          0 if ("forename" in {r for q, r in entries if q == p}) else 1))
        kind = self.people[best].kind
        same_kind = [p for p in people if self.people[p].kind == kind]
        if len(same_kind) == 1:
            identity = self.people[best].key
        else:
            identity = f"{kind}-name:{fold(word)}"
        return NameUse(m.start(), m.end(), ENTITY_OF_KIND[kind], identity, False, "roster name")


def _name_words(name: str) -> list[str]:
    name = re.sub(r"[()\[\]\"]", " ", name)
    words = [w for w in name.split() if len(w) > 1]
    parts = [p for w in words if "-" in w for p in w.split("-") if len(p) > 1]
    return words + parts


def _groups(text: str, tokens: list[re.Match[str]]) -> list[list[re.Match[str]]]:
    """Consecutive name words separated only by spaces, a line break or "SURNAME, Forename"."""
    groups: list[list[re.Match[str]]] = []
    for t in tokens:
        if groups:
            gap = text[groups[-1][-1].end():t.start()]
            if len(gap) <= 3 and re.fullmatch(r"\s+|,\s*|\s*\(\s*", gap) and "\n\n" not in gap:
                groups[-1].append(t)
                continue
        groups.append([t])
    return groups


def _with_possessive(text: str, end: int) -> int:
    if text[end:end + 2] in ("'s", "’s", "'S", "’S"):
        return end + 2
    if text[end:end + 1] in ("'", "’") and text[end - 1:end] in "sS" and not text[end + 1:end + 2].isalpha():
        return end + 1
    return end


def _written_as_name(text: str, m: re.Match[str]) -> bool:
    """Is this ordinary-looking word ("Hope", "Field") used as a name here?"""
    word = m.group()
    if not word[0].isupper():
        return False
    before = text[max(0, m.start() - 40):m.start()]
    prev_word = re.search(r"(\w+)\W*$", before)
    if prev_word and prev_word.group(1).casefold() in _ORDINARY_BEFORE and not _SENTENCE_START.search(before):
        return False
    after = re.match(r"[ \t]+(\S+)", text[m.end():])
    next_word = after.group(1).strip(".,;:!?") if after else ""
    if next_word[:1].isupper() and next_word.isalpha() and not word.isupper():
        return False  # "Field Studies", "Autumn Term": part of a longer capitalised phrase
    if _SENTENCE_START.search(before) or not before:
        return next_word.casefold() not in _ORDINARY_FOLLOWERS
    return True
