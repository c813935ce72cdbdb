"""Is a capitalised phrase that looks like a name really a person here? Structural cues around it
say no: it is part of a street ("Carrow Road", "Via Roma 12"), an organisation ("Hale Surgery",
"Jones and Sons"), an eponym ("Down's syndrome", "Boyle's law", "Bunsen burner"), a place after
"in", a thing after "the", or a pet ("a hamster called Biscuit").

Used for names found by the NER model or the given-name list, never for roster names."""

import re
from collections.abc import Callable
from functools import lru_cache

_STREET = (
    "Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Close|Drive|Way|Terrace|Row|Gardens|Mews|Walk|Crescent|Place|"
    "Grove|Court|Square|Squares|Hill|Rise|View|Park|Green|Parade|Vale|Chase|Gate|Fields|Meadows|Bypass|"
    "Cliffs?|Coves?|Heights|Mount|Orchard|Quay|Ridge|Wharf|Common|Boulevard|Highway|Motorway|Plaza|"
    "Stadium|Arena|Bridge|Station|Airport|Harbour|Port|Island|Islands|Valley|Forest|Lake|River|Bay|Beach")
_ORGANISATION = (
    "Surgery|Practice|Clinic|Hospital|Centre|Center|School|Academy|College|University|Nursery|Primary|"
    "Trust|Council|Church|Chapel|Mosque|Temple|Library|Museum|Gallery|Theatre|Cinema|Hotel|Inn|Pub|"
    "Club|United|City|Rovers|Rangers|Athletic|Town|FC|Ltd|Limited|Inc|LLC|PLC|Plc|Group|Partners|"
    "Associates|Investments|Holdings|Industries|Solutions|Services|Consulting|Technologies|Company|Co|"
    "Corporation|Bank|Foundation|Institute|Society|Association|Agency|Department|Ministry|Records|"
    "Tuition|Plumbing|Electrical|Builders|Motors|Garage|Cafe|Café|Restaurant|Shop|Store|Lines|Airways|"
    "Festival|Awards?|Prize|Trophy|Cup|League|Championship|Olympics|Games|Tour|Show|Law|Act|Syndrome|"
    "Disease|Effect|Theorem|Principle")
# Lower-case words after a capitalised word that make a thing named after someone.
_EPONYM_HEAD = (
    "law|act|rule|principle|theorem|effect|disease|syndrome|palsy|test|scale|method|equation|constant|"
    "diagram|burner|house|award|prize|medal|trophy|cup|day|festival|street|road|avenue|lane|square")
# Words before a name that make it a street in another language or an address line.
_STREET_BEFORE = (r"(?:Via|Rua|Rue|Piazzetta|Vicolo|Corso|Avenida|Avda|Calle|Piazza|Plaza|Largo|Viale|Strada|"
                  r"Praça|Travessa|ul\.|ulica|Ulica|"
                  r"Boulevard|Bd|Chemin|Allée|Place|Platz|Straße|Strasse|Gasse|Weg|Vej|Katu|Gatan|Utca|u\.)")
_PETS = ("dog|puppy|cat|kitten|hamster|rabbit|bunny|tortoise|turtle|guinea pig|gerbil|mouse|rat|fish|goldfish|"
         "parrot|budgie|pony|horse|snake|lizard|gecko|pet|teddy|toy|doll|robot|dragon|monster|unicorn|"
         "alien|car|boat|ship|horse")


# A word that ends a name: what follows is a street or an organisation ("Penny Lane", "Hale Surgery").
PLACE_OR_ORG = re.compile(rf"(?:{_STREET}|{_ORGANISATION})")


class PersonContext:
    AFTER_PLACE_OR_ORG = re.compile(rf"(?:['’]s)?[ \t](?:{_STREET}|{_ORGANISATION})\b|[ \t](?:u\.|utca|út|tér|str\.)")
    AFTER_EPONYM = re.compile(rf"(?:['’]s)?[ \t](?:{_EPONYM_HEAD})\b")
    # "Glover, Ruiz and Armstrong is a design agency", "at Jones, Mitchell and Williams": a firm.
    FIRM = re.compile(r"(?:^|\b(?:at|of|for|with|The|the)\s+|>\s*)([A-Z][\w'’]+(?:-[A-Z][\w'’]+)?, [A-Z][\w'’]+"
                      r"(?:-[A-Z][\w'’]+)? and [A-Z][\w'’]+(?:-[A-Z][\w'’]+)?)"
                      r"|([A-Z][\w'’]+, [A-Z][\w'’]+ and [A-Z][\w'’]+)"
                      r"(?=,? (?:which )?(?:is an?|was founded|Orchestra|LLC|LLP|Inc|Ltd|PLC|Solicitors|"
                      r"Accountants)\b)")
    # A ship: "USS Lorenzen", "HMS Belfast".
    BEFORE_SHIP = re.compile(r"\b(?:USS|USNS|USNV|HMS|HMY|RMS|SS|MV)\s+$")
    CORNER_OF = re.compile(r"\bcorner of\b[^.?!\n]{0,40}$", re.IGNORECASE)
    # "Dalbraut 99", "Franscini 71 Suite": a name followed by a house number, after an address word.
    AFTER_HOUSE_NUMBER = re.compile(r" \d{1,5}[A-Za-z]?(?![\d/:%.,]\d)(?!\s*(?:years?|yrs?|months?|y/o|%))")
    BEFORE_ADDRESS = re.compile(rf"(?:\b(?:on|at|of|and|to)|\d|{_STREET_BEFORE})\s*$")
    BEFORE_STREET = re.compile(rf"(?<![\w]){_STREET_BEFORE}(?:\s+[A-Z][\w'’-]+){{0,2}}\s*$")
    # "Tour de ...", "Bank of ...": a capitalised ordinary word joined to the span by a particle.
    BEFORE_PARTICLE = re.compile(r"\b([A-Z][a-z]+)\s+(?:de|du|des|di|da|del|della|of|la|le)\s+$")
    BEFORE_THE = re.compile(r"(?<![\w])(?:the|The)\s+$")
    BEFORE_PLACE = re.compile(r"(?<![\w])(?:in|In|near|Near|outside|across|around|visit|visiting)\s+$")
    # An address block: "Apt. 12  Dolores  Uruguay", "Suite 104, Salvador".
    BEFORE_ADDRESS_LINE = re.compile(r"\b(?:Suite|Apt|Apartment|Unit|Flat|Box|PSC|Floor)\.?\s*\d+[A-Za-z]?[\s,]*$",
                                     re.IGNORECASE)
    # An organisation or a place, said by the words before it.
    BEFORE_ORG_OR_PLACE = re.compile(
        r"\b(?:work(?:s|ed|ing)? (?:for|at)|employed (?:by|at)|address of|a year at|offices? of|headquarters of|"
        r"subsidiary of|originally from|moved (?:here )?(?:to|from)|grew up in|based in|arrived (?:at|in)|"
        r"returned to|coming to|travel(?:l?ed)? to|flew to|holiday in|visit(?:ed|ing)?|shopping at|"
        r"the town of|the city of|the village of)\s+$", re.IGNORECASE)
    # Characters of a story, not people to protect: "the story of Anansi and Tiger", "the tale of Tam Lin".
    BEFORE_STORY = re.compile(r"\b(?:story|stories|tale|tales|legend|myth|adventures?|parable) of\s+"
                              r"(?:[A-Z][\w'’-]+,?\s+(?:and\s+|&\s+)?)?$")
    IN_PLACE_BEFORE = re.compile(r"(?<![\w])in\s+$")
    CLAUSE_END = re.compile(r"\s*(?:[?!.;,)]|$)")
    # One word after a possessive that names a place or thing: "Hooke's Law", "St Mary's Church".
    POSSESSIVE_BEFORE = re.compile(r"\w['’]s\s+$")
    BEFORE_PET = re.compile(rf"\b(?:{_PETS})s?,?\s+(?:(?:is|was)\s+)?(?:called|named)\s+$", re.IGNORECASE)

    def __init__(self, is_name_word: Callable[[str], bool]):
        self.is_name_word = is_name_word  # a known given name or surname?

    @classmethod
    @lru_cache(maxsize=16)
    def firms(cls, text: str) -> list[tuple[int, int]]:
        if " and " not in text:
            return []
        return [m.span(1) if m.group(1) else m.span(2) for m in cls.FIRM.finditer(text)]

    def a_place_here(self, text: str, start: int, end: int) -> bool:
        """"what is the weather like in Florence?": one capitalised word after "in" that ends the clause."""
        return bool(self.IN_PLACE_BEFORE.search(text, max(0, start - 10), start)
                    and self.CLAUSE_END.match(text, end) and text[start].isupper())

    def not_a_person(self, text: str, start: int, end: int) -> bool:
        before = text[max(0, start - 40):start]
        after = text[end:end + 40]
        words = text[start:end].split()
        one_word = len(words) == 1
        if (self.AFTER_PLACE_OR_ORG.match(after) or self.AFTER_EPONYM.match(after)
                or self.POSSESSIVE_BEFORE.search(before) and PLACE_OR_ORG.fullmatch(text, start, end)):
            return True
        if any(s <= start and end <= e for s, e in self.firms(text)):
            return True
        if self.BEFORE_SHIP.search(before) or self.CORNER_OF.search(before):
            return True
        if any(c.isdigit() for c in text[start:end]):
            return True  # "Joaquin Suarez 2906", "Box 8524": a name has no digits
        if (self.BEFORE_STREET.search(before) or self.BEFORE_PET.search(before) or self.BEFORE_STORY.search(before)
                or self.BEFORE_ADDRESS_LINE.search(before) or self.BEFORE_ORG_OR_PLACE.search(before)):
            return True
        if self.AFTER_HOUSE_NUMBER.match(after) and self.BEFORE_ADDRESS.search(before):
            return True
        particle = self.BEFORE_PARTICLE.search(before)
        if particle and not self.is_name_word(particle.group(1)):
            return True
        if one_word and (self.BEFORE_THE.search(before) or self.BEFORE_PLACE.search(before)):
            return not after.startswith(("'s", "’s"))
        return False
