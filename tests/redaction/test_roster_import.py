from redaction import ColumnMapping, Roster


def test_mis_export_is_imported_with_kinds(tmp_path):
    (tmp_path / "pupils.csv").write_text(
        "upn,legal_forename,preferred_forename,legal_surname,year_group\nA1,Thomasina,Tamsin,Pryce,4\n"
    )
    (tmp_path / "staff.csv").write_text("title,forename,surname,role,email\nMr,Owain,Rees,Teacher,o@x.org\n")
    (tmp_path / "contacts.csv").write_text(
        "pupil_upn,contact_forename,contact_surname,relationship,phone,email\n"
        "A1,Carys,Pryce,Mother,,\nA2,Carys,Pryce,Mother,,\n"
    )
    roster = Roster.from_mis_csv(tmp_path / "pupils.csv", tmp_path / "staff.csv", tmp_path / "contacts.csv")
    assert [(p.kind, p.forenames, p.surname, p.title) for p in roster.people] == [
        ("pupil", ["Thomasina", "Tamsin"], "Pryce", None),
        ("staff", ["Owain"], "Rees", "Mr"),
        ("parent", ["Carys"], "Pryce", None),
    ]
    assert (
        roster.version
        == Roster.from_mis_csv(tmp_path / "pupils.csv", tmp_path / "staff.csv", tmp_path / "contacts.csv").version
    )


def test_column_mapping_reads_other_exports(tmp_path):
    (tmp_path / "p.csv").write_text("Forename,Surname\nIfan,Morgan\n")
    mapping = ColumnMapping(pupil_forenames=["Forename"], pupil_surname="Surname")
    roster = Roster.from_mis_csv(tmp_path / "p.csv", None, None, mapping)
    assert roster.people[0].forenames == ["Ifan"] and roster.people[0].surname == "Morgan"
