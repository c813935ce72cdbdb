"""Email addresses, including the common typo of a comma for the last dot.

The domain must end in a real public suffix, checked against tldextract's bundled list (never
fetched: the gateway runs offline)."""

import tldextract
from presidio_analyzer import Pattern, PatternRecognizer


class EmailRecognizer(PatternRecognizer):
    PATTERNS = [Pattern("email", r"\b[A-Z0-9._%+'-]+@[A-Z0-9-]+(?:\.[A-Z0-9-]+)*[.,][A-Z]{2,}\b", 0.5)]
    CONTEXT = ["email", "e-mail", "mail"]

    def __init__(self, supported_entity: str = "EMAIL"):
        self.extract = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
        super().__init__(supported_entity=supported_entity, patterns=self.PATTERNS, context=self.CONTEXT,
                         name="EmailRecognizer")

    def validate_result(self, pattern_text: str) -> bool:
        domain = pattern_text.rsplit("@", 1)[1].replace(",", ".")
        return bool(self.extract(domain).suffix)
