"""The Qt user interface: one client of the services, nothing more."""
