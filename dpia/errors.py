"""What can go wrong in the register."""


class RegisterError(Exception):
    """Base class for register errors."""


class ToolNotFound(RegisterError):
    """No tool of that name in this school's register."""


class ToolExists(RegisterError):
    """A tool of that name is already registered."""
