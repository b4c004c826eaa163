"""A driver for QEMU's edu device written in Python against register
names, run on the edu model (fake:edu): the driver of docs/python.md."""

import math

import pytest

import mmio
from conftest import EDU_REGS, EDU_SVD


class Edu:
    """QEMU's edu device, by the names of its register description."""

    def __init__(self, bar0, description):
        self.regs = description.bind(bar0)
        if self.regs.ID.MAGIC != 0xED:
            raise RuntimeError("not an edu device: ID reads %#x" % self.regs.ID.read())

    def version(self):
        id_ = self.regs.ID.read()
        return id_ >> 24, (id_ >> 16) & 0xFF

    def check_liveness(self, probe):
        self.regs.LIVENESS = probe
        return self.regs.LIVENESS.read() == probe ^ 0xFFFFFFFF

    def factorial(self, n, timeout=1.0):
        self.regs.FACTORIAL = n
        self.regs.STATUS.poll(COMPUTING=0, timeout=timeout)
        return self.regs.FACTORIAL.read()


@pytest.mark.parametrize("path", [EDU_REGS, EDU_SVD])
def test_the_factorial_is_computed_by_register_names(edu, path):
    dev = Edu(edu, mmio.load_description(path))
    assert dev.version() == (1, 0)
    assert dev.check_liveness(0x12345678)
    for n in range(13):
        assert dev.factorial(n) == math.factorial(n)
    assert dev.factorial(13) == math.factorial(13) & 0xFFFFFFFF  # 32 bits, as the device


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
