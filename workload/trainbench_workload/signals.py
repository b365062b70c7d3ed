"""Preemption signals: SIGTERM (checkpoint, exit 143) and SIGUSR1 (checkpoint, exit 0), acted on at a step end."""
import os
import signal

from . import EXIT_SIGTERM


class Signals:
    """SIGTERM/SIGUSR1 only set flags; the loop acts at the end of the current step on every rank at once.
    A second SIGTERM exits immediately (a rank stuck outside the loop could otherwise never stop)."""

    def __init__(self):
        self.term = False
        self.usr1 = False
        signal.signal(signal.SIGTERM, self._on_term)
        signal.signal(signal.SIGUSR1, self._on_usr1)

    def _on_term(self, *_):
        if self.term:
            os._exit(EXIT_SIGTERM)
        self.term = True

    def _on_usr1(self, *_):
        self.usr1 = True
