"""Dates of birth in all the usual written forms (03/04/2015, 3.4.15, 3 April 2015, 3rd of April
2015, April 3rd, 2015, 2015-04-03).

A date alone is not personal data, so a date counts only with birth context just before it
("DOB", "born"); in a pasted table, TableColumnRecognizer takes the dates under a DOB heading.
A DOB mentioned once does not make every other date in the text a birth date."""

import datetime as dt
import re

from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult

from redaction.tables import table_cells

_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_DAY = r"(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?"
MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}


class DateOfBirthRecognizer(PatternRecognizer):
    PATTERNS = [
        Pattern("numeric date", r"\b(?:0?[1-9]|[12]\d|3[01])[/.-](?:0?[1-9]|1[0-2])[/.-](?:\d{4}|\d{2})\b", 0.1),
        Pattern("ISO date", r"\b(?:19|20)\d{2}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])\b", 0.1),
        Pattern("day month year", rf"\b{_DAY}(?: of)? {_MONTH},? (?:19|20)\d{{2}}\b", 0.1),
        Pattern("month day year", rf"\b{_MONTH} {_DAY},? (?:19|20)\d{{2}}\b", 0.1),
    ]
    # Birth words just before the date, in the same sentence ("DOB: ", "born on ", "birthday is "),
    # or in brackets just after it. Presidio's own context window (eight words) is too wide: it
    # would make "DOB 12/05/2016, started on 04/09/2021" two birth dates.
    CONTEXT: list[str] = []
    BIRTH_BEFORE = re.compile(r"\b(?:dob|d\.o\.b\.?|date of birth|birth ?date|birthday|born|b\.)(?:[^.!?\n\d]{0,25})$",
                              re.IGNORECASE)
    BIRTH_AFTER = re.compile(r"\s*\((?:dob|d\.o\.b\.?|born|date of birth)\)", re.IGNORECASE)
    OLDEST_YEARS = 100
    # A text that says it holds dates of birth ("DOB", "born"), for lists of records such as
    # "Name – 12.03.2013 – NHS ...": there a past date in a record line is a date of birth, unless
    # words just before it say it is another date, or it sits in a table column headed otherwise.
    DOCUMENT_CONTEXT = re.compile(r"\b(?:DOB|D\.O\.B\.?|date of birth|birth ?date|born)\b", re.IGNORECASE)
    DOB_HEADING = re.compile(r"\b(?:dob|d\.o\.b\.?|date of birth|birth ?date|birthday|born)\b")
    OTHER_DATE_BEFORE = re.compile(
        r"\b(?:date|dated|review(?:ed)?|due|start(?:ed|s)?|join(?:ed|s)?|left|leaving|issued|expir(?:es|y|ed)|dbs|"
        r"visit|meeting|appointment|last|next|from|until|till|since|on|by|deadline|trip|term|sent|received|"
        r"signed|updated|checked|completed|attended|absent|excluded|referred|incident|assessed)\b[^\n]{0,12}$",
        re.IGNORECASE)
    RECORD_SEPARATOR = re.compile(r"\s[–—|-]\s|\t|,|;")
    YOUNGEST_YEARS = 2

    def __init__(self, supported_entity: str = "DATE_OF_BIRTH", today: dt.date | None = None):
        self.today = today
        super().__init__(supported_entity=supported_entity, patterns=self.PATTERNS, context=self.CONTEXT,
                         name="DateOfBirthRecognizer")

    def validate_result(self, pattern_text: str) -> bool | None:
        date = parse_date(pattern_text)
        today = self.today or dt.date.today()
        if date is None or date > today or date.year < today.year - self.OLDEST_YEARS:
            return False
        return None  # plausible; the score is left for context to raise


    def enhance_using_context(self, text, raw_recognizer_results, other_raw_recognizer_results,
                              nlp_artifacts, context=None) -> list[RecognizerResult]:
        if not raw_recognizer_results:
            return raw_recognizer_results
        in_records = bool(self.DOCUMENT_CONTEXT.search(text))
        latest_birth_year = (self.today or dt.date.today()).year - self.YOUNGEST_YEARS
        other_columns = [(c.start, c.end) for c in table_cells(text) if not self.DOB_HEADING.search(c.heading)]
        for result in raw_recognizer_results:
            if (self.BIRTH_BEFORE.search(text, max(0, result.start - 40), result.start)
                    or self.BIRTH_AFTER.match(text, result.end)):
                result.score = max(result.score, 0.85)
            elif in_records and self._in_a_record(text, result, latest_birth_year, other_columns):
                result.score = max(result.score, 0.45)
        return raw_recognizer_results

    def _in_a_record(self, text: str, result: RecognizerResult, latest_birth_year: int, other_columns) -> bool:
        date = parse_date(text[result.start:result.end])
        line_start = text.rfind("\n", 0, result.start) + 1
        line_end = text.find("\n", result.end) % (len(text) + 1)
        return (date is not None and date.year <= latest_birth_year
                and bool(self.RECORD_SEPARATOR.search(text[line_start:line_end]))
                and not self.OTHER_DATE_BEFORE.search(text, max(line_start, result.start - 30), result.start)
                and not any(s <= result.start < e for s, e in other_columns))


def parse_date(text: str) -> dt.date | None:
    """Read a day-first date in any of the recognised forms; None if it is not a real date."""
    words = re.findall(r"[A-Za-z]+|\d+", text.lower())
    words = [w for w in words if w not in ("st", "nd", "rd", "th", "of")]
    try:
        if len(words) != 3:
            return None
        if words[0].isdigit() and len(words[0]) == 4:
            year, month, day = int(words[0]), int(words[1]), int(words[2])
        elif words[0].isalpha():
            month, day, year = MONTHS[words[0][:3]], int(words[1]), int(words[2])
        else:
            day, year = int(words[0]), int(words[2])
            month = int(words[1]) if words[1].isdigit() else MONTHS[words[1][:3]]
        if year < 100:
            year += 2000 if year <= dt.date.today().year % 100 else 1900
        return dt.date(year, month, day)
    except (KeyError, ValueError):
        return None
