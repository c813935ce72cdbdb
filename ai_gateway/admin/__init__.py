"""The versioned admin REST API (/api/v1): users, keys, tools and the log."""
