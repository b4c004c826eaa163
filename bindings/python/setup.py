"""Builds the extension mmio._mmio with the project's own CMake build.

The library's sources are listed in one place, its CMake build: this file
configures the top-level project (tests, examples and benchmarks off) and
builds the target mmio_python, which links the static, position-independent
libraries, then puts the module and its type stubs into the package. It
needs the whole project checkout (two folders up), CMake and a C compiler.

MMIO_PYTHON_BUILD_DIR, when set, is where the builds go (and stay, so that
the next build is incremental); otherwise CMake builds in a temporary
folder and setuptools in build/ here.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BUILD_DIR = os.environ.get("MMIO_PYTHON_BUILD_DIR")


def project_version():
    """The library's version, from the one header that defines it."""
    path = os.path.join(ROOT, "include", "mmio", "version.h")
    if not os.path.exists(path):
        sys.exit("mmio: build from a checkout of the whole project: %s is missing" % path)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    parts = [re.search(r"#define MMIO_VERSION_%s (\d+)" % p, text).group(1)
             for p in ("MAJOR", "MINOR", "PATCH")]
    return ".".join(parts)


def write_stubs(package_dir):
    """Writes package_dir/__init__.pyi from the template, with one class per
    exception the built module has (they come from the library's list of
    error codes, so the stubs cannot fall behind it)."""
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]); import mmio\n"
        "for name in sorted(n for n in dir(mmio) if n != 'Error'):\n"
        "    cls = getattr(mmio, name)\n"
        "    if isinstance(cls, type) and issubclass(cls, mmio.Error):\n"
        "        bases = ', '.join(b.__name__ for b in cls.__bases__)\n"
        "        print('class %s(%s):' % (name, bases))\n"
        "        print('    code: int')\n"
        "        print('    name: str')\n"
        "        if name == 'Timeout': print('    last: int')\n"
    )
    lib_dir = os.path.dirname(package_dir)
    classes = subprocess.run([sys.executable, "-c", script, lib_dir], check=True,
                             capture_output=True, text=True).stdout
    with open(os.path.join(HERE, "mmio", "__init__.pyi.in"), encoding="utf-8") as f:
        template = f.read()
    with open(os.path.join(package_dir, "__init__.pyi"), "w", encoding="utf-8") as f:
        f.write(template.replace("# @EXCEPTIONS@\n", classes))


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        cmake_dir = os.path.join(BUILD_DIR, "cmake") if BUILD_DIR else tempfile.mkdtemp()
        out_dir = os.path.join(cmake_dir, "module")
        try:
            subprocess.run(
                ["cmake", "-S", ROOT, "-B", cmake_dir, "-DCMAKE_BUILD_TYPE=Release",
                 "-DMMIO_BUILD_TESTS=OFF", "-DMMIO_BUILD_BENCH=OFF", "-DMMIO_BUILD_EXAMPLES=OFF",
                 "-DMMIO_PYTHON_REQUIRED=ON", "-DPython3_EXECUTABLE=" + sys.executable,
                 "-DMMIO_PYTHON_OUTPUT_DIR=" + out_dir], check=True, stdout=subprocess.DEVNULL)
            subprocess.run(["cmake", "--build", cmake_dir, "--target", "mmio_python",
                            "-j", str(os.cpu_count() or 2)], check=True, stdout=subprocess.DEVNULL)
            built = [f for f in os.listdir(out_dir) if f.startswith("_mmio.")]
            if len(built) != 1:
                sys.exit("mmio: expected one built module in %s, found %s" % (out_dir, built))
            target = self.get_ext_fullpath(ext.name)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copyfile(os.path.join(out_dir, built[0]), target)
        finally:
            if not BUILD_DIR:
                shutil.rmtree(cmake_dir, ignore_errors=True)
        write_stubs(os.path.dirname(target))


options = {}
if BUILD_DIR:
    options = {"build": {"build_base": os.path.join(BUILD_DIR, "setuptools")},
               "egg_info": {"egg_base": BUILD_DIR}}
    os.makedirs(BUILD_DIR, exist_ok=True)

setup(
    version=project_version(),
    ext_modules=[Extension("mmio._mmio", sources=[])],
    cmdclass={"build_ext": CMakeBuild},
    options=options,
)
