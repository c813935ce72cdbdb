from tests.redaction.conftest import redact


def test_pupil_full_name_is_redacted_as_pupil(engine, roster):
    findings = engine.analyze("Report for Amelia Thorncroft please.", roster)
    assert [(f.text, f.entity_type, f.category) for f in findings] == [
        ("Amelia Thorncroft", "PUPIL_NAME", "pupil_names")
    ]


def test_pupil_named_by_preferred_forename_is_redacted(engine, roster):
    assert "Millie" not in redact(engine, roster, "Millie finished her story today.")


def test_lowercase_and_possessive_names_are_redacted(engine, roster):
    out = redact(engine, roster, "can u help bartosz with amelia's homework")
    assert "bartosz" not in out and "amelia" not in out


def test_name_split_across_a_line_break_is_redacted(engine, roster):
    out = redact(engine, roster, "Pupil: Amelia\nThorncroft, Year 5")
    assert "Thorncroft" not in out and "Amelia" not in out


def test_surname_comma_forename_listing_is_redacted(engine, roster):
    out = redact(engine, roster, "WISNIEWSKI, Bartosz | 6 | K")
    assert "WISNIEWSKI" not in out and "Bartosz" not in out


def test_staff_title_and_surname_is_staff(engine, roster):
    findings = engine.analyze("Please ask Miss Frost about the rota.", roster)
    assert [(f.text, f.entity_type) for f in findings] == [("Miss Frost", "STAFF_NAME")]


def test_parent_is_typed_as_parent(engine, roster):
    findings = engine.analyze("Ingrid Lindqvist rang the office.", roster)
    assert findings[0].entity_type == "PARENT_NAME" and findings[0].category == "parent_names"


def test_hope_as_a_name_is_redacted_and_as_a_verb_is_kept(engine, roster):
    out = redact(engine, roster, "Hope built a tower today. I hope this shows she is secure.")
    assert out.startswith("[PUPIL_1] built") and "I hope this shows" in out


def test_ordinary_words_that_are_names_are_kept(engine, roster):
    text = "We went on a field trip in the frost. Please pay the bill and pack your PE kit, with grace."
    assert redact(engine, roster, text) == text


def test_grace_field_as_a_name_is_redacted(engine, roster):
    out = redact(engine, roster, "Well done to Grace Field for her poem.")
    assert "Grace" not in out and "Field" not in out


def test_wilfred_owen_poem_is_kept(engine, roster):
    out = redact(engine, roster, "Year 10 are reading a poem by Wilfred Owen.")
    assert "Wilfred Owen" in out


def test_pupil_who_shares_a_famous_name_is_redacted(engine, roster):
    out = redact(engine, roster, "Michael Owen in 10RW keeps summarising instead of analysing.")
    assert "Michael Owen" not in out and "[PUPIL_1]" in out


def test_lesson_on_florence_nightingale_reaches_the_model_intact(engine, roster):
    text = "Plan a lesson on Florence Nightingale and Mary Seacole for Year 2, Key Stage 1."
    assert redact(engine, roster, text) == text


def test_name_not_on_roster_is_found_as_person(engine, roster):
    findings = engine.analyze("I spoke to Dr Imani Okafor and Lars Berglund yesterday.", roster)
    assert {f.text for f in findings if f.entity_type == "PERSON"} == {"Dr Imani Okafor", "Lars Berglund"}
    assert all(f.category == "other_names" for f in findings)


def test_works_without_a_roster(engine):
    assert "Okafor" not in engine.pseudonymise(["Mrs Okafor called."], None).texts[0]
