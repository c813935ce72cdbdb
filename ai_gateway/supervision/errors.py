"""What can go wrong with supervised sessions."""


class SupervisionError(Exception):
    """Base class for supervised-session errors."""


class SessionNotFound(SupervisionError):
    """No session with that id or join code in this school."""


class PupilNotFound(SupervisionError):
    """No such pupil in this school, or not in this session."""


class NotPermitted(SupervisionError):
    """This person may not do this (e.g. a pupil opening a session, another teacher pausing it)."""


class InvalidSession(SupervisionError, ValueError):
    """A session's settings are missing or not allowed (no tools, an end before its start...)."""


class ToolNotApprovedForPupils(InvalidSession):
    """A chosen tool is not approved by the SLT for these pupils' key stage."""


class SessionOver(SupervisionError):
    """The session has ended: it can no longer be joined or changed."""
