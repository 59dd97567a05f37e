"""Restons: a self-hosted, privacy-first relationship keeper."""

__version__ = "0.1.0"
