"""UK postcode, any case, with or without the space; the area letters must be a real area."""

from presidio_analyzer import Pattern, PatternRecognizer


class UkPostcodeRecognizer(PatternRecognizer):
    PATTERNS = [
        Pattern("postcode", r"\b[A-Z]{1,2}\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2}\b", 0.5),
        Pattern("postcode (Girobank)", r"\bGIR ?0AA\b", 0.5),
    ]
    CONTEXT = ["postcode", "address", "post code"]
    AREAS = frozenset("""AB AL B BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN
        DT DY E EC EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L LA LD LE
        LL LN LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK SL SM SN
        SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO ZE GIR""".split())

    def __init__(self, supported_entity: str = "POSTCODE"):
        super().__init__(supported_entity=supported_entity, patterns=self.PATTERNS, context=self.CONTEXT,
                         name="UkPostcodeRecognizer")

    def validate_result(self, pattern_text: str) -> bool:
        area = ""
        for ch in pattern_text.upper():
            if not ch.isalpha():
                break
            area += ch
        return area in self.AREAS
