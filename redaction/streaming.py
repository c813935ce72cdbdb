"""Putting real values back into a streamed answer, where a placeholder can arrive in pieces
("[PUP", "IL_1] is")."""

import re

from redaction.pseudonymise import PseudonymMap

# A tail that could still grow into a placeholder: "[", "[PUP", "[PUPIL_", "[PUPIL_1".
_PARTIAL = re.compile(r"\[[A-Z_]*\d*$")
_LONGEST_PLACEHOLDER = 40


class StreamRestorer:
    def __init__(self, mapping: PseudonymMap):
        self.mapping = mapping
        self.buffer = ""

    def feed(self, chunk: str) -> str:
        """Text that can be shown now; a possible partial placeholder is held back."""
        self.buffer += chunk
        partial = _PARTIAL.search(self.buffer, max(0, len(self.buffer) - _LONGEST_PLACEHOLDER))
        if partial:
            ready, self.buffer = self.buffer[:partial.start()], self.buffer[partial.start():]
        else:
            ready, self.buffer = self.buffer, ""
        return self.mapping.restore(ready)

    def flush(self) -> str:
        rest, self.buffer = self.buffer, ""
        return self.mapping.restore(rest)
