"""A case's scanned pages at the window."""
