"""The hall's queue (排队叫号): one small service per service center.

``storage/`` keeps the tickets in a durable SQLite file, ``service`` holds the queue's
rules, ``app`` serves them over HTTP/JSON, ``cli`` is the ``windowdesk-hall`` command,
``client`` is what windows, the kiosk, the display and the bench use to talk to it.
"""
