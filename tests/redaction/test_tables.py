"""Pasted tables: each cell is judged by its column heading."""

from tests.redaction.conftest import redact


def test_reference_numbers_under_identifier_headings_are_redacted(engine, roster):
    text = ("Adno\tName\tExam No\tTrip ref\n"
            "2291\tAmelia Thorncroft\t5510\tTR-24-55180\n"
            "2304\tHope Lindqvist\t5511\tTR-24-55181")
    out = redact(engine, roster, text)
    for value in ("2291", "2304", "5510", "5511", "TR-24-55180", "TR-24-55181"):
        assert value not in out
    assert out.startswith("Adno\tName\tExam No\tTrip ref\n")


def test_candidate_numbers_of_any_length_in_a_cand_no_column_are_redacted(engine, roster):
    out = redact(engine, roster, "Cand No,Surname,Forename\n4410,Thorncroft,Amelia\n441,Lindqvist,Hope")
    assert "4410" not in out and "441," not in out


def test_phone_written_without_its_leading_zero_in_a_phone_column_is_redacted(engine, roster):
    out = redact(engine, roster, "Pupil,Contact,Phone\nAmelia Thorncroft,Bill Thorncroft,7700 900877")
    assert "900877" not in out


def test_person_not_on_the_roster_in_a_contact_column_is_redacted(engine, roster):
    out = redact(engine, roster, "Pupil | Contact | Relationship\nAmelia Thorncroft | Wanda Quist | Aunt")
    assert "Wanda Quist" not in out and "Aunt" in out


def test_dates_under_a_dob_heading_are_birth_dates_and_other_dates_are_kept(engine, roster):
    text = "Name,DOB,Last review\nAmelia Thorncroft,14/02/2016,03/03/2023\nHope Lindqvist,01/09/2015,"
    out = redact(engine, roster, text)
    assert "14/02/2016" not in out and "01/09/2015" not in out
    assert "03/03/2023" in out


def test_medical_column_is_health_data(engine, roster):
    out = redact(engine, roster, "Name,Year,Medical\nAmelia Thorncroft,5,Fenoxil cream daily\nHope Lindqvist,5,none")
    assert "Fenoxil" not in out and "none" in out
