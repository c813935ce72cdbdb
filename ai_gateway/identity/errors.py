"""What can go wrong when identifying a user or managing keys."""


class IdentityError(Exception):
    """Base class for identity errors."""


class UnknownKey(IdentityError):
    """The API key is not one the gateway issued."""


class KeyExpired(IdentityError):
    """The API key's expiry date has passed."""


class KeyRevoked(IdentityError):
    """The API key was revoked."""


class UserInactive(IdentityError):
    """The user's account has been deactivated."""


class NotFound(IdentityError):
    """No school, user or key with that identifier."""


class AlreadyExists(IdentityError):
    """A school or user with that identifier already exists."""
