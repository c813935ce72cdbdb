"""The OpenAI-compatible endpoints and the flow of one chat request."""
