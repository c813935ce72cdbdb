"""What can go wrong in the register."""


class RegisterError(Exception):
    """Base class for register errors."""


class ToolNotFound(RegisterError):
    """No tool of that name in this school's register."""


class ToolExists(RegisterError):
    """A tool of that name is already registered."""


class ApprovalNotFound(RegisterError):
    """No SLT approval with that id in this school's register."""


class DpiaNotFound(RegisterError):
    """The tool has no DPIA yet."""


class DpiaExists(RegisterError):
    """The tool already has a DPIA; change it to make a new version."""


class NotPermitted(RegisterError):
    """The user's role may not make this change (e.g. only the DPO signs a DPIA off)."""


class InvalidRecord(RegisterError, ValueError):
    """A field of an approval or DPIA is missing or not allowed."""


class SafeguardingNotCoverable(InvalidRecord):
    """No DPIA may cover safeguarding information: AI is kept out of safeguarding casework."""


class InvalidTransition(RegisterError):
    """The record is not in a state where this step is possible (e.g. approving a draft)."""
