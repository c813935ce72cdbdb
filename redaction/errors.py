"""Errors the redaction package raises; the gateway turns them into a refusal (fail closed)."""


class RedactionUnavailable(Exception):
    """The detection engine cannot run (model missing, data file unreadable): nothing may be sent."""


class RosterImportError(ValueError):
    """An MIS export could not be read with the given column mapping."""
