"""Descriptions bound to regions: registers and fields by name, with the
register layer's rules for W1C, read-to-clear and write-only registers,
and names that never touch the device."""

import os

import pytest

import mmio
from conftest import EDU_REGS, EDU_SVD

BLOCK = """\
device testdev
peripheral BLK 0x1000 "A block with one register of each kind"
  register CTRL 0x00 32 rw reset=0
    field EN 0
    field MODE 3:1
      value IDLE 0
      value RUN 5
    field IRQ 8 w1c "Pending; write 1 to clear"
  register STAT 0x04 32 rc reset=0
    field DONE 0
  register CMD 0x08 32 wo reset=0
    field GO 0
    field ARG 15:8
  register ID 0x0c 32 ro reset=0x1234
peripheral OTHER 0x2000
  register X 0x00 16
"""

UART_SVD = """\
<?xml version="1.0" encoding="utf-8"?>
<device schemaVersion="1.3">
  <name>CHIP</name>
  <addressUnitBits>8</addressUnitBits>
  <width>32</width>
  <size>32</size>
  <peripherals>
    <peripheral>
      <name>UART0</name>
      <baseAddress>0x40034000</baseAddress>
      <registers>
        <register>
          <name>UARTCR</name>
          <addressOffset>0x30</addressOffset>
          <resetValue>0x300</resetValue>
          <fields>
            <field><name>UARTEN</name><bitRange>[0:0]</bitRange></field>
            <field><name>TXE</name><bitRange>[8:8]</bitRange></field>
            <field><name>RTSINT</name><bitRange>[15:12]</bitRange><access>read-write</access>
              <modifiedWriteValues>oneToClear</modifiedWriteValues></field>
          </fields>
        </register>
      </registers>
    </peripheral>
    <peripheral derivedFrom="UART0">
      <name>UART1</name>
      <baseAddress>0x40038000</baseAddress>
    </peripheral>
  </peripherals>
</device>
"""


@pytest.fixture
def block(memfd):
    """The BLK peripheral of BLOCK over a memfd: (register map, raw region)."""
    r = memfd.open(0, 0x100)
    regs = mmio.parse_description(BLOCK, "block.regs").bind(r, "BLK")
    return regs, r


def test_registers_are_read_and_written_by_name(block):
    regs, raw = block
    regs.CTRL.write(0x3)
    assert raw.read32(0x00) == 0x3
    assert regs.CTRL.read() == 0x3
    assert regs["CTRL"].read() == 0x3
    regs.CTRL = 0x5
    regs["CTRL"] = 0x7
    assert raw.read32(0x00) == 0x7
    raw.write32(0x0C, 0x1234)
    assert regs.ID.read() == 0x1234


def test_fields_are_read_with_one_read_and_written_by_read_modify_write(block):
    regs, raw = block
    raw.write32(0x00, 0x0000000A)  # MODE 5, EN 0
    assert regs.CTRL.MODE == 5 and regs.CTRL.EN == 0
    assert regs.CTRL["MODE"] == 5
    regs.CTRL.EN = 1
    assert raw.read32(0x00) == 0x0000000B
    regs.CTRL["MODE"] = 0
    assert raw.read32(0x00) == 0x00000001
    regs.CTRL.MODE = "RUN"  # by the name of one of its values
    assert raw.read32(0x00) == 0x0000000B


def test_a_field_write_never_writes_back_a_one_read_from_a_w1c_bit(block):
    regs, raw = block
    raw.write32(0x00, 0x100)  # IRQ pending
    regs.CTRL.EN = 1
    # The pending bit was written as 0 (no effect on a device), not as the
    # 1 it read, which would have cleared it. A blind read-modify-write
    # writes it back:
    assert raw.read32(0x00) == 0x001
    raw.write32(0x00, 0x100)
    raw.modify32(0x00, 0x1, 0x1)
    assert raw.read32(0x00) == 0x101
    raw.write32(0x00, 0x000)
    regs.CTRL.IRQ = 1  # clearing it is a write of 1 to that bit (memory keeps it)
    assert raw.read32(0x00) == 0x100


def test_a_read_to_clear_register_is_read_only_on_purpose(memfd, block):
    regs, raw = block
    raw.write32(0x04, 1)
    with pytest.raises(mmio.ReadEffect):
        regs.STAT.read()
    with pytest.raises(mmio.ReadEffect):
        regs.STAT.DONE
    assert regs.STAT.read(read_effects=True) == 1
    allowed = mmio.parse_description(BLOCK).bind(raw, "BLK", read_effects=True)
    assert allowed.STAT.DONE == 1


def test_a_write_only_register_is_never_read_and_its_fields_are_remembered(block):
    regs, raw = block
    raw.write32(0x08, 0xFFFFFFFF)  # what a device might read back
    with pytest.raises(mmio.WriteOnly):
        regs.CMD.read()
    regs.CMD.GO = 1
    assert raw.read32(0x08) == 0x00000001  # from its reset value, not a read
    regs.CMD.ARG = 0x12
    assert raw.read32(0x08) == 0x00001201  # GO as last written


def test_values_too_wide_for_a_field_or_register_write_nothing(block):
    regs, raw = block
    raw.write32(0x00, 0x2)
    with pytest.raises(OverflowError):
        regs.CTRL.MODE = 8
    with pytest.raises(OverflowError):
        regs.CTRL.EN = -1
    with pytest.raises(OverflowError):
        regs.CTRL.write(1 << 32)
    with pytest.raises(TypeError):
        regs.CTRL.EN = 1.0
    with pytest.raises(mmio.UnknownName):
        regs.CTRL.MODE = "SPRINT"
    assert raw.read32(0x00) == 0x2


def test_read_only_registers_and_fields_refuse_writes(block):
    regs, raw = block
    with pytest.raises(mmio.ReadOnly):
        regs.ID.write(1)
    with pytest.raises(mmio.ReadOnly, match="ID is read-only in the description"):
        regs.ID = 1
    assert raw.read32(0x0C) == 0


def test_unknown_names_raise_errors_that_are_attribute_and_key_errors(block):
    regs, _ = block
    with pytest.raises(AttributeError):
        regs.NOPE
    with pytest.raises(KeyError):
        regs["NOPE"]
    with pytest.raises(mmio.UnknownName):
        regs.CTRL.NOPE
    with pytest.raises(mmio.UnknownName, match="EN MODE IRQ"):
        regs.CTRL.NOPE = 1
    assert not hasattr(regs, "NOPE") and hasattr(regs, "CTRL")
    assert "CTRL" in regs and "NOPE" not in regs and 3 not in regs
    with pytest.raises(mmio.UnknownName, match="field"):
        regs["CTRL.EN"]
    with pytest.raises(TypeError):
        regs[0]


def test_names_are_listed_without_touching_the_device(block):
    regs, _ = block
    assert list(regs) == ["CTRL", "STAT", "CMD", "ID"]
    assert len(regs) == 4
    assert {"CTRL", "ID"} <= set(dir(regs))
    ctrl = regs.CTRL
    assert ctrl.name == "CTRL" and ctrl.offset == 0 and ctrl.width == 4
    assert ctrl.access == "rw" and ctrl.reset == 0 and ctrl.fields == ("EN", "MODE", "IRQ")
    assert {"EN", "MODE", "read"} <= set(dir(ctrl))
    assert regs.ID.reset == 0x1234 and regs.ID.access == "ro"
    assert regs.CTRL.description is None


def test_repr_never_touches_the_device(memfd):
    # Every access to this region faults, so a repr that read would raise.
    memfd.truncate(2 * 4096)
    r = memfd.open(4096, 0x100)
    regs = mmio.parse_description(BLOCK).bind(r, "BLK")
    memfd.truncate(4096)
    with pytest.raises(mmio.BusError):
        regs.CTRL.read()
    assert "len=0x100" in repr(r)
    assert "BLK" in repr(regs) and "testdev" in repr(regs)
    assert repr(regs.CTRL) == "<mmio.Register CTRL at 0x0, 32-bit rw: EN[0:0] MODE[3:1] IRQ[8:8]>"
    assert "wo" in repr(regs.CMD)
    assert list(regs) and regs.CTRL.fields


def test_decode_prints_fields_the_way_hwreg_does(block):
    regs, raw = block
    text = regs.CTRL.decode(0x10B)
    assert "MODE[3:1]: 0x5 (5) RUN" in text
    assert "IRQ[8:8]: 0x1 (1)" in text and "EN[0:0]: 0x1 (1)" in text
    assert text.index("IRQ") < text.index("MODE") < text.index("EN[")  # high bits first
    raw.write32(0x00, 0x10B)
    assert regs.CTRL.decode() == text  # reads once when no value is given
    assert "unknown set bits" in regs.CTRL.decode(0x80000000)
    # A register without fields is one value, every bit of it known.
    assert regs.ID.decode(0x2a) == "ID[31:0]: 0x0000002a (42)\n"
    with pytest.raises(OverflowError):
        regs.CTRL.decode(1 << 32)


def test_a_description_without_a_peripheral_name_uses_whole_names(memfd):
    memfd.truncate(0x2000)
    r = memfd.open(0, 0x2000)
    d = mmio.parse_description(BLOCK)
    regs = d.bind(r, address=0x1000)  # byte 0 of r is address 0x1000
    assert "BLK.CTRL" in list(regs) and "OTHER.X" in list(regs)
    regs["BLK.CTRL"].write(0x1)
    regs["OTHER.X"].write(0xBEEF)
    assert r.read32(0) == 1 and r.read16(0x1000) == 0xBEEF
    with pytest.raises(mmio.UnknownName):
        d.bind(r, "NOPE")


def test_registers_outside_the_region_are_out_of_range(memfd):
    r = memfd.open(0, 8)
    regs = mmio.parse_description(BLOCK).bind(r, "BLK")
    regs.CTRL.write(1)
    # The message says where the description puts it, not a made-up 0.
    with pytest.raises(mmio.OutOfRange, match="read ID: the register is at 0x100c in the description"):
        regs.ID.read()
    with pytest.raises(mmio.OutOfRange, match="at 0x100c in the description"):
        regs.ID.offset
    assert "outside the region" in repr(regs.ID)


def test_a_cmsis_svd_file_binds_by_peripheral(tmp_path, memfd):
    path = tmp_path / "chip.svd"
    path.write_text(UART_SVD)
    d = mmio.load_description(path)
    assert d.name == "CHIP" and d.peripherals == ("UART0", "UART1")
    r = memfd.open(0, 0x100)
    regs = d.bind(r, peripheral="UART0")
    assert regs.UARTCR.offset == 0x30
    r.write32(0x30, 0x3000)  # RTSINT bits pending (write 1 to clear)
    assert regs.UARTCR.UARTEN == 0
    regs.UARTCR.UARTEN = 1
    assert regs.UARTCR.UARTEN == 1
    assert r.read32(0x30) == 0x0001  # the W1C bits were not written back
    regs.UARTCR.write(0x301)
    assert regs.UARTCR.read() == 0x301
    assert "TXE[8:8]: 0x1 (1)" in regs.UARTCR.decode()
    uart1 = d.bind(r, peripheral="UART1")
    assert list(uart1) == ["UARTCR"]


def test_bad_descriptions_say_where_and_why(tmp_path):
    with pytest.raises(mmio.BadDescription, match="bad.regs:2"):
        mmio.parse_description("device x\nfiled A 0\n", name="bad.regs")
    with pytest.raises(mmio.Error) as info:
        mmio.load_description(tmp_path / "missing.svd")
    assert info.value.name == "ENOENT"
    with pytest.raises(TypeError):
        mmio.load_description(5)


def test_the_project_descriptions_of_edu_agree(edu):
    for path in (EDU_REGS, EDU_SVD):
        d = mmio.load_description(path)
        assert d.peripherals == ("EDU",)
        regs = d.bind(edu)
        assert regs.ID.MAGIC == 0xED
        assert "edu" in repr(d) and os.path.basename(path) in repr(d)


def test_using_a_map_after_its_region_is_closed_raises_value_error(memfd):
    r = memfd.open(0, 0x100)
    regs = mmio.parse_description(BLOCK).bind(r, "BLK")
    r.close()
    for call in (lambda: regs.CTRL.read(), lambda: regs.CTRL.EN,
                 lambda: regs.CTRL.write(1), lambda: setattr(regs.CTRL, "EN", 1),
                 lambda: regs.STAT.poll(DONE=1), lambda: regs.CTRL.offset):
        with pytest.raises(ValueError, match="closed"):
            call()
    with pytest.raises(ValueError):
        mmio.parse_description(BLOCK).bind(r, "BLK")
    assert "closed" in repr(regs)


def test_register_poll_waits_for_fields(block):
    regs, raw = block
    raw.write32(0x00, 0x0A)
    assert regs.CTRL.poll(MODE="RUN", EN=0) == 0x0A
    with pytest.raises(mmio.Timeout) as info:
        regs.CTRL.poll(EN=1, timeout=0.01)
    assert info.value.last == 0x0A
    with pytest.raises(TypeError):
        regs.CTRL.poll()
    with pytest.raises(TypeError):
        regs.CTRL.poll(1)
    with pytest.raises(OverflowError):
        regs.CTRL.poll(EN=2)
