"""Polling: the value it waits for, the timeout, and the GIL let go while
it sleeps so that other threads run (and may end the wait)."""

import signal
import threading
import time

import pytest

import mmio


def test_poll_returns_the_value_once_the_masked_bits_match(memfd):
    r = memfd.open(0, 64)
    r.write32(8, 0xABCD0001)
    assert r.poll32(8, 0x1, 0x1) == 0xABCD0001
    assert r.poll8(8, 0x0F, 0x01, timeout=0) == 0x01
    assert r.poll16(10, 0xFF00, 0xAB00) == 0xABCD
    r.write64(16, 1 << 63)
    assert r.poll64(16, 1 << 63, 1 << 63, timeout=None) == 1 << 63


def test_a_poll_that_never_matches_raises_timeout_with_the_last_value(memfd):
    r = memfd.open(0, 64)
    r.write32(0, 0x42)
    start = time.monotonic()
    with pytest.raises(mmio.Timeout) as info:
        r.poll32(0, 0x1, 0x1, timeout=0.05, interval=0.01)
    elapsed = time.monotonic() - start
    assert 0.05 <= elapsed < 2
    assert info.value.last == 0x42
    assert info.value.code == mmio.Timeout.code and isinstance(info.value, mmio.Error)
    with pytest.raises(mmio.Timeout):
        r.poll32(0, 0x1, 0x1, timeout=0)  # one read, no wait


@pytest.mark.parametrize("interval", [0.0, 0.002])
def test_other_threads_run_while_a_poll_waits(memfd, interval):
    # The main thread can set the bit only if the poll lets the GIL go,
    # whether it sleeps between reads or spins.
    r = memfd.open(0, 64)
    result = []
    poller = threading.Thread(
        target=lambda: result.append(r.poll32(4, 0x80, 0x80, timeout=10, interval=interval)))
    poller.start()
    time.sleep(0.05)
    assert poller.is_alive()
    r.write32(4, 0x81)
    poller.join(5)
    assert not poller.is_alive() and result == [0x81]


def test_closing_the_region_from_another_thread_ends_the_poll(memfd):
    r = memfd.open(0, 64)
    errors = []

    def wait():
        try:
            r.poll32(0, 1, 1, timeout=10, interval=0.005)
        except ValueError as e:
            errors.append(e)

    poller = threading.Thread(target=wait)
    poller.start()
    time.sleep(0.05)
    r.close()
    poller.join(5)
    assert not poller.is_alive() and len(errors) == 1


def test_a_signal_ends_a_poll_without_a_time_limit(memfd):
    r = memfd.open(0, 64)

    class Interrupted(Exception):
        pass

    def handler(signum, frame):
        raise Interrupted()

    old = signal.signal(signal.SIGALRM, handler)
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.05)
        with pytest.raises(Interrupted):
            r.poll32(0, 1, 1, timeout=None, interval=0.01)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def test_poll_refuses_arguments_that_could_never_work(memfd):
    r = memfd.open(0, 64)
    with pytest.raises(ValueError, match="outside mask"):
        r.poll32(0, 0x1, 0x2)
    with pytest.raises(OverflowError):
        r.poll8(0, 0x100, 0)
    with pytest.raises(ValueError):
        r.poll32(0, 1, 0, timeout=-1)
    with pytest.raises(ValueError):
        r.poll32(0, 1, 0, timeout=float("nan"))
    with pytest.raises(ValueError):
        r.poll32(0, 1, 0, interval=-0.1)
    with pytest.raises(TypeError):
        r.poll32(0, 1, 0, timeout="1")
    with pytest.raises(mmio.Unaligned):
        r.poll32(2, 1, 0)
    with pytest.raises(mmio.OutOfRange):
        r.poll64(64, 1, 0)


def test_poll_waits_for_a_device_that_takes_time(edu):
    edu.write32(0x08, 5)  # FACTORIAL: starts computing 5!
    status = edu.poll32(0x20, 0x1, 0x0, timeout=1)
    assert status & 1 == 0
    assert edu.read32(0x08) == 120
