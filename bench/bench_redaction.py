"""Redaction speed, side by side with spaCy NER alone on the same text.

    .venv/bin/python bench/bench_redaction.py [--roster-dir DIR]

Texts and the default roster are made up here (a fictional school), not taken from evals/.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

import spacy

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from redaction import PseudonymMap, RedactionEngine, RedactionSettings, Roster, RosterPerson  # noqa: E402
from redaction.engine import UNUSED_SPACY_COMPONENTS  # noqa: E402

FORENAMES = ["Oliver", "Isla", "Noah", "Ava", "Leo", "Freya", "Arlo", "Maya", "Reuben", "Esme", "Kai", "Nia",
             "Yusuf", "Hannah", "Rory", "Priya", "Theo", "Lola", "Dominic", "Wren"]
SURNAMES = ["Ashworth", "Pemberton", "Okafor", "Lindqvist", "Hargreaves", "Nakamura", "Sutcliffe", "Brennan",
            "Whitaker", "Castellano", "Dunmore", "Mahmood", "Thornley", "Ferreira", "Kowalczyk"]


def fictional_roster() -> Roster:
    people = [RosterPerson(kind="pupil", forenames=[f], surname=s) for s in SURNAMES for f in FORENAMES[:8]]
    people += [RosterPerson(kind="staff", forenames=[f], surname=s, title="Ms") for f, s in
               zip(FORENAMES[8:], SURNAMES, strict=False)]
    people += [RosterPerson(kind="parent", forenames=[f], surname=s)
               for f, s in zip(FORENAMES[4:], SURNAMES, strict=False)]
    return Roster(people=people)


PARAGRAPH = (
    "Can you help me write a warm report comment for Isla Pemberton in 4B? She has worked hard on her "
    "times tables this half term and Ms Thornley says her reading has come on well. Her mum, Esme "
    "Pemberton, asked whether we could call her on 07700 900456 about the trip to the Eden Project. "
    "Isla has asthma and keeps a blue inhaler in class. I hope the comment can mention her lovely "
    "poem about Florence Nightingale and her work on fractions in Year 4. "
)
TEXT_1KB = (PARAGRAPH * 3)[:1024]
TEXT_200 = PARAGRAPH[:200]


def timed_pair(baseline, fn, text: str, repeat: int) -> tuple[list[float], list[float]]:
    """Times of baseline and fn on the same texts, taken turn about, so a busy shared machine
    slows both alike rather than whichever happened to run during the busy spell."""
    times: tuple[list[float], list[float]] = ([], [])
    for i in range(repeat):
        for f, out in ((baseline, times[0]), (fn, times[1])):
            t = time.perf_counter()
            f(text + f" #{i}")  # a new text each time: no cache hits
            out.append((time.perf_counter() - t) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--roster-dir", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args()
    roster = (Roster.from_mis_csv(args.roster_dir / "roster.csv", args.roster_dir / "staff.csv",
                                  args.roster_dir / "contacts.csv") if args.roster_dir else fictional_roster())
    settings = RedactionSettings()
    nlp = spacy.load(settings.spacy_model, exclude=UNUSED_SPACY_COMPONENTS)
    engine = RedactionEngine(settings)
    engine.pseudonymise(["warm up " + TEXT_1KB], roster)
    for _ in range(3):
        nlp(TEXT_1KB)

    def whole(text: str) -> None:
        engine.pseudonymise([text], roster)

    ner_1k, eng_1k = timed_pair(nlp, whole, TEXT_1KB, args.repeat)
    ner_200, eng_200 = timed_pair(nlp, whole, TEXT_200, args.repeat)

    # A conversation: each turn resends the whole history plus one new message, and the gateway
    # pseudonymises all of it with the conversation's map. Earlier messages hit the engine's cache;
    # what grows with the turn number is the cost of the history. Each repeat is a new conversation
    # (new texts, new map), so the newest message is never a cache hit.
    conversation_turns = (2, 20)
    turn_ms: dict[int, list[float]] = {turn: [] for turn in conversation_turns}
    for repeat in range(max(5, args.repeat // 4)):
        messages = [f"Conversation {repeat}, message {i}: " + PARAGRAPH[:300] for i in range(20)]
        mapping = PseudonymMap()
        for turn in range(1, 21):
            t = time.perf_counter()
            engine.pseudonymise(messages[:turn], roster, mapping)
            if turn in turn_ms:
                turn_ms[turn].append((time.perf_counter() - t) * 1000)

    p50 = statistics.median
    print(f"roster: {len(roster.people)} people; repeat {args.repeat}; p50 in ms")
    print(f"{'case':<42}{'spaCy NER alone':>16}{'whole engine':>14}{'ratio':>8}")
    print(f"{'1 KB prompt':<42}{p50(ner_1k):>16.2f}{p50(eng_1k):>14.2f}{p50(eng_1k) / p50(ner_1k):>8.2f}")
    print(f"{'200-char message':<42}{p50(ner_200):>16.2f}{p50(eng_200):>14.2f}{p50(eng_200) / p50(ner_200):>8.2f}")
    turn_2, turn_20 = p50(turn_ms[2]), p50(turn_ms[20])
    print(f"{'conversation turn 2 (whole history)':<42}{'':>16}{turn_2:>14.2f}")
    print(f"{'conversation turn 20 (whole history)':<42}{'':>16}{turn_20:>14.2f}{turn_20 / turn_2:>8.2f}")


if __name__ == "__main__":
    main()
