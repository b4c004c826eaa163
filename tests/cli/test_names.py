"""Register and field names from a description (--regs): offsets, widths,
decoded fields, enumerated values, and the register rules on field
writes, checked on the bytes of a memory object."""

import json
import os
from pathlib import Path

import pytest

from conftest import DATA, EDU_REGS, EDU_SVD, SOURCE_DIR

ACCESS_SVD = DATA / "svd" / "access.svd"


@pytest.mark.parametrize("description", [EDU_SVD, EDU_REGS], ids=["svd", "text"])
def test_the_edu_factorial_by_register_names(mmio, description):
    r = mmio("--regs", description, "fake:edu", "read", "EDU.ID", ";",
             "write", "EDU.FACTORIAL", 10, ";", "poll", "EDU.STATUS.COMPUTING", 0, ";",
             "read", "EDU.FACTORIAL")
    assert r.rc == 0, r
    lines = r.out.splitlines()
    assert lines[0] == "EDU.ID @ 0x00000: 0x010000ed"
    assert "  MAJOR[31:24]: 0x01 (1)" in lines and "  MAGIC[7:0]: 0xed (237)" in lines
    assert lines[-1] == f"EDU.FACTORIAL @ 0x00008: 0x{3628800:08x}"


def test_short_names_inside_a_peripheral(mmio):
    for args in (["--regs", f"{EDU_SVD}:EDU"], ["--regs", EDU_SVD, "--peripheral", "EDU"]):
        r = mmio(*args, "-q", "fake:edu", "read", "ID", ";", "read", "ID.MAJOR")
        assert r.rc == 0, r
        assert r.out == "0x010000ed\n0x01\n"


def test_a_register_read_in_json_carries_its_fields(mmio):
    r = mmio("--json", "--regs", EDU_SVD, "fake:edu", "read", "EDU.ID")
    res = json.loads(r.out)["results"][0]
    assert res["name"] == "EDU.ID" and res["value"] == 0x010000ED and res["width"] == 32
    fields = {f["name"]: f["value"] for f in res["fields"]}
    assert fields == {"MAJOR": 1, "MINOR": 0, "MAGIC": 0xED}


def test_an_enumerated_value_is_written_by_name(mmio, shm):
    shm.put32(0x98, 0)
    r = mmio("--regs", EDU_SVD, shm.spec, "write", "EDU.DMA_CMD.DIRECTION", "EDU_TO_RAM", ";",
             "read", "EDU.DMA_CMD.DIRECTION")
    assert r.rc == 0, r
    assert shm.u32(0x98) == 0x2
    assert r.out.strip().endswith("0x1 EDU_TO_RAM")


def test_field_writes_follow_the_write_1_to_clear_rules(mmio, shm):
    # TIMER.CR: EN rw, MODE rw, IRQ[11:8] w1c, STICKY w1c, SETME w1s.
    shm.put32(0, 0x00011F01)
    r = mmio("--regs", f"{ACCESS_SVD}:TIMER", shm.spec, "write", "CR.MODE", "START")
    assert r.rc == 0, r
    # EN kept; MODE set; the pending IRQ and STICKY bits are not cleared by
    # writing them back; SETME is not set again.
    assert shm.u32(0) == 0x00000011


def test_modify_is_refused_on_registers_with_action_bits(mmio, shm):
    before = shm.bytes()
    r = mmio("--regs", f"{ACCESS_SVD}:TIMER", shm.spec, "modify", "CR", "0x30", "0x10")
    assert r.rc == 2 and "write its fields by name" in r.err, r
    assert shm.bytes() == before


def test_read_effects_are_read_only_when_asked_for_by_name(mmio, shm):
    r = mmio("--regs", f"{ACCESS_SVD}:TIMER", shm.spec, "read", "SR")
    assert r.rc == 0, r
    r = mmio("--regs", f"{ACCESS_SVD}:TIMER", shm.spec, "watch", "SR", "--count", "1")
    assert r.rc == 2 and "changes it" in r.err, r
    r = mmio("--regs", f"{ACCESS_SVD}:TIMER", shm.spec, "read", "TXDATA")
    assert r.rc == 2 and "write-only" in r.err, r


def test_names_count_from_the_peripheral_or_need_one(mmio, shm):
    # TIMER is at 0x40054000: without --peripheral its registers are far
    # past the end of a 4 KiB object.
    r = mmio("--regs", ACCESS_SVD, shm.spec, "read", "TIMER.CR")
    assert r.rc == 2 and "--peripheral" in r.err, r
    r = mmio("--regs", ACCESS_SVD, "--peripheral", "NOPE", shm.spec, "read", "CR")
    assert r.rc == 2 and "no peripheral named 'NOPE'" in r.err, r


# The vendor file is kept beside the project, never copied in (or
# MMIO_RP2040_SVD says where it is).
RP2040 = Path(os.environ.get("MMIO_RP2040_SVD",
                             SOURCE_DIR.parent / "shared" / "data" / "svd" / "RP2040.svd"))


@pytest.mark.skipif(not RP2040.exists(), reason="RP2040.svd is kept beside the project")
def test_a_vendor_description_drives_a_peripheral(mmio, shm):
    # UART0's control register, by the names of Raspberry Pi's own file.
    shm.put32(0x30, 0x300)  # its reset value: TXE and RXE
    r = mmio("--regs", f"{RP2040}:UART0", shm.spec, "write", "UARTCR.UARTEN", 1, ";",
             "read", "UARTCR")
    assert r.rc == 0, r
    assert shm.u32(0x30) == 0x301
    assert "UARTEN[0:0]: 0x1 (1)" in r.out and "TXE[8:8]: 0x1 (1)" in r.out
    r = mmio("regs", RP2040, "UART0.UARTCR.UARTEN", "--json")
    reg = json.loads(r.out)["registers"][0]
    assert reg["name"] == "UART0.UARTCR" and reg["address"] == 0x40034030
    assert reg["reset"] == 0x300 and reg["fields"][0]["name"] == "UARTEN"


def test_a_field_of_a_write_only_register_after_a_whole_write(mmio, shm, tmp_path):
    regs = tmp_path / "wo.regs"
    regs.write_text("device t\nperipheral P 0x0\n  register CMD 0x10 32 wo\n"
                    "    field OP 3:0\n    field ARG 15:8\n")
    r = mmio("--regs", regs, shm.spec, "write", "P.CMD", "0x1203", ";", "write", "P.CMD.OP", 5)
    assert r.rc == 0, r
    assert shm.u32(0x10) == 0x1205
    # Without the whole write first, the other bits are unknown: refused.
    r = mmio("--regs", regs, shm.spec, "write", "P.CMD.OP", 5)
    assert r.rc == 2 and "write-only" in r.err


def test_json_of_a_register_with_many_fields_is_whole(mmio, shm, tmp_path):
    lines = ["device big", "peripheral P 0x0", "  register CTRL 0x0 32"]
    for bit in range(32):
        lines += [f"    field LONG_FIELD_NAME_{bit} {bit}",
                  f"      value OFF_STATE_OF_{bit} 0", f"      value ON_STATE_OF_{bit} 1"]
    regs = tmp_path / "big.regs"
    regs.write_text("\n".join(lines) + "\n")
    shm.put32(0, 0xA5A5A5A5)
    r = mmio("--json", "--regs", regs, shm.spec, "read", "P.CTRL")
    assert r.rc == 0, r
    fields = json.loads(r.out)["results"][0]["fields"]
    assert len(fields) == 32 and fields[0]["enum"] == "ON_STATE_OF_0"
    r = mmio("--json", "shm:" + "y" * 2100, "read", 0)
    assert json.loads(r.out)["source"] == "shm:" + "y" * 2100


def test_a_whole_name_under_a_peripheral_gets_a_hint(mmio):
    r = mmio("--regs", EDU_SVD, "--peripheral", "EDU", "fake:edu", "read", "EDU.ID")
    assert r.rc == 2 and "names are EDU's registers: write ID" in r.err, r


def test_an_unknown_name_says_how_names_are_made_and_where_they_are_listed(mmio):
    r = mmio("--regs", EDU_SVD, "fake:edu", "read", "ID")
    assert r.rc == 2 and "names are PERIPHERAL.REGISTER[.FIELD]" in r.err, r
    assert f"mmio regs {EDU_SVD} lists them" in r.err
    r = mmio("--regs", EDU_SVD, "fake:edu", "read", "EDU.NOPE")
    assert r.rc == 2 and "no register named 'NOPE'" in r.err, r
    assert f"mmio regs {EDU_SVD} lists the names" in r.err


def test_a_field_write_to_a_read_to_clear_register_says_to_write_it_whole(mmio, shm, tmp_path):
    regs = tmp_path / "dev.regs"
    regs.write_text("device d\nperipheral P 0x0\n"
                    "  register EV 0x0 32 rw read=clear\n    field EN 0\n    field MODE 2:1\n")
    before = shm.bytes()
    r = mmio("--regs", f"{regs}:P", shm.spec, "write", "EV.MODE", 1)
    assert r.rc == 2 and "write the whole register instead" in r.err, r
    r = mmio("--regs", f"{regs}:P", shm.spec, "dump", "EV", 4)
    assert r.rc == 2 and "only read takes it by name" in r.err, r
    assert shm.bytes() == before
