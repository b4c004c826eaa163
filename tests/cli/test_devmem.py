"""mmio devmem (and the binary run as "devmem"): busybox devmem's
arguments, judged before /dev/mem is opened. Its output against busybox's
on real devices is checked in the VM tests (tests/vm)."""

import os
import subprocess

import pytest

from conftest import TOOL

REFUSED = [
    ([], "usage: "),
    (["0xZZ"], "'0xZZ' is not an address"),
    (["4096x"], "'4096x' is not an address"),
    (["0x1000", "12"], "'12' is not a width"),
    (["0x1000", "q"], "'q' is not a width"),
    (["0x1002", "32"], "not aligned for a 32-bit access: give a multiple of 4"),
    (["0x1004", "l"], "not aligned for a 64-bit access"),
    (["0x1000", "8", "0x100"], "does not fit 8 bits"),
    (["0x1000", "h", "65536"], "does not fit 16 bits"),
    (["0x1000", "32", "1", "2"], "usage: "),
]


@pytest.mark.parametrize("args,message", REFUSED, ids=[" ".join(a) or "none" for a, _ in REFUSED])
def test_bad_arguments_are_refused_before_opening_dev_mem(mmio, args, message):
    r = mmio("devmem", *args)
    assert r.rc == 2, r
    assert message in r.err


def test_run_as_devmem_it_is_devmem(tmp_path):
    link = tmp_path / "devmem"
    link.symlink_to(TOOL)
    p = subprocess.run([str(link), "0x1002"], capture_output=True, text=True)
    assert p.returncode == 2
    assert p.stderr.startswith("devmem: address 0x1002 is not aligned")
    p = subprocess.run([str(link), "--help"], capture_output=True, text=True)
    assert p.returncode == 0 and p.stdout.startswith("usage: devmem ADDRESS [WIDTH [VALUE]]")


@pytest.mark.skipif(os.path.exists("/dev/mem"), reason="this machine has /dev/mem")
def test_without_dev_mem_the_open_fails_with_advice(mmio):
    r = mmio("devmem", "0x1000")
    assert r.rc == 1, r
    assert "/dev/mem" in r.err
