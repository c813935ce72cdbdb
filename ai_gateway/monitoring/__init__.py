"""The monitoring log: one entry per request, written before the reply leaves."""
