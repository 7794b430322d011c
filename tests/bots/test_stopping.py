"""Ctrl-C and SIGTERM stop a waiting run promptly, whichever thread the kernel gave the signal to."""

import signal
import threading
import time

import pytest

from bots.timeouts import sleep


class Stopped(Exception):
    pass


@pytest.fixture
def sigusr1_stops():
    def stop(signum, frame):
        raise Stopped

    previous = signal.signal(signal.SIGUSR1, stop)
    yield
    signal.signal(signal.SIGUSR1, previous)


def test_a_wait_ends_soon_after_another_thread_took_the_signal(sigusr1_stops):
    # a signal the main thread held back during a store write goes to some other thread: its
    # handler still has to run in the main thread, before the wait's end
    def take_the_signal_here():
        time.sleep(0.3)
        signal.pthread_kill(threading.get_ident(), signal.SIGUSR1)

    threading.Thread(target=take_the_signal_here, daemon=True).start()
    started = time.monotonic()
    with pytest.raises(Stopped):
        sleep(20)
    assert time.monotonic() - started < 3


def test_a_wait_lasts_its_time_when_nothing_stops_it():
    started = time.monotonic()
    sleep(0.6)
    assert 0.6 <= time.monotonic() - started < 2
