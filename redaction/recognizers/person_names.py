"""People who are not on the roster, beyond what the NER model finds: a title and a name
("Dr Imani Okafor", "Mrs Pollard"), a known given name followed by a surname ("Lars Berg"), a name
after words that introduce one ("my name is", "Child:", "my coach"), and a lower-case given name
and surname in a pupil's typing ("my coach dave okonjo")."""

import re
import unicodedata

from spacy.lang.en.stop_words import STOP_WORDS

from redaction.person_context import PLACE_OR_ORG
from redaction.vocabulary import OrdinaryWords

TITLES = (r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Sir|Dame|Rev|Revd|Reverend|Fr|Father|Sister|Nurse|Coach|"
          r"Uncle|Auntie|Aunty)")
_WORD = r"[A-Z][A-Za-z'’\-]*[a-z][A-Za-z'’\-]*|[A-Z]{2,}(?:-[A-Z]+)?"  # Capitalised or ALL-CAPS
_NAME_WORD = re.compile(rf"(?:{_WORD})")


class PersonNameRecognizer:
    """Title + name, and gazetteer given names. Returns (start, end, score, how) tuples."""

    # The title in any case ("mrs Okafor", "ms. Lind"), the name capitalised.
    TITLE_NAME = re.compile(
        rf"\b(?:{TITLES}|(?i:mr|mrs|ms|mx|dr|miss)\b)\.?[ \t]+(?:{_WORD})(?:[ \t]+(?:{_WORD})){{0,2}}")
    WORD = re.compile(r"[^\W\d_][\w'’\-]*")
    # Words that end a name when they follow it capitalised ("Dr Patel Surgery", "Mr Singh Class").
    NOT_SURNAME = {"surgery", "school", "class", "group", "team", "house", "centre", "center", "road",
                   "street", "primary", "academy", "college", "trust", "ward", "clinic", "hospital", "and"}

    CALENDAR_WORDS = {"january", "february", "march", "april", "may", "june", "july", "august", "september",
                      "october", "november", "december", "monday", "tuesday", "wednesday", "thursday",
                      "friday", "saturday", "sunday", "christmas", "easter"}

    # Words that introduce a name: a form label ("Child: ", "Emergency contact - "), "my name is",
    # "call me", or a person's role ("my coach", "her tutor").
    CUE = re.compile(
        r"(?=[^\W\d_])"  # every cue starts with a letter: saying so first makes the scan three times faster
        r"(?:(?<![\w])(?:(?:full |first |last |child'?s |pupil'?s |maiden )?name|surname|forenames?|child|pupil|"
        r"student|parent|carer|parent/carer|guardian|mother|father|mum|dad|contact|emergency contact|tutor|"
        r"from|to|cc|referrer|visitor|coach|user|customer|client|patient|applicant|author|host|guest|member|"
        r"employee|account holder)\s*[:\-–]\s*"
        r"|\b(?:my|his|her|their|our|your) (?:(?:first |last |full |maiden |sur)?name|surname) (?:is|was)\s+"
        r"|\b(?:first |last |sur)name\?\s+"
        r"|\b(?:call(?:s|ed)? me|i am called|i'm called|(?:is|was|am|are) (?:named|called))\s+"
        r"|\b(?:written|directed|produced|composed|painted|illustrated|edited|narrated|performed|sung|founded|"
        r"translated|signed|reported|referred|assessed|seen|taught|coached) by:?\s+"
        r"|\b(?:my|his|her|their|our) (?:kid|son|daughter|child|baby|husband|wife|partner)\s+(?=[A-Z])"
        r"|\b(?:said|asked|replied|shouted at|shouted|whispered|told|thanked|emailed|texted|phoned|rang)\s+(?=[A-Z])"
        r"|\b(?:my|his|her|their|our) (?:coach|tutor|friend|best friend|neighbour|cousin|uncle|aunt|auntie|"
        r"grandad|grandpa|granddad|grandma|gran|nan|nanna|stepdad|stepmum|childminder|boyfriend|girlfriend|"
        r"brother|sister|mate)(?:'s name is|,)?\s+"
        r"|\b(?:girl|boy|pupil|child|student|man|woman|lady|gentleman|visitor|friend|neighbour|cousin|nephew|"
        r"niece|son|daughter|brother|sister|husband|wife|partner),\s+(?=[A-Z][a-z]+,))",
        re.IGNORECASE)

    # A person's actions after a name: "Ana Lopes lives on...", "Dr Obi explained...".
    NAME_THEN_VERB = re.compile(
        r"((?:[A-Z][^\W\d_]+[ \t]+(?:[A-Z]\.?[ \t]+)?){0,2}[A-Z][^\W\d_'’]+)(?:['’]s)?[ \t]+"
        r"(?=(?:lives|lived|works|worked|said|says|told|explained|wrote|writes|shouted|whispered|replied|"
        r"asked|began|is from|was born|had given|has given|spent|died|married|sang|sings)\b)")
    # A speaker in a script or chat: "Ana: What a day." at the start of a line or sentence.
    SPEAKER = re.compile(r"(?:^|(?<=[.!?\"”]\s)|(?<=\n))([A-Z][^\W\d_]+(?:[ ][A-Z][^\W\d_]+)?):[ \t]*(?=[\"“A-Z])",
                         re.MULTILINE)
    TWO_CAPITALISED = re.compile(r"(?<![\w'’-])([A-Z][^\W\d_]+)[ ]([A-Z][^\W\d_]+)(?![\w-])")
    # Someone spoken to at the start of a message: "Ana, can you...", "Tomasz, thanks for...".
    VOCATIVE = re.compile(r"(?:^|(?<=\n))(?:(?i:hi|hello|dear|hey)\s+)?([A-Z][^\W\d_]+),\s+"
                          r"(?=(?i:can|could|would|will|please|thanks|thank|just|i|we|are|is|do|did)\b)")
    # A name with a family member: "Asha's kid", "Tomasz's mum".
    FAMILY_OF = re.compile(r"\b([A-Z][^\W\d_]+)['’]s\s+(?=(?:kid|kids|son|daughter|child|children|baby|mum|mom|dad|"
                           r"mother|father|wife|husband|partner|brother|sister|nan|gran|grandma|grandad|aunt|uncle|"
                           r"cousin|funeral|birthday)\b)")
    # "Ana K. Lopes", "Ana K Lopes": given name, initial, surname.
    MIDDLE_INITIAL = re.compile(r"\b[A-Z][^\W\d_]+[ \t]+[A-Z]\.?[ \t]+[A-Z][^\W\d_'’-]+(?:-[A-Z][^\W\d_]+)?")

    def __init__(self, forenames: set[str], ordinary: OrdinaryWords, surnames: set[str] | None = None):
        self.forenames = {n.casefold() for n in forenames}
        self.surnames = {n.casefold() for n in surnames or ()}
        self.ordinary = ordinary

    def is_name_word(self, word: str) -> bool:
        w = _plain(word.casefold())
        return w in self.forenames or w in self.surnames

    def find(self, text: str) -> list[tuple[int, int, float, str]]:
        found = []
        for m in self.TITLE_NAME.finditer(text):
            words = list(self.WORD.finditer(text, m.start(), m.end()))[1:]
            kept = []
            for w in words:
                if w.group().casefold() in self.NOT_SURNAME:
                    break
                kept.append(w)
            if kept:
                found.append((m.start(), kept[-1].end(), 0.7, "title and name"))
        for m in self.WORD.finditer(text):
            word = m.group()
            key = word.casefold().rstrip("'’s") if word.endswith(("'s", "’s")) else word.casefold()
            if _plain(key) not in self.forenames or key in self.CALENDAR_WORDS:
                continue
            capitalised = word[0].isupper()
            # Mid-sentence, a capitalised given name is a name even if a dictionary lists the word
            # (Lars, Will); only the everyday words that double as names (May, Mark) are not.
            preceding = text[:m.start()].rstrip(" \t\"'“(")
            at_start = not preceding or preceding[-1] in ".!?:;\n-•*|"
            # Lower-case, only a word that is nothing but a name ("my", "in" are given names too).
            ordinary = key in self.ordinary.extra or ((at_start or not capitalised) and key in self.ordinary)
            if ordinary and capitalised and self._surname_follows(text, m.end()):
                ordinary = False  # "Fletcher Adeyemi", "Hope Nakashima": an ordinary word, then a surname
            if key in STOP_WORDS and not self._surname_follows(text, m.end()):
                continue  # "Can I", "My Baby": a given name that is also a little word needs a surname
            if word.isupper() and len(word) > 1 and not text.isupper():
                continue  # "PA", "HENRY" in an address block, not a name written in capitals
            if ordinary or not capitalised and not _lowercase_text(text):
                continue
            end = m.end()
            # Extend over a following surname: capitalised, or any word if the writer uses no capitals.
            for n in self.WORD.finditer(text, end):
                gap = text[end:n.start()]
                nxt = n.group()
                if gap not in (" ", "\t") or nxt.casefold() in self.NOT_SURNAME or PLACE_OR_ORG.fullmatch(nxt):
                    break
                if nxt[0].isupper() and nxt.casefold() in STOP_WORDS and nxt.casefold() not in self.surnames:
                    end = -1  # "Carry Me Back To Poland": a title in title case, not a name
                    break
                if nxt[0].isupper() and nxt.casefold() in self.ordinary and not self.is_name_word(nxt):
                    end = -1  # "Billy Goats Gruff": a capitalised ordinary word makes a title, not a name
                    break
                if nxt[0].isupper() or (not capitalised and nxt.casefold() not in self.ordinary):
                    end = n.end()
                    if end - m.start() > 40:
                        break
                    continue
                break
            if end > 0:
                found.append((m.start(), end, 0.6, "given name"))
        for m in (*self.SPEAKER.finditer(text), *self.VOCATIVE.finditer(text), *self.FAMILY_OF.finditer(text)):
            if all(w.casefold() not in self.ordinary and w.casefold() not in STOP_WORDS for w in m.group(1).split()):
                found.append((*m.span(1), 0.6, "given name"))
        found.extend(self._after_cue(text))
        for m in self.TWO_CAPITALISED.finditer(text):
            # "Calla Moreno": an unknown capitalised word, then a known surname; neither an English word
            first, second = m.group(1), m.group(2)
            if first.isupper() or second.isupper() or first.casefold() in STOP_WORDS:
                continue
            unknown = first.casefold() not in self.ordinary and second.casefold() not in self.ordinary
            # A known surname after an unknown word, or two unknown words written in another
            # language's letters ("Ildikó Farkasné"): neither is English.
            if unknown and (_plain(second.casefold()) in self.surnames or not (first + second).isascii()):
                found.append((m.start(), m.end(), 0.55, "given name"))
        for pattern in (self.NAME_THEN_VERB, self.MIDDLE_INITIAL):
            for m in pattern.finditer(text):
                start, end = m.span(1) if pattern.groups else m.span()
                words = text[start:end].split()
                if all(len(w) > 2 and w.casefold() in self.ordinary for w in words) or words[0].isupper():
                    continue
                if (words[0].casefold() in self.ordinary and words[0].casefold() not in self.forenames
                        and (pattern is self.NAME_THEN_VERB or words[-1].casefold() in self.ordinary)):
                    if len(words) == 1 or pattern is self.MIDDLE_INITIAL:
                        continue  # "Block C Road"
                    start = text.index(words[1], start)  # "Yesterday Ana Lopes said"
                found.append((start, end, 0.6, "given name"))
        found.extend(self._lowercase_pairs(text))
        return found

    def _surname_follows(self, text: str, end: int) -> bool:
        nxt = re.match(r" ([A-Z][^\W\d_'’-]+)", text[end:end + 30])
        return bool(nxt) and nxt.group(1).casefold() in self.surnames and nxt.group(1).casefold() not in STOP_WORDS

    def _after_cue(self, text: str) -> list[tuple[int, int, float, str]]:
        """One to three name words after a cue: capitalised, or lower-case if not ordinary words."""
        found = []
        for cue in self.CUE.finditer(text):
            end = start = cue.end()
            for n in self.WORD.finditer(text, start):
                if text[end:n.start()] not in ("", " ", "\t") or n.start() - start > 40:
                    break
                word = n.group()
                key = word.casefold().removesuffix("'s").removesuffix("’s")
                if key in self.NOT_SURNAME or key in self.CALENDAR_WORDS:
                    break
                if (word[0].isupper() and not word.isupper()
                        or key not in self.ordinary and key not in STOP_WORDS and not any(c.isdigit() for c in key)):
                    end = n.end()
                    continue
                break
            if end > start:
                found.append((start, end, 0.6, "after a cue"))
        return found

    def _lowercase_pairs(self, text: str) -> list[tuple[int, int, float, str]]:
        """"dave okonjo": a lower-case given name then a lower-case surname, neither an ordinary word."""
        found = []
        words = list(self.WORD.finditer(text))
        for a, b in zip(words, words[1:], strict=False):
            first, second = a.group(), b.group()
            if first not in self.forenames or not second.islower() or text[a.end():b.start()] != " ":
                continue
            if (first in self.forenames and first not in self.ordinary
                    and second.removesuffix("'s") in self.surnames and second.removesuffix("'s") not in self.ordinary):
                found.append((a.start(), b.end(), 0.6, "given name"))
        for a, b, c in zip(words, words[1:], words[2:], strict=False):
            # "ana k lopes": a given name, an initial, a word that is no ordinary word
            first, initial, last = a.group(), b.group(), c.group()
            if (len(initial) == 1 and first in self.forenames and first.islower() and last.islower()
                    and first not in self.ordinary and last not in self.ordinary and c.start() - a.end() <= 5):
                found.append((a.start(), c.end(), 0.6, "given name"))
        return found


def _plain(word: str) -> str:
    """Without accents, so "Júlia" is found as "Julia" (ASCII words are returned as they are)."""
    if word.isascii():
        return word
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def _lowercase_text(text: str) -> bool:
    """True if the writer does not use capitals (a pupil typing quickly)."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) < len(letters) * 0.01
