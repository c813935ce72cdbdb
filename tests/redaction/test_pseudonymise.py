import json
import socket

import pytest

from redaction import PseudonymMap, RedactionEngine, RedactionSettings, StreamRestorer


def test_same_child_gets_same_placeholder_across_messages_and_turns(engine, roster):
    first = engine.pseudonymise(["Amelia Thorncroft is in 5B.", "Amelia did well."], roster)
    assert first.texts == ["[PUPIL_1] is in 5B.", "[PUPIL_1] did well."]
    stored = first.mapping.to_dict()
    second = engine.pseudonymise(
        ["Amelia Thorncroft is in 5B.", "Amelia did well.", "Millie and Hope?"], roster, PseudonymMap.from_dict(stored)
    )
    assert second.texts[:2] == first.texts
    assert second.texts[2] == "[PUPIL_1] and [PUPIL_2]?"


def test_numbering_is_deterministic_by_first_appearance(engine, roster):
    texts = ["Hope and Amelia.", "Call 07700 900123."]
    a = engine.pseudonymise(texts, roster)
    b = engine.pseudonymise(texts, roster)
    assert a.texts == b.texts == ["[PUPIL_1] and [PUPIL_2].", "Call [PHONE_1]."]


def test_staff_surname_and_full_name_share_a_placeholder(engine, roster):
    out = engine.pseudonymise(["Rachel Frost teaches 3F.", "Miss Frost is off."], roster).texts
    assert out == ["[STAFF_1] teaches 3F.", "[STAFF_1] is off."]


def test_answer_is_restored_for_the_requester(engine, roster):
    result = engine.pseudonymise(["Write to Ingrid Lindqvist about Hope."], roster)
    answer = "Dear [PARENT_1], [PUPIL_1] has had a great term."
    assert result.mapping.restore(answer) == "Dear Ingrid Lindqvist, Hope has had a great term."


def test_stream_restore_handles_placeholder_split_across_chunks(engine, roster):
    mapping = engine.pseudonymise(["Hope and Amelia"], roster).mapping
    restorer = StreamRestorer(mapping)
    chunks = ["Well done [PUP", "IL_1] is", " kind; [", "PUPIL_2", "]", " and [UNKNOWN_9] stays", " ["]
    out = "".join(restorer.feed(c) for c in chunks) + restorer.flush()
    assert out == "Well done Hope is kind; Amelia and [UNKNOWN_9] stays ["


def test_tool_call_arguments_are_restored_as_valid_json(engine, roster):
    mapping = engine.pseudonymise(['Email "Bill" Thorncroft'], roster).mapping
    args = json.dumps({"to": "[PARENT_1]", "body": "Hello [PARENT_1]"})
    restored = mapping.restore_json_strings({"arguments": args, "list": ["[PARENT_1]"]})
    assert json.loads(restored["arguments"])["to"] == mapping.originals["PARENT_1"]
    assert restored["list"] == [mapping.originals["PARENT_1"]]


def test_keep_categories_leaves_allowed_data_in_clear(engine, roster):
    text = "Amelia has asthma; mum on 07700 900123."
    result = engine.pseudonymise([text], roster, keep_categories=frozenset({"health_sen"}))
    assert "asthma" in result.texts[0] and "Amelia" not in result.texts[0]
    assert result.categories == {"pupil_names", "contact_details"} and result.count == 2


def test_repeated_history_is_not_analysed_twice(engine, roster):
    text = "A brand new message about Amelia for the cache test."
    engine.analyze(text, roster)
    calls = []
    original = engine._analyze
    engine._analyze = lambda *a: calls.append(a) or original(*a)
    try:
        engine.pseudonymise([text, text], roster)
    finally:
        del engine._analyze
    assert calls == []


def test_no_network_is_touched(engine, roster, monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    fresh = RedactionEngine(RedactionSettings(cache_size=0))
    result = fresh.pseudonymise(["Email jo@example.org or visit example.co.uk about Amelia."], roster)
    assert "[EMAIL_1]" in result.texts[0]


def test_missing_model_fails_closed():
    from redaction import RedactionUnavailable

    with pytest.raises(RedactionUnavailable):
        RedactionEngine(RedactionSettings(spacy_model="no_such_model_installed"))
