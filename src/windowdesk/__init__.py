"""windowdesk: the counter client for service halls and street service centers."""

# The one place of the version: pyproject.toml reads it, `windowdesk --version`,
# `windowdesk-hub --version`, the hub's OpenAPI description and the client's
# X-Windowdesk-Client header report it. CHANGELOG.md says what each one brought.
__version__ = "0.9.0"
