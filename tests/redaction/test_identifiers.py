import pytest

from tests.redaction.conftest import redact


def types(engine, text):
    return [(f.text, f.entity_type) for f in engine.analyze(text)]


@pytest.mark.parametrize(
    "text, value, kind",
    [
        ("NHS no: 943 476 5919", "943 476 5919", "NHS_NUMBER"),
        ("NHS 943-476-5919", "943-476-5919", "NHS_NUMBER"),
        ("ULN 9186481583", "9186481583", "ULN"),
        ("UPN A801200005001 on file", None, None),
        ("UPN B801200005001 on file", "B801200005001", "UPN"),
        ("temporary UPN T80120000501A", None, None),
        ("NI number AB 12 34 56 C", "AB 12 34 56 C", "NI_NUMBER"),
        ("NI GB123456A", None, None),
        ("email jo.bloggs@example.co.uk", "jo.bloggs@example.co.uk", "EMAIL"),
        ("postcode ls1 4ap", "ls1 4ap", "POSTCODE"),
        ("postcode WF133ND", "WF133ND", "POSTCODE"),
    ],
)
def test_identifier_recognised_only_with_a_valid_check(engine, text, value, kind):
    found = types(engine, text)
    if value is None:
        assert not [f for f in found if f[1] in ("UPN", "NHS_NUMBER", "ULN", "NI_NUMBER")]
    else:
        assert (value, kind) in found


def test_temporary_upn_with_valid_check_letter_is_found(engine):
    from stdnum.gb import upn

    body = "80120000501A"
    number = upn.calc_check_digit(body) + body
    assert (number, "UPN") in types(engine, f"temp UPN {number}")


def test_nhs_number_with_bad_check_digit_is_not_found(engine):
    assert not [f for f in types(engine, "NHS 943 476 5918") if f[1] == "NHS_NUMBER"]


def test_uln_with_bad_check_digit_is_not_found(engine):
    assert not [f for f in types(engine, "ULN 9186481584") if f[1] == "ULN"]


@pytest.mark.parametrize(
    "phone",
    [
        "07700 900123",
        "07700900123",
        "+44 7700 900123",
        "+44 (0)7700 900123",
        "0113 496 0382",
        "(0113) 496 0382",
        "0113-496-0382",
        "020 7946 0218",
    ],
)
def test_uk_phone_numbers_in_every_format_are_found(engine, phone):
    assert (phone, "PHONE") in types(engine, f"Call mum on {phone} after 3pm.")


def test_money_and_short_numbers_are_not_phones(engine):
    assert types(engine, "The trip costs £12.50 and 999 is the emergency number.") == []


@pytest.mark.parametrize(
    "date", ["03/04/2015", "3.4.15", "3 April 2015", "3rd of April 2015", "April 3rd, 2015", "2015-04-03"]
)
def test_date_of_birth_in_common_forms_is_found_with_context(engine, date):
    assert (date, "DATE_OF_BIRTH") in types(engine, f"Pupil DOB: {date}")


def test_date_without_birth_context_is_kept(engine):
    assert types(engine, "The trip is on 3 April 2015 and the review on 14/10/2026.") == []


def test_street_address_is_found(engine):
    assert ("Flat 2, Mill House, 14 Acacia Avenue", "STREET_ADDRESS") in types(
        engine, "Address: Flat 2, Mill House, 14 Acacia Avenue, Leeds"
    )


def test_bank_details_need_context(engine):
    found = types(engine, "Refund to sort code 20-00-00, account 12345678.")
    assert ("20-00-00", "BANK_DETAILS") in found and ("12345678", "BANK_DETAILS") in found
    assert types(engine, "Room 12345678 is the code.") == []


def test_candidate_number_needs_context(engine):
    assert ("4021", "CANDIDATE_NUMBER") in types(engine, "Her candidate number is 4021.")
    assert types(engine, "We scored 4021 points.") == []


def test_health_details_about_a_pupil_are_redacted(engine, roster):
    out = redact(
        engine,
        roster,
        "Amelia has type 1 diabetes and an EpiPen for a peanut allergy; she takes methylphenidate for ADHD.",
    )
    for word in ("diabetes", "EpiPen", "peanut", "methylphenidate", "ADHD"):
        assert word not in out
    assert {f.category for f in engine.analyze("He has epilepsy.", roster)} == {"health_sen"}


def test_zero_width_full_width_and_homoglyph_evasion_is_caught(engine, roster):
    text = "Ame\u200blia Thorncroft, NHS ９４３ ４７６ ５９１９, Аmelia"  # Cyrillic А
    findings = engine.analyze(text, roster)
    out = redact(engine, roster, text)
    assert "Thorncroft" not in out and "５９１９" not in out and "Аmelia" not in out
    assert all(text[f.start : f.end] == f.text for f in findings)


def test_only_dates_near_birth_words_are_birth_dates(engine, roster):
    text = "Amelia Thorncroft, DOB 12/05/2016, started here on 04/09/2021 and was last assessed 10/01/2024."
    out = redact(engine, roster, text)
    assert "12/05/2016" not in out and "04/09/2021" in out and "10/01/2024" in out


def test_a_year_near_the_word_candidate_is_not_a_candidate_number(engine):
    out = engine.pseudonymise(["Check each candidate entry for the summer 2028 series."]).texts[0]
    assert "2028" in out
    assert "4821" not in engine.pseudonymise(["Her candidate number is 4821."]).texts[0]


def test_reference_numbers_after_the_word_that_names_them_are_redacted(engine):
    text = "The council's reference is HSB-25-330192; his passport (no. 541200987) was seen. Room 12, 2026."
    out = engine.pseudonymise([text]).texts[0]
    assert "330192" not in out and "541200987" not in out and "Room 12, 2026." in out
