"""Devices at the counter (ID-card readers, ...), each behind a small plug-in interface.
Plain Python: no Qt, no database; the services and the UI use them."""
