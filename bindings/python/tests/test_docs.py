"""The documents' Python examples are the ones the tests run."""

import os
import re
import subprocess
import sys

import pytest

from conftest import EXAMPLES, ROOT


def python_blocks(path):
    with open(path, encoding="utf-8") as f:
        return re.findall(r"^```python\n(.*?)^```$", f.read(), re.S | re.M)


def test_the_readme_example_is_the_edu_driver_the_tests_run():
    with open(os.path.join(EXAMPLES, "edu", "edu.py"), encoding="utf-8") as f:
        example = f.read()
    assert python_blocks(os.path.join(ROOT, "README.md"))[0] == example


GUIDE_BLOCKS = python_blocks(os.path.join(ROOT, "docs", "python.md"))


@pytest.mark.parametrize("index", range(len(GUIDE_BLOCKS)))
def test_every_example_of_the_guide_runs(index):
    code = GUIDE_BLOCKS[index]
    shm = re.findall(r"shm:([\w.-]+)\+", code)
    try:
        out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                             text=True, timeout=60)
    finally:
        for name in shm:
            if os.path.exists("/dev/shm/" + name):
                os.unlink("/dev/shm/" + name)
    assert out.returncode == 0, out.stderr
