import logging

_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"


def configure_logging(level: str) -> None:
    """One format for every process (API, worker, scheduler, CLI), on stderr so a command's own
    output on stdout stays clean to pipe. A host that already set up logging (a test runner, a
    process calling `main()`) keeps its handlers; only the level is applied."""
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter(_FORMAT))
        root.addHandler(handler)
    root.setLevel(level)
    # SQLAlchemy logs every statement once its logger is enabled for INFO, and aiosqlite every
    # call at DEBUG; either would drown what the application itself says.
    for noisy in ("sqlalchemy.engine", "aiosqlite"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
