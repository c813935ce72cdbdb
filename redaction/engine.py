"""The redaction engine: Presidio with the school's recognizers, the roster and the allow-list.

analyze() says what personal data a text holds; pseudonymise() replaces it with placeholders
that the same PseudonymMap can put back into the answer."""

import hashlib
import logging
import re
from collections import OrderedDict
from dataclasses import replace
from threading import Lock

import spacy
from presidio_analyzer import AnalyzerEngine, RecognizerRegistry, RecognizerResult
from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer
from presidio_analyzer.nlp_engine import NerModelConfiguration, NlpArtifacts, SpacyNlpEngine
from presidio_analyzer.predefined_recognizers import SpacyRecognizer
from spacy.lang.en.stop_words import STOP_WORDS

from redaction.errors import RedactionUnavailable
from redaction.findings import Finding
from redaction.name_company import listed_with_names, parallel_list_lines, repeated, word_lists
from redaction.normalise import normalise
from redaction.person_context import PersonContext
from redaction.pseudonymise import PseudonymisedTexts, PseudonymMap
from redaction.recognizers import (
    BankDetailsRecognizer,
    CandidateNumberRecognizer,
    DateOfBirthRecognizer,
    EmailRecognizer,
    HealthRecognizer,
    NationalInsuranceRecognizer,
    NhsNumberRecognizer,
    ReferenceNumberRecognizer,
    UkPhoneRecognizer,
    UkPostcodeRecognizer,
    UkStreetAddressRecognizer,
    UlnRecognizer,
    UpnRecognizer,
)
from redaction.recognizers.person_names import TITLES, PersonNameRecognizer
from redaction.recognizers.roster_names import RosterNameMatcher
from redaction.recognizers.table_columns import TableColumnRecognizer
from redaction.roster import Roster
from redaction.settings import RedactionSettings
from redaction.vocabulary import (
    OrdinaryWords,
    PhraseMatcher,
    characters_by_surname,
    load_allow_list,
    load_word_file,
)

logger = logging.getLogger(__name__)

# spaCy components that detection does not use; excluding them more than halves the time.
UNUSED_SPACY_COMPONENTS = ["parser", "tagger", "lemmatizer", "attribute_ruler", "senter", "morphologizer"]

# Which finding wins where two overlap: higher first, then the longer.
PRIORITY = {
    "roster full name": 6, "validated": 5, "roster name": 4, "pattern": 4, "health": 3, "table column": 3,
    "title and name": 3, "after a cue": 3, "given name": 2, "in company": 2, "ner": 1,
}
# spaCy labels for things that are not people; a given-name match inside one is not a person.
NOT_PEOPLE = {"ORG", "GPE", "LOC", "FAC", "EVENT", "WORK_OF_ART", "PRODUCT", "LAW", "NORP"}
PLACES = {"GPE", "LOC", "NORP"}
TITLE_WORDS = frozenset(re.findall(r"[A-Za-z]+", TITLES.casefold()))
VALIDATED = {"UPN", "ULN", "NHS_NUMBER", "NI_NUMBER", "EMAIL", "PHONE", "POSTCODE"}
# Context that tells a ULN from an NHS number when ten digits pass both checks.
ID_CONTEXT = {"ULN": re.compile(r"\b(?:ULN|learner)\b", re.I), "NHS_NUMBER": re.compile(r"\bNHS\b", re.I)}


_NAME_BREAK = re.compile(r"\s*[–—,;:|\t\n(]|\s+-\s")
_NEXT_NAME_WORD = re.compile(r" ([^\W\d_][\w'’-]*[^\W\d_])(?![\w'’-])")


class SchoolNlpEngine(SpacyNlpEngine):
    """spaCy with only tok2vec and NER loaded; never downloads a model."""

    def load(self) -> None:
        self.nlp = {}
        for model in self.models:
            try:
                self.nlp[model["lang_code"]] = spacy.load(model["model_name"], exclude=UNUSED_SPACY_COMPONENTS)
            except OSError as exc:
                raise RedactionUnavailable(f"spaCy model {model['model_name']!r} is not installed: {exc}") from exc

    def _doc_to_nlp_artifact(self, doc, language: str) -> NlpArtifacts:
        # No lemmatizer is loaded: lower-cased words stand in for lemmas in context matching.
        entities, scores = self._get_updated_entities(list(doc.ents), [0.85] * len(doc.ents))
        return NlpArtifacts(entities=entities, tokens=doc, tokens_indices=[t.idx for t in doc],
                            lemmas=[t.lower_ for t in doc], nlp_engine=self, language="en", scores=scores)


class ContextWordsEnhancer(LemmaContextAwareEnhancer):
    """Presidio's context-word boost, given only the results of recognizers that have context
    words: it deep-copies what it is given, and names and health terms have none to look for."""

    def enhance_using_context(self, text, raw_results, nlp_artifacts, recognizers, context=None):
        with_context = {r.id for r in recognizers if r.context}
        key = RecognizerResult.RECOGNIZER_IDENTIFIER_KEY
        needs = [r for r in raw_results if r.recognition_metadata.get(key) in with_context]
        rest = [r for r in raw_results if r.recognition_metadata.get(key) not in with_context]
        return super().enhance_using_context(text, needs, nlp_artifacts, recognizers, context) + rest


class RedactionEngine:
    def __init__(self, settings: RedactionSettings | None = None):
        self.settings = settings or RedactionSettings()
        s = self.settings
        nlp_engine = SchoolNlpEngine(
            models=[{"lang_code": "en", "model_name": s.spacy_model}],
            ner_model_configuration=NerModelConfiguration(
                labels_to_ignore=["CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT", "LANGUAGE",
                                  "LAW", "EVENT", "WORK_OF_ART", "PRODUCT", "FAC", "DATE", "TIME",
                                  "NORP", "ORG", "GPE", "LOC"]),
        )
        nlp_engine.load()
        self.health = HealthRecognizer(s.health_vocabulary_path)
        self.health.load()
        registry = RecognizerRegistry(supported_languages=["en"])
        for recognizer in (
            NhsNumberRecognizer(), UlnRecognizer(), UpnRecognizer(), NationalInsuranceRecognizer(),
            UkPostcodeRecognizer(), UkPhoneRecognizer(region=s.phone_region), EmailRecognizer(),
            DateOfBirthRecognizer(), UkStreetAddressRecognizer(), BankDetailsRecognizer(),
            CandidateNumberRecognizer(), ReferenceNumberRecognizer(), TableColumnRecognizer(), self.health,
            SpacyRecognizer(supported_entities=["PERSON"]),
        ):
            registry.add_recognizer(recognizer)
        self.analyzer = AnalyzerEngine(
            registry=registry, nlp_engine=nlp_engine, supported_languages=["en"],
            default_score_threshold=s.score_threshold,
            context_aware_enhancer=ContextWordsEnhancer(context_prefix_count=8),
        )
        self.allow_list = PhraseMatcher(load_allow_list(s.allow_list_path))
        self.ordinary = OrdinaryWords(load_word_file(s.ordinary_words_path))
        self.people = PersonNameRecognizer(load_word_file(s.forenames_path), self.ordinary,
                                           load_word_file(s.surnames_path))
        self.context = PersonContext(self.people.is_name_word)
        characters = characters_by_surname(load_allow_list(s.allow_list_path))
        characters = {surname: given for surname, given in characters.items() if surname.casefold() not in STOP_WORDS}
        self.character_given = {surname.casefold(): PhraseMatcher(given) for surname, given in characters.items()}
        self._rosters: OrderedDict[str, RosterNameMatcher] = OrderedDict()
        self._cache: OrderedDict[tuple[str, str], list[Finding]] = OrderedDict()
        self._lock = Lock()

    # -- detection ---------------------------------------------------------------------------

    def analyze(self, text: str, roster: Roster | None = None) -> list[Finding]:
        """Personal data in text, as non-overlapping findings with offsets into text as given."""
        key = (hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(),
               roster.version if roster else "")
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
                return [f.shifted(f.start, f.end, f.text) for f in cached]
        findings = self._analyze(text, roster)
        if self.settings.cache_size:
            with self._lock:
                self._cache[key] = findings
                while len(self._cache) > self.settings.cache_size:
                    self._cache.popitem(last=False)
        return [f.shifted(f.start, f.end, f.text) for f in findings]

    def _analyze(self, original: str, roster: Roster | None) -> list[Finding]:
        norm = normalise(original)
        text = norm.text
        artifacts = self.analyzer.nlp_engine.process_text(text, "en")
        results = self.analyzer.analyze(text=text, language="en", nlp_artifacts=artifacts,
                                        score_threshold=self.settings.score_threshold)
        # What the NER model calls a place, organisation, event or work is not a given-name match.
        not_people = [e for e in artifacts.tokens.ents if e.label_ in NOT_PEOPLE]
        characters = self._characters_mentioned(text)
        allowed = self.allow_list.spans(text) + characters
        person_spans = [(r.start, r.end) for r in results if r.entity_type == "PERSON"]
        matcher = self._roster_matcher(roster) if roster is not None and roster.people else None
        candidates: list[tuple[int, Finding]] = []

        def add(start: int, end: int, entity: str, score: float, how: str, recognizer: str,
                identity: str | None = None) -> None:
            o_start, o_end = norm.to_original(start, end)
            candidates.append((PRIORITY[how], Finding(o_start, o_end, original[o_start:o_end], entity, score,
                                                      recognizer, identity, explanation=how)))

        names: list[tuple[int, int]] = []  # in text's offsets
        if matcher is not None:
            for use in matcher.find(text, person_spans):
                if not use.full and (_inside_longer(use.start, use.end, allowed)
                                     or _overlaps(use.start, use.end, characters)
                                     or self.context.a_place_here(text, use.start, use.end)):
                    continue
                start, end, entity, identity = self._with_other_surname(text, use, matcher, allowed)
                names.append((start, end))
                add(start, end, entity, 1.0, "roster full name" if use.full else "roster name",
                    "RosterNameMatcher", identity)
        for start, end, score, how in self.people.find(text):
            if self._allowed(text, start, end, allowed) or how in ("given name", "after a cue") and (
                    how == "given name" and _named_as_a_thing(start, end, text, not_people)
                    or self.context.not_a_person(text, start, end)):
                continue
            names.append((start, end))
            add(start, end, "PERSON", score, how, "PersonNameRecognizer")
        health = []
        not_names: list[tuple[int, int]] = []  # addresses, postcodes, numbers: no list of names touches them
        for r in results:
            name = r.recognition_metadata.get(RecognizerResult.RECOGNIZER_NAME_KEY, "")
            if r.entity_type == "PERSON_IN_TABLE":
                if not self._allowed(text, r.start, r.end, allowed):
                    names.append((r.start, r.end))
                    add(r.start, r.end, "PERSON", r.score, "table column", name)
            elif r.entity_type == "PERSON":
                # The small model runs a name on over a dash or comma ("Lucy Hart – Teaching").
                cut = _NAME_BREAK.search(text, r.start, r.end)
                if cut:
                    r.end = cut.start()
                r.start, r.end = self._name_part(text, r.start, r.end)
                if (r.end <= r.start or self._allowed(text, r.start, r.end, allowed)
                        or text[r.start:r.end].islower() and not _mostly_lowercase(text)
                        or self.context.not_a_person(text, r.start, r.end)
                        or _in_brackets_after_a_place(text, r.start, not_people)):
                    continue
                names.append((r.start, r.end))
                add(r.start, r.end, "PERSON", r.score, "ner", name)
            elif r.entity_type == "HEALTH":
                if not _overlaps(r.start, r.end, allowed):
                    health.append(r)
            else:
                score = r.score
                if r.entity_type in ID_CONTEXT and ID_CONTEXT[r.entity_type].search(text, max(0, r.start - 60),
                                                                                   r.start):
                    score += 0.1
                how = "validated" if r.entity_type in VALIDATED else "pattern"
                add(r.start, r.end, r.entity_type, score, how, name)
                not_names.append((r.start, r.end))
        for start, end in self._in_company_of(text, names, allowed, matcher, not_people, not_names):
            entity, identity = self._name_kind(text, start, end, matcher)
            add(start, end, entity, 0.6, "in company", "NameCompany", identity)
        if health and (names or person_spans or self.health.is_about_a_person(text)):
            for r in health:
                name = r.recognition_metadata.get(RecognizerResult.RECOGNIZER_NAME_KEY, "")
                add(r.start, r.end, "HEALTH", r.score, "health", name)
        return _resolve(candidates)

    def _with_other_surname(self, text: str, use, matcher: RosterNameMatcher, allowed) -> tuple:
        """A roster forename with someone else's surname ("Amelia Pennycook" when the pupil is Amelia
        Thorncroft) names another person: the whole name goes, as a person not on the roster."""
        if use.full:
            return use.start, use.end, use.entity_type, use.identity
        after = _NEXT_NAME_WORD.match(text, use.end)
        if after and self._could_be_surname(after.group(1)) and not _overlaps(use.start, after.end(), allowed):
            return use.start, after.end(), "PERSON", None
        return use.start, use.end, use.entity_type, use.identity

    def _could_be_surname(self, word: str) -> bool:
        return (word[0].isupper() and not word.isupper() and word.casefold() not in self.ordinary
                and word.casefold() not in PersonNameRecognizer.CALENDAR_WORDS)

    def _lists_of_surnames(self, text: str, not_people, not_names) -> list[tuple[int, int]]:
        """"Okonjo, Lindqvist and Trevisan": a list of capitalised words that are no English words, most
        of them known surnames, and none a place, is a list of people."""
        found = []
        places = [(n.start_char, n.end_char) for n in not_people if n.label_ in PLACES]
        for spans in word_lists(text):
            words = [text[s:e] for s, e in spans]
            known = [self.people.is_name_word(w) for w in words]
            if any(_overlaps(s - 3, e + 3, not_names) for s, e in spans):
                continue  # "12 Mill Lane, Truro TR1 2AB": part of an address
            if (len(words) >= 2 and sum(known) * 2 >= len(words)
                    and all(w[0].isupper() and not w.isupper() and w.casefold() not in STOP_WORDS
                            and (k or w.casefold() not in self.ordinary) for w, k in zip(words, known, strict=True))
                    and any(w.casefold() not in self.ordinary for w in words)):
                found.extend(span for span in spans if not _overlaps(*span, places))  # "Truro, Penzance and Hayle"
        return found

    def _in_company_of(self, text: str, names: list[tuple[int, int]], allowed, matcher,
                       not_people, not_names) -> list[tuple[int, int]]:
        """Names known by the company they keep: listed beside a name, or a name word written again."""
        found: list[tuple[int, int]] = []
        taken = names + allowed
        places = [(e.start_char, e.end_char) for e in not_people if e.label_ in PLACES]
        for start, end in [*listed_with_names(text, names), *parallel_list_lines(text, names),
                           *self._lists_of_surnames(text, not_people, not_names)]:
            if _overlaps(start, end, taken) or not self._listed_word_is_a_name(text[start:end], matcher):
                continue
            if not (matcher is not None and matcher.knows(text[start:end].split()[0])) and (
                    self.context.not_a_person(text, start, end)
                    or _overlaps(start, end, places) and _placed(text, start, end, before_only=True)):
                continue
            found.append((start, end))
            taken.append((start, end))
        words = set()
        for start, end in names + found:
            for word in re.findall(r"[^\W\d_][\w'’-]*", text[start:end]):
                word = re.sub(r"['’]s$", "", word)
                if len(word) < 3 or word.isupper() or (word.casefold() in self.ordinary and not word.islower()):
                    continue
                if word.casefold() not in PersonNameRecognizer.CALENDAR_WORDS and word.casefold() not in TITLE_WORDS:
                    words.add(word)
        found.extend(repeated(text, words, taken + found))
        return found

    def _listed_word_is_a_name(self, words: str, matcher: RosterNameMatcher | None) -> bool:
        first = words.split()[0]
        key = first.casefold()
        if matcher is not None and matcher.knows(first):
            return True
        if key in PersonNameRecognizer.CALENDAR_WORDS:
            return False
        if first.isupper() and len(first) > 1 or key in STOP_WORDS or re.search(r"['’](?:m|re|ve|ll|d)$", key):
            return False  # a heading or an acronym (ULN, SEND), or a little word ("I'm"), not a name
        if first[0].isupper():
            return key not in self.ordinary or key in self.people.forenames and key not in self.ordinary.extra
        return key in self.people.forenames and key not in self.ordinary

    def _name_kind(self, text: str, start: int, end: int, matcher) -> tuple[str, str | None]:
        use = matcher.name_at(text, start, end) if matcher is not None else None
        return (use.entity_type, use.identity) if use else ("PERSON", None)

    def _characters_mentioned(self, text: str) -> list[tuple[int, int]]:
        """"Ron" alone is allowed where a text also names the Weasleys: the given names of
        allow-listed characters whose surname the text mentions."""
        surnames = {w.casefold() for w in re.findall(r"[^\W\d_]+", text)} & self.character_given.keys()
        return [span for surname in surnames for span in self.character_given[surname].spans(text)]

    def _allowed(self, text: str, start: int, end: int, allowed: list[tuple[int, int]]) -> bool:
        """Is this name an allow-listed one? Yes if allowed phrases cover it but for titles and ordinary
        words ("Queen Victoria's"); no if a given name is left ("Dr Ana Holst" is not the composer)."""
        inside = [(max(s, start), min(e, end)) for s, e in allowed if s < end and start < e]
        if not inside:
            return False
        rest = text[start:end]
        for s, e in sorted(inside, reverse=True):
            rest = rest[:s - start] + " " + rest[e - start:]
        return not any(w.casefold() not in TITLE_WORDS and (w.casefold() in self.people.forenames
                                                            or w.casefold() not in self.ordinary)
                       for w in re.findall(r"[^\W\d_]{2,}", re.sub(r"['’]s\b", "", rest)))

    def _name_part(self, text: str, start: int, end: int) -> tuple[int, int]:
        """The part of an NER span that can be a name: ordinary words before it are cut off
        ("ex-Teacher Halvorsen" -> "Halvorsen"), and after it if they are the next field of a layout;
        an ordinary word left inside means it is no name at all ("Billy Goats Gruff", "Discipline")
        and the span comes back empty."""
        if re.search(r"[/@\d]", text[start:end]):
            return start, start  # "yyyy/mm/dd": a name has no digits or slashes
        words = [m for m in re.finditer(r"[^\W\d_][\w'’-]*", text[start:end])
                 if len(m.group().rstrip(".")) > 1]  # initials say nothing
        ordinary = [self._ordinary_word(re.sub(r"['’]s$", "", m.group())) for m in words]
        while words and ordinary[0]:
            words.pop(0), ordinary.pop(0)
        span = text[start:end]
        while len(words) > 1 and ordinary[-1] and re.search(r"\n|\t| {2}", span[words[-2].end():words[-1].start()]):
            words.pop(), ordinary.pop()  # "Ana Reis\nEmployment": the next field of a layout
        if not words or any(ordinary):
            return start, start
        cut_start = start + words[0].start() if _has_a_word(span[:words[0].start()]) else start
        cut_end = start + words[-1].end() if _has_a_word(re.sub(r"['’]s", "", span[words[-1].end():])) else end
        return cut_start, cut_end

    def _ordinary_word(self, word: str) -> bool:
        parts = word.split("-")
        return all(p.casefold() in self.ordinary and not self.people.is_name_word(p) for p in parts if p)

    def _roster_matcher(self, roster: Roster) -> RosterNameMatcher:
        with self._lock:
            matcher = self._rosters.get(roster.version)
            if matcher is not None:
                self._rosters.move_to_end(roster.version)
                return matcher
        matcher = RosterNameMatcher(roster, self.ordinary)
        with self._lock:
            self._rosters[roster.version] = matcher
            while len(self._rosters) > 8:
                self._rosters.popitem(last=False)
        return matcher

    # -- pseudonymisation ---------------------------------------------------------------------

    def pseudonymise(
        self,
        texts: list[str],
        roster: Roster | None = None,
        mapping: PseudonymMap | None = None,
        keep_categories: frozenset[str] = frozenset(),
    ) -> PseudonymisedTexts:
        """Replace personal data with placeholders, numbered by first appearance in texts."""
        mapping = mapping if mapping is not None else PseudonymMap()
        out_texts: list[str] = []
        replaced: list[Finding] = []
        for index, text in enumerate(texts):
            findings = [f for f in self.analyze(text, roster) if f.category not in keep_categories]
            pieces, last = [], 0
            # Findings are copied, never changed in place: other threads may hold the same ones.
            findings = [replace(f, index=index) for f in findings]
            for f in findings:
                pieces.append(text[last:f.start])
                pieces.append(mapping.placeholder_for(f))
                last = f.end
            pieces.append(text[last:])
            out_texts.append("".join(pieces))
            replaced.extend(findings)
        return PseudonymisedTexts(texts=out_texts, mapping=mapping, findings=replaced)


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in spans)


def _named_as_a_thing(start: int, end: int, text: str, entities) -> bool:
    """One given name that the NER model sees as part of a longer organisation or place ("Thomas and
    Sons"), or as a place itself ("France"). A forename and surname stay a name whatever it says
    ("Lars Berglund" as a building, "Ana Reis  Staff" as a company)."""
    if len(text[start:end].split()) > 1:
        return False
    return any(e.start_char < end and start < e.end_char
               and (e.end_char - e.start_char > end - start or e.label_ in PLACES and _placed(text, start, end))
               for e in entities)


def _placed(text: str, start: int, end: int, before_only: bool = False) -> bool:
    """Written where a place goes: after "in", "from", "to"..., or before a comma and another place
    ("Truro, Cornwall")."""
    return bool(re.search(r"\b(?:in|at|from|to|near|of|via|across|around|outside)\s+$", text[max(0, start - 12):start],
                          re.IGNORECASE)
                or not before_only and re.match(r"\s*(?:,|\s{2,}|\?)\s*[A-Z]", text[end:end + 6]))


def _has_a_word(text: str) -> bool:
    return re.search(r"[^\W\d_]{2,}", text) is not None


def _mostly_lowercase(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return sum(c.isupper() for c in letters) < len(letters) * 0.03


def _in_brackets_after_a_place(text: str, start: int, entities) -> bool:
    """"Spain (Seville)": a town in brackets after a country."""
    bracket = re.search(r"\s*\(\s*$", text[max(0, start - 4):start])
    if not bracket:
        return False
    before = max(0, start - 4) + bracket.start()
    return any(e.end_char == before and e.label_ in PLACES for e in entities)


def _inside_longer(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= start and end <= e and (e - s) > (end - start) for s, e in spans)


def _resolve(candidates: list[tuple[int, Finding]]) -> list[Finding]:
    """Keep the strongest of overlapping findings; return them in text order."""
    chosen: list[Finding] = []
    for _, f in sorted(candidates, key=lambda c: (-c[0], -c[1].score, -(c[1].end - c[1].start))):
        if f.end > f.start and not any(c.start < f.end and f.start < c.end for c in chosen):
            chosen.append(f)
    return sorted(chosen, key=lambda f: f.start)
