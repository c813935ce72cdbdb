"""Names known by the company they keep: a word listed alongside a name ("me, [Amelia] and kit",
"Halloran and [Ortiz] founded it", "[Ruby] 17/20, willow 15/20") is a name too, and a name word
found once is a name wherever else it is written in the same text ("From: Amir Rauf ... Rauf
Tuition")."""

import re
from collections.abc import Iterator

_WORD = r"(?!(?:and|or|with|the|a|an)\b)[^\W\d_][\w'’-]*"
# An item: one to three words, then perhaps a mark or a class code ("17/20", "(5HW)").
_ITEM = rf"{_WORD}(?:[ \t]{_WORD}){{0,2}}(?:[ \t]+(?:\d[\d/%.:]*|\([A-Za-z0-9 ]{{1,8}}\)))?"
_SEPARATOR = r"[ \t]*[,;&+][ \t]*(?:(?:and|or|&)[ \t]+)?|[ \t]+(?:and|or|&)[ \t]+"
LIST = re.compile(rf"(?<![\w'’-])(?:{_ITEM})(?:(?:{_SEPARATOR})(?:{_ITEM}))+")
SEPARATOR = re.compile(_SEPARATOR)
WORD = re.compile(r"[^\W\d_][\w'’-]*")
# Oneself, in a list of people: "me, Ruby and Kit".
SELF = frozenset({"me", "i", "myself"})
# After these a repeated word is a thing, not the name: "the rose", "my rose", "PE bag".
NOT_A_NAME_BEFORE = re.compile(r"(?<![\w])(?:the|a|an|my|your|his|her|our|their|this|that|PE|some|any)\s+$",
                               re.IGNORECASE)


def listed_with_names(text: str, names: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """Word spans that stand in a list beside a known name: in an item after the name its first
    words, in an item before the name its last words, written the same way (capitalised or not)."""
    for run in LIST.finditer(text):
        items = _items(text, run)
        anchors = [i for i, item in enumerate(items) if _is_anchor(text, item, names)]
        if not anchors:
            continue
        for i, item in enumerate(items):
            if i in anchors:
                continue
            words = list(WORD.finditer(text, *item))
            if i > anchors[0]:
                yield _name_words(words)
            else:
                start, end = _name_words(words[::-1])
                yield min(start, end), max(start, end)


def word_lists(text: str) -> Iterator[list[tuple[int, int]]]:
    """Lists of single words ("Okonjo, Lindqvist and Trevisan were there"): the last word of the first
    item and the first word of each other item."""
    for run in LIST.finditer(text):
        items = _items(text, run)
        words = [list(WORD.finditer(text, *item)) for item in items]
        yield [ws[-1].span() if i == 0 else ws[0].span() for i, ws in enumerate(words) if ws]


def _items(text: str, run: re.Match[str]) -> list[tuple[int, int]]:
    items, start = [], run.start()
    for separator in SEPARATOR.finditer(text, run.start(), run.end()):
        items.append((start, separator.start()))
        start = separator.end()
    items.append((start, run.end()))
    return items


def _is_anchor(text: str, item: tuple[int, int], names: list[tuple[int, int]]) -> bool:
    words = WORD.findall(text, *item)
    return (words[0].casefold() in SELF or words[-1].casefold() in SELF
            or any(item[0] <= s and e <= item[1] for s, e in names))


def _name_words(words: list[re.Match[str]]) -> tuple[int, int]:
    """The first word, and the next one too if both are capitalised ("Lena Ortiz")."""
    first = words[0]
    if len(words) > 1 and first.group()[0].isupper() and words[1].group()[0].isupper():
        a, b = sorted((first, words[1]), key=lambda m: m.start())
        return a.start(), b.end()
    return first.start(), first.end()


# A list line: a bullet or number, perhaps a time, then the entry ("- 8:45 Lena Ortiz, plumber").
LIST_LINE = re.compile(r"^[ \t]*(?:[-•*]|\d{1,2}[.)])[ \t]+(?:\d{1,2}[:.]\d{2}(?:[ \t]*[ap]\.?m\.?)?[ \t]+)?",
                       re.MULTILINE | re.IGNORECASE)
_LINE_NAME = re.compile(r"[A-Z][\w'’-]+(?:[ \t][A-Z][\w'’-]+)?")


def parallel_list_lines(text: str, names: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """In a list whose entries mostly start with a name, an entry that starts with capitalised
    words starts with a name too."""
    starts = [m.end() for m in LIST_LINE.finditer(text)]
    with_name = [p for p in starts if any(s == p for s, _ in names)]
    if len(starts) < 3 or len(with_name) * 2 < len(starts):
        return
    for p in starts:
        if p not in with_name:
            m = _LINE_NAME.match(text, p)
            if m:
                yield m.span()


def repeated(text: str, words: set[str], taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Other places these name words are written, as written (case-sensitive), not after "the"."""
    found: list[tuple[int, int]] = []
    if not words:
        return found
    for m in WORD.finditer(text):
        word = m.group()
        if word not in words and (word[-2:] not in ("'s", "’s") or word[:-2] not in words):
            continue
        end = m.end() - (0 if word in words else 2)
        if any(s < end and m.start() < e for s, e in taken):
            continue
        if NOT_A_NAME_BEFORE.search(text, max(0, m.start() - 12), m.start()):
            continue
        found.append((m.start(), end))
    return found
