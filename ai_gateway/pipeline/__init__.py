"""The request pipeline: an ordered list of checks between a request and the provider."""
