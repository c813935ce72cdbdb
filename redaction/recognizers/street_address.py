"""UK street addresses: a house number (or a flat and building) and a street with a UK street
word (Road, Close, Mews, Terrace...)."""

from presidio_analyzer import Pattern, PatternRecognizer

_STREET_WORDS = (
    "Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Close|Cl|Drive|Dr|Way|Terrace|Terr|Row|Gardens|Gdns|Mews|Walk|"
    "Croft|Crescent|Cres|Place|Pl|Grove|Gr|Court|Ct|Square|Sq|Hill|Rise|View|Park|Green|Fold|Bank|Parade|"
    "Vale|Chase|Gate|Garth|Wynd|Yard|Fields|Meadows|Meadow|Drove|Brow|Lea|Hey|Nook|Approach|Boulevard|"
    "Crest|Dale|End|Heights|Hollow|Mount|Orchard|Paddock|Path|Quay|Ridge|Side|Top|Villas|Wharf|Wood|Common")
_NAME = r"[A-Z][A-Za-z'’-]+"
_BUILDING = (rf"(?:(?:Flat|Apartment|Apt|Unit|Room)\.? \d+[A-Za-z]?,? )?"
             rf"(?:{_NAME}(?: {_NAME})? (?:House|Court|Mill|Lodge|Cottage|Cottages|Buildings|Mansions|Tower|Hall|Farm|"
             rf"Works),? )?")


class UkStreetAddressRecognizer(PatternRecognizer):
    PATTERNS = [
        Pattern("numbered street",
                rf"(?-i:{_BUILDING}\b\d{{1,4}}[A-Za-z]?,? (?:{_NAME} ){{1,3}}(?:{_STREET_WORDS})\b\.?)", 0.6),
        Pattern("flat in a named building",
                rf"(?-i:\b(?:Flat|Apartment|Apt|Unit)\.? \d+[A-Za-z]?,? (?:{_NAME} ){{1,2}}"
                rf"(?:House|Court|Mill|Lodge|Buildings|Mansions|Tower|Hall|Works)"
                rf"(?:,? (?:\d{{1,4}}[A-Za-z]? )?(?:{_NAME} ){{1,3}}(?:{_STREET_WORDS})\b)?)", 0.6),
    ]
    CONTEXT = ["address", "lives", "living", "moving", "home"]

    def __init__(self, supported_entity: str = "STREET_ADDRESS"):
        super().__init__(supported_entity=supported_entity, patterns=self.PATTERNS, context=self.CONTEXT,
                         name="UkStreetAddressRecognizer")
