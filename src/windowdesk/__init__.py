"""windowdesk: the counter client for service halls and street service centers."""

__version__ = "0.1.0"
