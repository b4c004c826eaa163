"""A fault during an access raises mmio.BusError; the interpreter lives on
and the region stays usable where its memory still is."""

import faulthandler
import os
import subprocess
import sys

import pytest

import mmio

PAGE = os.sysconf("SC_PAGE_SIZE")


def test_reading_a_page_truncated_under_the_mapping_raises_bus_error(memfd):
    memfd.truncate(2 * PAGE)
    r = memfd.open()
    r.write32(PAGE, 7)
    memfd.truncate(PAGE)
    with pytest.raises(mmio.BusError) as info:
        r.read32(PAGE)
    assert info.value.code == mmio.BusError.code
    assert "read32 at 0x%x" % PAGE in str(info.value)
    # The good part answers as before, and the bad part raises every time.
    r.write32(0, 0x600D)
    assert r.read32(0) == 0x600D
    for call in (lambda: r.read8(PAGE + 1), lambda: r.write64(PAGE + 8, 1),
                 lambda: r.modify16(PAGE, 1, 1), lambda: r.poll32(PAGE, 1, 1, timeout=0)):
        with pytest.raises(mmio.BusError):
            call()
    assert r.read32(PAGE - 4) == 0


def test_a_block_running_into_the_truncated_page_raises_after_the_good_elements(memfd):
    memfd.truncate(2 * PAGE)
    r = memfd.open()
    memfd.truncate(PAGE)
    with pytest.raises(mmio.BusError):
        r.write_block(PAGE - 8, [1, 2, 3, 4])
    # The elements before the fault were written, one store each.
    assert memfd.pread(8, PAGE - 8) == bytes.fromhex("0100000002000000")
    with pytest.raises(mmio.BusError):
        r.read_block(PAGE - 8, 4)
    assert list(r.read_block(PAGE - 8, 2)) == [1, 2]


def test_split_parts_are_guarded_too(memfd):
    memfd.truncate(2 * PAGE)
    r = memfd.open()
    left = r.split(PAGE)
    memfd.truncate(PAGE)
    with pytest.raises(mmio.BusError):
        r.read32(0)
    assert left.read32(0) == 0


def test_faults_are_caught_with_faulthandler_enabled(memfd):
    # pytest enables faulthandler; check it anyway, since it installs a
    # SIGBUS handler of its own that must not take the fault.
    was = faulthandler.is_enabled()
    faulthandler.enable()
    try:
        memfd.truncate(2 * PAGE)
        r = memfd.open()
        memfd.truncate(PAGE)
        with pytest.raises(mmio.BusError):
            r.read64(PAGE)
    finally:
        if not was:
            faulthandler.disable()


def test_the_interpreter_survives_a_bus_error_and_exits_normally():
    # In a process of its own, so that a fault not caught would show as a
    # signal in the exit status rather than take the test run down.
    script = (
        "import os, mmio\n"
        "fd = os.memfd_create('t'); os.ftruncate(fd, 8192)\n"
        "r = mmio.open('file:/proc/self/fd/%d' % fd); os.ftruncate(fd, 4096)\n"
        "n = 0\n"
        "for i in range(100):\n"
        "    try: r.read32(4096 + 4 * i)\n"
        "    except mmio.BusError: n += 1\n"
        "print(n, r.read32(0))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["100", "0"]
