"""Reversible pseudonymisation: typed placeholders ([PUPIL_1], [PHONE_2]) that stay the same for
the same person or value throughout a conversation, and putting the real values back."""

import json
import re
from dataclasses import dataclass, field
from typing import Any

from redaction.findings import Finding, placeholder_stem

PLACEHOLDER = re.compile(r"\[([A-Z][A-Z_]*_\d+)\]")
STRUCTURED = {"UPN", "ULN", "NHS_NUMBER", "NI_NUMBER", "PHONE", "POSTCODE", "BANK_DETAILS",
              "CANDIDATE_NUMBER", "ADMISSION_NUMBER", "REFERENCE_NUMBER"}


class PseudonymMap:
    """Per-conversation state: which placeholder stands for which real value."""

    def __init__(self) -> None:
        self.originals: dict[str, str] = {}  # "PUPIL_1" -> "Amelia"
        self.by_identity: dict[str, str] = {}  # identity key -> "PUPIL_1"
        self.counters: dict[str, int] = {}  # "PUPIL" -> 1

    def placeholder_for(self, finding: Finding) -> str:
        key = identity_key(finding)
        name = self.by_identity.get(key)
        if name is None:
            stem = placeholder_stem(finding.entity_type)
            self.counters[stem] = self.counters.get(stem, 0) + 1
            name = f"{stem}_{self.counters[stem]}"
            self.by_identity[key] = name
            self.originals[name] = finding.text
        return f"[{name}]"

    def restore(self, text: str) -> str:
        return PLACEHOLDER.sub(lambda m: self.originals.get(m.group(1), m.group(0)), text)

    def restore_json_strings(self, obj: Any) -> Any:
        """Restore every string in a JSON-like value; a string that is itself JSON (tool-call
        arguments) is restored inside and re-encoded, so quotes in a real value stay valid."""
        if isinstance(obj, str):
            if not PLACEHOLDER.search(obj):
                return obj
            stripped = obj.strip()
            if stripped[:1] in ("{", "["):
                try:
                    return json.dumps(self.restore_json_strings(json.loads(obj)), ensure_ascii=False)
                except ValueError:
                    pass
            return self.restore(obj)
        if isinstance(obj, dict):
            return {k: self.restore_json_strings(v) for k, v in obj.items()}
        if isinstance(obj, list):
            return [self.restore_json_strings(v) for v in obj]
        return obj

    def to_dict(self) -> dict[str, Any]:
        return {"originals": dict(self.originals), "by_identity": dict(self.by_identity),
                "counters": dict(self.counters)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "PseudonymMap":
        m = cls()
        m.originals = dict(data.get("originals", {}))
        m.by_identity = dict(data.get("by_identity", {}))
        m.counters = {k: int(v) for k, v in data.get("counters", {}).items()}
        return m

    def __len__(self) -> int:
        return len(self.originals)


def identity_key(finding: Finding) -> str:
    if finding.identity:
        return finding.identity
    if finding.entity_type in STRUCTURED:
        value = "".join(c for c in finding.text if c.isalnum()).upper()
        if finding.entity_type == "PHONE" and value.startswith("44"):
            value = "0" + value[2:]
    else:
        value = " ".join(re.findall(r"\w+", finding.text.casefold()))
        if value.endswith(" s") and finding.entity_type.endswith(("NAME", "PERSON")):
            value = value[:-2]  # Amelia's is Amelia
    return f"{finding.entity_type}:{value}"


@dataclass
class PseudonymisedTexts:
    texts: list[str]
    mapping: PseudonymMap
    findings: list[Finding] = field(default_factory=list)  # each carries .index into texts

    @property
    def count(self) -> int:
        return len(self.findings)

    @property
    def categories(self) -> set[str]:
        return {f.category for f in self.findings}
