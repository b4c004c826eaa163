"""The advisory lock of read-modify-writes: two processes changing
different bits of one shm register. One hammers its byte with modify; the
other sets its own byte, waits, and checks that the value is still there.
Without the lock, a write of the second lands between a read and a write
of the first often enough to be undone within a few hundred rounds; with
it, none ever is."""

import os
import subprocess
import threading
import time

import pytest

from conftest import TOOL, Shm

ROUNDS = 5000


def hammer_batch(path):
    path.write_text("".join(f"modify 0 0xff 0x{i % 256:x}\n" for i in range(100000)))


def victim_batch(path):
    lines = []
    for i in range(ROUNDS):
        v = (1 + i % 255) << 8
        # Set the byte, give the hammer time to undo it, then demand it.
        lines += [f"modify 0 0xff00 0x{v:x}", "dump 0x100 0xc00",
                  f"poll 0 0xff00 0x{v:x} --timeout 1us"]
    path.write_text("\n".join(lines) + "\n")


def race(tmp_path, *options):
    shm = Shm()
    try:
        hammer_batch(tmp_path / "hammer")
        victim_batch(tmp_path / "victim")
        stop = threading.Event()
        hammer_status = []

        def hammer():
            while not stop.is_set():
                p = subprocess.run([TOOL, *options, shm.spec, "--batch", str(tmp_path / "hammer")],
                                   capture_output=True, text=True)
                hammer_status.append(p.returncode)

        t = threading.Thread(target=hammer)
        t.start()
        # Let the first hammer run get past its parsing.
        time.sleep(0.05)
        victim = subprocess.run([TOOL, *options, shm.spec, "--batch", str(tmp_path / "victim")],
                                capture_output=True, text=True)
        stop.set()
        t.join()
        return victim, hammer_status, shm.u32(0)
    finally:
        shm.path.unlink(missing_ok=True)


def test_the_lock_keeps_every_update_of_the_other_process(tmp_path):
    victim, hammer_status, final = race(tmp_path)
    assert victim.returncode == 0, victim.stderr
    assert hammer_status and set(hammer_status) == {0}
    # The victim's last value survived too.
    assert (final >> 8) & 0xff == 1 + (ROUNDS - 1) % 255


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="the race needs two CPUs to run in parallel")
def test_without_the_lock_updates_are_lost(tmp_path):
    victim, hammer_status, _ = race(tmp_path, "--no-lock")
    assert victim.returncode == 3, victim.stderr
    assert "timed out" in victim.stderr and "poll32" in victim.stderr
