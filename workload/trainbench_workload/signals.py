"""Preemption signals: SIGTERM (checkpoint, exit 143) and SIGUSR1 (checkpoint, exit 0), acted on at a step end.

Installed by train.py before anything slow (torch's import takes seconds), and never removed: train.py leaves with
os._exit, because the interpreter's own shutdown puts the default action back (and tearing torch down takes a
fifth of a second on this machine), so a late SIGUSR1 used to kill a finished rank with 138 (128 + 10).
A signal that arrives once every step is done is logged and the rank still exits 0: the training had finished.
"""
import os
import signal
import sys

from . import EXIT_SIGTERM


class Signals:
    """SIGTERM/SIGUSR1 only set flags; the loop acts at the end of the current step on every rank at once.
    A second SIGTERM exits immediately (a rank stuck outside the loop could otherwise never stop)."""

    def __init__(self):
        self.term = False
        self.usr1 = False
        self.finished = None  # steps completed, once every step is done
        self.rank = 0
        signal.signal(signal.SIGTERM, self._on_term)
        signal.signal(signal.SIGUSR1, self._on_usr1)

    def _on_term(self, *_):
        if self.finished is not None:
            return self.late("SIGTERM")
        if self.term:
            os._exit(EXIT_SIGTERM)
        self.term = True

    def _on_usr1(self, *_):
        if self.finished is not None:
            return self.late("SIGUSR1")
        self.usr1 = True

    def finish(self, steps, rank):
        """Every step is done: a signal from now on (or one that came after the last step's flag exchange, which
        the loop never saw) only gets a log line."""
        self.finished, self.rank = steps, rank
        for name, seen in (("SIGTERM", self.term), ("SIGUSR1", self.usr1)):
            if seen:
                self.late(name)
        self.term = self.usr1 = False

    def late(self, name):
        sys.stderr.write("trainbench-workload: rank %d: %s arrived after training had finished (%d steps done); "
                         "exiting 0\n" % (self.rank, name, self.finished))
        sys.stderr.flush()
