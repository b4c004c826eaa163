/*
 * The Python extension mmio._mmio: what its files share.
 *
 * It stands on the library's public headers only. Every object here is
 * used with the GIL held; the one place that lets it go is the sleep
 * between the reads of a poll (region.c), and no region is touched while
 * it is let go, so a close, split or store from another thread can never
 * race an access.
 */
#ifndef PYMMIO_H
#define PYMMIO_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stddef.h>
#include <stdint.h>

#include <mmio/block.h>
#include <mmio/desc.h>
#include <mmio/mmio.h>
#include <mmio/testing/model.h>

/*
 * A fake device model (spec "fake:NAME") kept alive for the regions over
 * it: each such region holds a strong reference, so the model is
 * destroyed only after the last of them has been released. It owns the
 * model; failure is the last message the model's fake register file gave
 * when it rejected an access (its failure handler writes it there instead
 * of aborting).
 */
typedef struct {
  PyObject_HEAD mmio_model *model;
  char failure[512];
} pymmio_model;

/*
 * mmio.Region. The object owns r (released by close() or when the object
 * goes) and a strong reference to keep, the model under a fake region or
 * NULL. r never moves: the library remembers its address (a copied region
 * is detected and aborts), and a Python object does not move either.
 */
typedef struct {
  PyObject_HEAD mmio_region r;
  int open;        /* 0 after close(): every use raises ValueError */
  PyObject *keep;  /* pymmio_model * or NULL */
  PyObject *spec;  /* str: the spec it was opened with, for repr */
  uint64_t origin; /* byte 0's offset in what the spec opened, for repr */
  /* What addresses r by offset and would see its window move under it if
   * r were split: the register maps bound to it, and the polls waiting on
   * it in other threads. split() refuses while either is nonzero. */
  Py_ssize_t maps, polls;
  PyObject *weakrefs;
} pymmio_region;

extern PyTypeObject pymmio_region_type;
extern PyTypeObject pymmio_model_type;
extern PyTypeObject pymmio_desc_type;
extern PyTypeObject pymmio_regmap_type;
extern PyTypeObject pymmio_register_type;

/* ---- errors (errors.c) ---- */

/* Creates mmio.Error, one subclass per row of MMIO_ERRNO_MAP and
 * mmio.Timeout, and adds them to module. Returns 0 or -1 with an
 * exception set. */
int pymmio_errors_init(PyObject *module);

/* The class for a library code: the row's class, Timeout for -ETIMEDOUT,
 * else mmio.Error. Borrowed. */
PyObject *pymmio_error_class(int code);

/*
 * Raises the exception for code (a negative library code) with the given
 * message, and sets its .code and .name. Returns NULL, for
 * `return pymmio_raise(...)`.
 */
PyObject *pymmio_raise(int code, const char *message);

/* As pymmio_raise, with "CONTEXT: <mmio_strerror(code)>" as the message. */
PyObject *pymmio_raise_in(int code, const char *context);

/* ---- arguments (errors.c) ---- */

/*
 * Converts o, an int (or anything with __index__), to *out.
 * Returns 0; -1 with TypeError for another type, or OverflowError naming
 * what when the value is negative or does not fit bits bits (1 to 64).
 */
int pymmio_uint_arg(uint64_t *out, PyObject *o, unsigned bits, const char *what);

/*
 * Converts an offset or a length within a region to *out. Returns 0; -1
 * with TypeError for a non-int, or mmio.OutOfRange for a negative value or
 * one past SIZE_MAX (no region reaches it), with context in the message.
 */
int pymmio_offset_arg(size_t *out, PyObject *o, const char *context);

/* ---- regions (region.c) ---- */

/* Makes a new, open mmio.Region that takes *r (moved, left empty), keeps a
 * reference to keep (may be NULL) and shows spec in its repr. Returns the
 * new reference, or NULL with an exception set (*r is then released). */
PyObject *pymmio_region_new(mmio_region *r, PyObject *keep, PyObject *spec);

/* Raises ValueError when region is closed. Returns 0 when open, else -1. */
int pymmio_region_check_open(pymmio_region *region);

/*
 * Raises the exception for err, an access's error, naming the operation,
 * the offset and the region's length, with the fake's message for a
 * rejected access. Returns NULL.
 */
PyObject *pymmio_access_error(pymmio_region *region, int err, const char *op, size_t off);

/*
 * Polling, the way mmio_poll32 does it (mmio/poll.h): calls read until
 * (*last & mask) == expected or until timeout_ns nanoseconds have passed
 * (UINT64_MAX: no limit; the deadline is taken before the first read, and
 * a read begun after it is the last one judged), sleeping interval_ns
 * between reads (0: spin). Unlike the library's loop it reads with the
 * GIL held and lets the GIL go only around the sleep, so that no other
 * thread can close or split the region in the middle of an access and a
 * fake device is never entered from two threads at once; even a spinning
 * poll lets other threads run between reads. *last is always the last
 * value read. Returns 0; -ETIMEDOUT; read's error; or PYMMIO_PY_ERROR
 * with a Python exception set (a signal's, such as KeyboardInterrupt, or
 * ValueError when region was closed by another thread meanwhile).
 */
#define PYMMIO_PY_ERROR 1
typedef int (*pymmio_read_fn)(void *ctx, uint64_t *out);
int pymmio_poll_loop(uint64_t *last, pymmio_region *region, pymmio_read_fn read, void *ctx,
                     uint64_t mask, uint64_t expected, uint64_t timeout_ns, uint64_t interval_ns);

/* Converts a poll's timeout (seconds, None: no limit) and interval
 * (seconds) to nanoseconds, leaving the defaults when an argument is NULL.
 * Returns 0 or -1 with TypeError or ValueError. */
int pymmio_poll_times(uint64_t *timeout_ns, uint64_t *interval_ns, PyObject *timeout,
                      PyObject *interval);

/* Raises mmio.Timeout for a poll of op at off, with .last. Returns NULL. */
PyObject *pymmio_poll_timeout(const char *op, size_t off, uint64_t mask, uint64_t expected,
                              uint64_t timeout_ns, uint64_t last);

/* mmio.open(spec, cache="default", read_only=False) */
PyObject *pymmio_open(PyObject *module, PyObject *args, PyObject *kwargs);

/* ---- descriptions and register maps (regmap.c) ---- */

/* mmio.load_description(path) and mmio.parse_description(text, name) */
PyObject *pymmio_load_description(PyObject *module, PyObject *arg);
PyObject *pymmio_parse_description(PyObject *module, PyObject *args, PyObject *kwargs);

#endif /* PYMMIO_H */
