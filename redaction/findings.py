"""What a detection is: a span of the original text, its type, and the register's data category."""

from dataclasses import dataclass, field

# Entity type -> data category used by the DPIA register.
CATEGORY_OF: dict[str, str] = {
    "PUPIL_NAME": "pupil_names",
    "STAFF_NAME": "staff_names",
    "PARENT_NAME": "parent_names",
    "PERSON": "other_names",
    "PHONE": "contact_details",
    "EMAIL": "contact_details",
    "POSTCODE": "contact_details",
    "STREET_ADDRESS": "contact_details",
    "UPN": "identifiers",
    "ULN": "identifiers",
    "NHS_NUMBER": "identifiers",
    "NI_NUMBER": "identifiers",
    "CANDIDATE_NUMBER": "identifiers",
    "BANK_DETAILS": "identifiers",
    "ADMISSION_NUMBER": "identifiers",
    "REFERENCE_NUMBER": "identifiers",  # passport, DBS certificate, free-school-meals reference...
    "DATE_OF_BIRTH": "dates_of_birth",
    "HEALTH": "health_sen",
}

CATEGORIES: frozenset[str] = frozenset(CATEGORY_OF.values())

# Entity type -> placeholder stem, e.g. PUPIL_NAME -> [PUPIL_1].
PLACEHOLDER_STEM: dict[str, str] = {
    "PUPIL_NAME": "PUPIL",
    "STAFF_NAME": "STAFF",
    "PARENT_NAME": "PARENT",
    "STREET_ADDRESS": "ADDRESS",
    "REFERENCE_NUMBER": "REFERENCE",
}


def placeholder_stem(entity_type: str) -> str:
    return PLACEHOLDER_STEM.get(entity_type, entity_type)


@dataclass
class Finding:
    """One piece of personal data found in a text (offsets into the text as given)."""

    start: int
    end: int
    text: str
    entity_type: str
    score: float
    recognizer: str
    # Identifies the real person or value behind the text, so "Amelia", "Amelia Smith" and
    # "AMELIA" share one placeholder. None means "the text itself, case-folded".
    identity: str | None = None
    index: int = 0  # which of the texts handed to pseudonymise() it came from
    explanation: str = ""
    category: str = field(init=False)

    def __post_init__(self) -> None:
        self.category = CATEGORY_OF[self.entity_type]

    def shifted(self, start: int, end: int, text: str) -> "Finding":
        return Finding(start, end, text, self.entity_type, self.score, self.recognizer,
                       self.identity, self.index, self.explanation)
