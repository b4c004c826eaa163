"""Checked, width-exact access to device memory from Python.

    import mmio
    with mmio.open("fake:edu") as bar0:          # or pci:, vfio:, uio:, shm:, file:, phys:
        print(hex(bar0.read32(0x00)))
        regs = mmio.load_description("edu.regs").bind(bar0)
        regs.FACTORIAL = 5
        regs.STATUS.poll(COMPUTING=0)
        print(regs.FACTORIAL.read())

Every access is checked (offset, width, alignment, write right) and made
as exactly one load or store of its width; errors raise mmio.Error or one
of its subclasses; a bus error raises mmio.BusError. The C part is
mmio._mmio; everything public is here.
"""

from mmio import _mmio
from mmio._mmio import *  # noqa: F401,F403  (the module's public names, listed in __all__)

__all__ = sorted(name for name in dir(_mmio) if not name.startswith("_"))

__version__ = "%d.%d.%d" % (_mmio.LIBRARY_VERSION >> 16, (_mmio.LIBRARY_VERSION >> 8) & 0xFF,
                            _mmio.LIBRARY_VERSION & 0xFF)
