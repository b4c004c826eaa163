"""mmio regs and mmio list: what a description holds, and what this
machine can open, for people and as JSON."""

import json

from conftest import DATA, EDU_REGS, EDU_SVD


def test_regs_prints_registers_fields_and_values(mmio):
    r = mmio("regs", EDU_SVD)
    assert r.rc == 0, r
    assert r.out.startswith("device edu\nEDU @ 0x00000000")
    assert "  0x0008  FACTORIAL" in r.out
    assert "DIRECTION" in r.out and "EDU_TO_RAM" in r.out


def test_regs_json_expands_every_array_element(mmio):
    r = mmio("regs", DATA / "svd" / "arrays.svd", "--json")
    assert r.rc == 0, r
    doc = json.loads(r.out)
    names = [reg["name"] for reg in doc["registers"]]
    assert len(names) == len(set(names)) > 4
    assert all("%" not in n for n in names) and "GPIOA.RAM[2]" in names
    r = mmio("regs", EDU_SVD, "--json")
    doc = json.loads(r.out)
    assert doc["device"] == "edu"
    status = next(reg for reg in doc["registers"] if reg["name"] == "EDU.STATUS")
    assert status["address"] == 0x20 and status["size"] == 32 and status["access"] == "rw"
    computing = next(f for f in status["fields"] if f["name"] == "COMPUTING")
    assert (computing["lsb"], computing["msb"], computing["access"]) == (0, 0, "ro")
    dma = next(reg for reg in doc["registers"] if reg["name"] == "EDU.DMA_CMD")
    direction = next(f for f in dma["fields"] if f["name"] == "DIRECTION")
    assert {"name": "EDU_TO_RAM", "value": 1} in direction["enums"]


def test_regs_narrows_to_a_name(mmio):
    r = mmio("regs", EDU_SVD, "EDU.STATUS.COMPUTING", "--json")
    doc = json.loads(r.out)
    assert [reg["name"] for reg in doc["registers"]] == ["EDU.STATUS"]
    assert [f["name"] for f in doc["registers"][0]["fields"]] == ["COMPUTING"]
    r = mmio("regs", EDU_SVD, "EDU.NOPE")
    assert r.rc == 2 and "NOPE" in r.err


def test_regs_refuses_bad_files_with_the_line(mmio, tmp_path):
    r = mmio("regs", DATA / "svd" / "malformed" / "truncated.svd")
    assert r.rc == 2 and "truncated.svd:24" in r.err, r
    r = mmio("regs", tmp_path / "missing.svd")
    assert r.rc == 1 and "give a CMSIS-SVD (.svd) or register text (.regs) file" in r.err, r


def test_regs_json_has_null_for_a_reset_the_description_does_not_give(mmio):
    doc = json.loads(mmio("regs", EDU_REGS, "--json").out)
    resets = {reg["name"]: reg["reset"] for reg in doc["registers"]}
    assert resets["EDU.STATUS"] == 0 and resets["EDU.LIVENESS"] is None


def test_list_names_the_spec_of_every_region(mmio):
    r = mmio("list", "--json")
    assert r.rc == 0, r
    doc = json.loads(r.out)
    fake = next(d for d in doc["devices"] if d["spec"] == "fake:edu")
    assert fake["regions"][0] == {"index": 0, "spec": "fake:edu", "size": 1 << 20}
    for d in doc["devices"]:
        for region in d.get("regions", []):
            assert region["spec"].startswith(d["spec"])
    r = mmio("list")
    assert "fake:edu" in r.out


def test_help_for_the_tool_and_each_command(mmio):
    r = mmio("--help")
    assert r.rc == 0 and "EXIT STATUS" in r.out and "fake:edu" in r.out
    for cmd in ("read", "write", "modify", "dump", "fill", "copy", "load", "poll", "watch", "irq",
                "info"):
        r = mmio(cmd, "--help")
        assert r.rc == 0 and r.out.startswith("usage: mmio [OPTIONS] SOURCE " + cmd), cmd
    r = mmio("--version")
    assert r.rc == 0 and r.out.startswith("mmio 0.")
    for sub in ("list", "regs", "devmem"):
        assert mmio(sub, "--help").rc == 0
        # An option before it: the message shows where it goes.
        r = mmio("--json", sub)
        assert r.rc == 2 and f"{sub} comes first" in r.err, r
    # A command's help after the source, as after any other words.
    r = mmio("fake:edu", "write", 8, 1, ";", "read", "--help")
    assert r.rc == 0 and r.out.startswith("usage: mmio [OPTIONS] SOURCE read"), r
    r = mmio("fake:edu", "--batch", "-", input="read 0 --help\n")
    assert r.rc == 2 and "mmio read --help prints" in r.err, r
    r = mmio()
    assert r.rc == 2 and "no SOURCE" in r.err
