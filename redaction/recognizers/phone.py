"""UK telephone numbers in any common layout (+44, (0), spaces, dashes, brackets), found by
Google's libphonenumber for the GB region.

"Possible" rather than "valid" numbers are accepted, because Ofcom's drama ranges (07700 900xxx)
are not valid numbers yet are exactly what appears in letters and test data; a number must
still be written as a UK number (starting 0 or +44) to count."""

import re

import phonenumbers
from presidio_analyzer import AnalysisExplanation, EntityRecognizer, LocalRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts


class UkPhoneRecognizer(LocalRecognizer):
    SCORE = 1.0
    CONTEXT = ["phone", "tel", "telephone", "mobile", "call", "text", "number", "contact"]
    NATIONAL_PREFIXES = ("1", "2", "3", "5", "7", "8")
    EXTENSION = re.compile(r"\s*(?:ext|extn|extension|x)\.?\s*\d+$", re.IGNORECASE)

    def __init__(self, supported_entity: str = "PHONE", region: str = "GB"):
        self.region = region
        super().__init__(supported_entities=[supported_entity], context=self.CONTEXT, name="UkPhoneRecognizer")

    def load(self) -> None:
        pass

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
                ) -> list[RecognizerResult]:
        results = []
        for match in phonenumbers.PhoneNumberMatcher(text, self.region, leniency=phonenumbers.Leniency.POSSIBLE):
            number = self.EXTENSION.split(match.raw_string)[0]  # "0113 496 0090 ext. 2"
            if self.validate_result(number):
                results.append(RecognizerResult(self.supported_entities[0], match.start,
                                                match.start + len(number), self.SCORE,
                                                analysis_explanation=AnalysisExplanation(self.name, self.SCORE),
                                recognition_metadata={
                                                    RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                                                    RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id}))
        return EntityRecognizer.remove_duplicates(results)

    def validate_result(self, pattern_text: str) -> bool:
        digits = "".join(c for c in pattern_text if c.isdigit())
        if pattern_text.lstrip().startswith("+") or digits.startswith("44"):
            national = digits[2:].removeprefix("0")
        elif digits.startswith("0"):
            national = digits[1:]
        else:
            return False
        return 9 <= len(national) <= 10 and national.startswith(self.NATIONAL_PREFIXES)
