"""The Python driver for QEMU's edu device (examples/edu/edu.py, the
README's example), run on the edu model by register names."""

import importlib.util
import math
import os
import subprocess
import sys

import pytest

import mmio
from conftest import EDU_REGS, EDU_SVD, EXAMPLES

EDU_PY = os.path.abspath(os.path.join(EXAMPLES, "edu", "edu.py"))


def load_example():
    spec = importlib.util.spec_from_file_location("edu_example", EDU_PY)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


Edu = load_example().Edu


def test_the_example_runs_and_prints_the_factorial():
    out = subprocess.run([sys.executable, EDU_PY], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == [
        "edu 1.0 on fake:edu", "10! = 3628800", "IRQ_FACT[7:7]: 0x0 (0)",
        "COMPUTING[0:0]: 0x0 (0)", "MMIO_ERR_OUT_OF_RANGE"]


@pytest.mark.parametrize("path", [EDU_REGS, EDU_SVD])
def test_the_factorial_is_computed_by_register_names(edu, path):
    dev = Edu(edu, mmio.load_description(path))
    assert dev.version() == (1, 0)
    for n in range(13):
        assert dev.factorial(n) == math.factorial(n)
    assert dev.factorial(13) == math.factorial(13) & 0xFFFFFFFF  # 32 bits, as the device


def test_the_driver_refuses_a_device_that_is_not_an_edu(memfd):
    with pytest.raises(RuntimeError, match="not an edu"):
        Edu(memfd.open(0, 0x100), mmio.load_description(EDU_REGS))


def test_liveness_reads_back_the_inverse_by_name(edu):
    regs = mmio.load_description(EDU_REGS).bind(edu)
    regs.LIVENESS = 0x12345678
    assert regs.LIVENESS.read() == 0x12345678 ^ 0xFFFFFFFF


def test_a_driver_that_does_not_wait_reads_the_operand(edu):
    regs = mmio.load_description(EDU_REGS).bind(edu)
    regs.FACTORIAL = 5
    assert regs.STATUS.COMPUTING == 1
    assert regs.FACTORIAL.read() == 5  # not done yet
    regs.STATUS.poll(COMPUTING=0)
    assert regs.FACTORIAL.read() == 120


def test_the_completion_interrupt_is_raised_and_acknowledged_by_name(edu):
    regs = mmio.load_description(EDU_REGS).bind(edu)
    regs.STATUS.IRQ_FACT = 1
    assert regs.STATUS.IRQ_FACT == 1
    regs.FACTORIAL = 4
    regs.STATUS.poll(COMPUTING=0)
    assert regs.IRQ_STATUS.FACT == 1
    regs.IRQ_ACK = 1
    assert regs.IRQ_STATUS.read() == 0
    regs.IRQ_RAISE = 0x100
    assert regs.IRQ_STATUS.DMA == 1 and regs.IRQ_STATUS.FACT == 0
    with pytest.raises(mmio.WriteOnly):
        regs.IRQ_RAISE.read()  # write-only: never read


def test_the_status_decodes_by_field(edu):
    regs = mmio.load_description(EDU_REGS).bind(edu)
    regs.STATUS.IRQ_FACT = 1
    text = regs.STATUS.decode()
    assert "IRQ_FACT[7:7]: 0x1 (1)" in text and "COMPUTING[0:0]: 0x0 (0)" in text


def test_a_rejected_access_says_why_and_changes_nothing(edu):
    with pytest.raises(mmio.Rejected) as info:
        edu.write16(0x04, 0xFFFF)
    assert "16-bit store at 0x4" in str(info.value) and "LIVENESS" in str(info.value)
    assert info.value.code == mmio.Rejected.code
    assert edu.read32(0x04) == 0  # LIVENESS untouched


def test_a_read_only_edu_refuses_to_start_a_computation():
    with mmio.open("fake:edu", read_only=True) as r:
        regs = mmio.load_description(EDU_REGS).bind(r)
        with pytest.raises(mmio.ReadOnly):
            regs.FACTORIAL = 3
        assert regs.STATUS.COMPUTING == 0
