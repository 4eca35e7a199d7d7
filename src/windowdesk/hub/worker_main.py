"""The main module of ``serve --workers N``'s worker processes: nothing but this docstring.

uvicorn starts its workers with multiprocessing's "spawn": each is a new interpreter
that first imports the parent's main module (there the ``windowdesk-hub`` script, which
imports the whole command line: FastAPI, SQLAlchemy, every service) and only then starts
the thread that answers the supervisor's health check. The supervisor gives a worker 5
seconds to answer; on a loaded machine that import alone took 7 s (0.9 s of CPU), so the
supervisor killed the worker and started another, which met the same fate. While the
workers start, server.py names this module as the main one: a worker answers within a
fraction of a second and imports the hub afterwards (uvicorn's ``config.load()``), with
its health check thread already answering.
"""
