"""Personal-data detection and reversible pseudonymisation for a UK school's AI gateway.

No HTTP and no database here: the gateway hands in the roster and stores the PseudonymMap.
"""

from redaction.engine import RedactionEngine
from redaction.errors import RedactionUnavailable, RosterImportError
from redaction.findings import CATEGORIES, CATEGORY_OF, Finding
from redaction.pseudonymise import PseudonymisedTexts, PseudonymMap
from redaction.roster import ColumnMapping, Roster, RosterPerson
from redaction.settings import RedactionSettings
from redaction.streaming import StreamRestorer

__all__ = [
    "CATEGORIES", "CATEGORY_OF", "ColumnMapping", "Finding", "PseudonymMap", "PseudonymisedTexts",
    "RedactionEngine", "RedactionSettings", "RedactionUnavailable", "Roster", "RosterImportError",
    "RosterPerson", "StreamRestorer",
]
