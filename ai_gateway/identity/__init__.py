"""Who is asking: schools, users with a role, and their API keys."""
