"""Structural cues: when a capitalised word is a person, and when it is a street, a firm, an
eponym, a place or a pet. Examples are made up; none comes from the evaluation data."""

import threading

from redaction import Roster, RosterPerson
from tests.redaction.conftest import redact


def test_person_after_a_form_label_is_redacted(engine):
    out = redact(engine, None, "Child: Radu Vulpescu, Year 4. Parent - Ilinca Vulpescu")
    assert "Radu" not in out and "Vulpescu" not in out and "Ilinca" not in out


def test_person_introduced_by_their_role_is_redacted(engine):
    out = redact(engine, None, "i asked my tutor Imre Halasz about it and my friend, Tove, agreed")
    assert "Imre Halasz" not in out and "Tove" not in out


def test_name_with_a_middle_initial_is_redacted(engine):
    out = redact(engine, None, "Please add Oriel T. Maddox to the list.")
    assert "Maddox" not in out and "Oriel" not in out


def test_entry_in_a_list_of_visitors_is_a_name_like_its_neighbours(engine):
    text = ("Visitors today:\n- 9:00 Dr Saira Bhatt, audiologist\n- 10:30 Mrs Ashdown, governor\n"
            "- 2:15 Keziah Orrell, drama workshop")
    out = redact(engine, None, text)
    assert "Keziah" not in out and "Orrell" not in out


def test_surname_of_a_person_found_once_is_redacted_where_it_is_repeated(engine):
    out = redact(engine, None, "From: Dr Tamsin Quarrie\nI run Quarrie Tutoring on Saturdays.")
    assert "Quarrie" not in out


def test_names_of_streets_firms_and_things_named_after_people_are_kept(engine):
    text = ("We walked down Penny Lane to Carrow Road, then revised Hooke's law and Boyle's law. "
            "The quote came from Hartley, Nolan and Quigg, which is a law firm.")
    out = redact(engine, None, text)
    for phrase in ("Penny Lane", "Carrow Road", "Hooke's law", "Boyle's law", "Hartley, Nolan and Quigg"):
        assert phrase in out


def test_pet_called_by_a_given_name_is_kept(engine):
    out = redact(engine, None, "Write a story about my hamster called Gerald.")
    assert "Gerald" in out


def test_roster_forename_as_a_place_after_in_is_kept(engine):
    roster = Roster(people=[RosterPerson(kind="pupil", forenames=["Florence"], surname="Abara")])
    out = redact(engine, roster, "What is the weather like in Florence? Florence Abara asked.")
    assert "like in Florence?" in out and "Florence Abara" not in out


def test_character_forenames_are_kept_where_the_text_names_their_family(engine):
    roster = Roster(people=[RosterPerson(kind="pupil", forenames=["Ron"], surname="Tamblyn")])
    out = redact(engine, roster, "Compare how Ron and the rest of the Weasley family welcome newcomers.")
    assert "Compare how Ron and" in out


def test_lower_case_roster_forename_listed_with_other_names_is_redacted(engine, roster):
    out = redact(engine, roster, "me, amelia and kit made a volcano. kit says it was the best")
    assert "kit" not in out and "amelia" not in out


def test_roster_surname_written_with_either_apostrophe(engine):
    roster = Roster(people=[RosterPerson(kind="parent", forenames=["Maeve"], surname="O'Rourke")])
    for text in ("Maeve O’Rourke rang.", "Maeve O'Rourke rang.", "Mrs O’Rourke rang."):
        assert "Rourke" not in redact(engine, roster, text)


def test_roster_forename_with_another_surname_is_redacted_whole(engine, roster):
    out = redact(engine, roster, "Bartosz Pennycook from the other school came too.")
    assert "Pennycook" not in out and "Bartosz" not in out


def test_address_lines_are_not_people(engine):
    findings = engine.analyze("Send it to Via Rosina Ferraro 12, Apt. 4  Matilde  Italy")
    assert not [f for f in findings if f.entity_type == "PERSON"]


def test_findings_are_copied_not_shared_between_threads(engine, roster):
    texts = ["Amelia Thorncroft has asthma.", "Hope Lindqvist and Amelia Thorncroft"]
    expected = engine.pseudonymise(texts, roster).texts
    results, errors = [], []

    def work():
        try:
            for _ in range(20):
                results.append(engine.pseudonymise(texts, roster).texts)
        except Exception as exc:  # noqa: BLE001 - report any failure from the thread
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and all(r == expected for r in results)
    assert [f.index for f in engine.analyze(texts[1], roster)] == [0, 0]


def test_list_of_surnames_is_a_list_of_people(engine):
    out = redact(engine, None, "The shop was started by Okonjo, Lindqvist and Trevisan in 1990.")
    assert "Okonjo" not in out and "Lindqvist" not in out and "Trevisan" not in out


def test_characters_of_a_story_are_kept(engine):
    text = "Retell the story of Anansi and Tiger for Year 2."
    assert "Anansi and Tiger" in redact(engine, None, text)


def test_speaker_in_a_script_is_redacted(engine):
    out = redact(engine, None, "Ottoline: Where were you? Brannagh: At the shops.")
    assert "Ottoline" not in out and "Brannagh" not in out


def test_unknown_given_name_before_a_known_surname_is_redacted(engine):
    out = redact(engine, None, "The report was checked by Tuvya Moreno last week.")
    assert "Tuvya" not in out and "Moreno" not in out


def test_ordinary_words_at_the_ends_of_an_ner_name_are_trimmed(engine):
    text = "ex-Teacher Halvorsen"
    assert engine._name_part(text, 0, len(text)) == (11, len(text))
    text = "Billy Goats Gruff"
    start, end = engine._name_part(text, 0, len(text))
    assert end <= start


def test_person_greeted_at_the_start_of_a_message_is_redacted(engine):
    out = redact(engine, None, "Olamide, can you send the forms by Friday?")
    assert "Olamide" not in out and "Friday" in out


def test_name_before_a_family_word_is_redacted(engine):
    out = redact(engine, None, "She was at Wren's mum's house and then at Tobiah's dad's flat.")
    assert "Tobiah" not in out


def test_lower_case_title_before_a_name_is_redacted(engine):
    out = redact(engine, None, "can you email ms. Quennell about the trip")
    assert "Quennell" not in out


def test_two_unknown_words_in_another_languages_letters_are_a_name(engine):
    out = redact(engine, None, "The form was signed by Ildikó Farkasné yesterday.")
    assert "Ildikó" not in out and "Farkasné" not in out


def test_name_given_after_my_name_is_is_redacted_even_in_lower_case(engine):
    out = redact(engine, None, "hi my name is tavita and i need help with fractions")
    assert "tavita" not in out and "fractions" in out
