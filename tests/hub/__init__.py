"""Tests of windowdesk-hub: the server, its storage, its command line."""
