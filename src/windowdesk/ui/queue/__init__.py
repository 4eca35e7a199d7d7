"""The hall's queue in Qt: the window's queue panel, the hall display, the ticket kiosk."""
