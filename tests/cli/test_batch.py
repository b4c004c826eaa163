"""Batch files and command lines as the mmio command reads them: one
command per line or between lone ';' words, blank lines and '#' comments
ignored, every line number right in the messages."""

import subprocess

from conftest import TOOL


def test_comments_blank_lines_and_semicolons_give_the_commands_in_order(mmio, shm, tmp_path):
    batch = tmp_path / "batch"
    batch.write_text("# set up\n"
                     "\n"
                     "write 0 0x11223344   # the first word\n"
                     "  \t\n"
                     "read 0 ; read8 0 ; read16 2\n"
                     "read8 1#glued comment\n"
                     "\tread32 0\r\n"
                     ";\n"
                     "read 0")  # no newline at the end
    r = mmio("-q", shm.spec, "--batch", batch)
    assert r.rc == 0, r
    assert r.out.split() == ["0x11223344", "0x44", "0x1122", "0x33", "0x11223344", "0x11223344"]


def test_a_bad_command_is_named_by_its_line_after_comments_and_semicolons(mmio, shm, tmp_path):
    batch = tmp_path / "batch"
    batch.write_text("# 1\n\nread 0 ; read 4\n# 4\n;\nread 8 ; read 0x10000\nread 0\n")
    before = shm.bytes()
    r = mmio(shm.spec, "--batch", batch)
    assert r.rc == 2, r
    assert r.err.startswith("mmio: line 6: ") and "runs past the end" in r.err
    assert r.out == ""
    assert shm.bytes() == before


def test_command_line_commands_are_numbered_between_semicolons(mmio, shm):
    r = mmio(shm.spec, ";", "read", "0", ";", ";", "read", "4", ";", "read", "0x2001")
    assert r.rc == 2, r
    assert r.err.startswith("mmio: command 3: ") and "not aligned" in r.err


def test_a_file_with_only_comments_is_no_command(mmio, shm, tmp_path):
    batch = tmp_path / "batch"
    batch.write_text("# nothing\n\n   ;  \n")
    r = mmio(shm.spec, "--batch", batch)
    assert r.rc == 2, r
    assert "no command given" in r.err


def test_many_thousand_lines_from_standard_input_all_run(shm):
    n = 30000
    text = "".join(f"write {4 * (i % 1024)} {i}\nread {4 * (i % 1024)}\n" for i in range(n))
    proc = subprocess.run([TOOL, "-q", shm.spec, "--batch", "-"], input=text,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    values = proc.stdout.split()
    assert len(values) == n
    assert values[0] == "0x00000000" and values[-1] == f"0x{n - 1:08x}"
    assert shm.u32(4 * ((n - 1) % 1024)) == n - 1


def test_more_commands_than_the_first_allocation_holds_all_run(shm, tmp_path):
    # The commands are allocated for up to 2^20 at first, then grow.
    n = (1 << 20) + 5
    shm.put32(8, 0xabcd)
    batch = tmp_path / "batch"
    batch.write_text("\n" * 10 + "read 8\n" * n)
    proc = subprocess.run([TOOL, "-q", shm.spec, "--batch", str(batch)], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    values = proc.stdout.split("\n")
    assert len(values) == n + 1 and values[-2] == "0x0000abcd" and values[-1] == ""
