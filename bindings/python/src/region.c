/*
 * mmio.Region and mmio.open: checked, width-exact accesses from Python.
 *
 * Each read or write is one call of the library's checked accessor of
 * that width, so each is exactly one device access of that width; the
 * Python side adds the argument conversion and, for a read, the int it
 * returns. Every region this module makes is guarded (mmio/guard.h): a
 * fault during an access raises mmio.BusError instead of killing the
 * interpreter.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "pymmio.h"

/* How many time steps a fake model's slow operations take (an edu
 * factorial is done after this many STATUS reads), so that a driver that
 * forgets to wait for the device reads a stale result, as it would on the
 * real one. */
#define PYMMIO_FAKE_LATENCY 3

/* array.array type codes by element width: these are the codes whose C
 * types have exactly that size on every Linux target. */
_Static_assert(sizeof(unsigned short) == 2 && sizeof(unsigned int) == 4 &&
                   sizeof(unsigned long long) == 8,
               "array.array codes H, I and Q must be 2, 4 and 8 bytes");

static PyObject *pymmio_closed(void) {
  PyErr_SetString(PyExc_ValueError, "the region is closed");
  return NULL;
}

int pymmio_region_check_open(pymmio_region *region) {
  if (region->open) return 0;
  pymmio_closed();
  return -1;
}

PyObject *pymmio_access_error(pymmio_region *region, int err, const char *op, size_t off) {
  char message[1024];
  int n = snprintf(message, sizeof(message), "%s at 0x%zx: %s (region length 0x%zx)", op, off,
                   mmio_strerror(err), mmio_len(&region->r));
  /* A fake's failure handler left its reason: say it, once. */
  if (err == MMIO_ERR_REJECTED && region->keep != NULL &&
      Py_IS_TYPE(region->keep, &pymmio_model_type)) {
    pymmio_model *model = (pymmio_model *)region->keep;
    if (model->failure[0] != '\0' && n > 0 && (size_t)n < sizeof(message))
      snprintf(message + n, sizeof(message) - (size_t)n, ": %s", model->failure);
    model->failure[0] = '\0';
  }
  return pymmio_raise(err, message);
}

/* ---- the model behind fake: regions ---- */

/* The fake's failure handler: keep the message for the exception; the
 * access then returns MMIO_ERR_REJECTED and changes nothing. */
static void pymmio_model_failed(void *arg, const char *message) {
  pymmio_model *model = arg;
  snprintf(model->failure, sizeof(model->failure), "%s", message);
}

static void pymmio_model_dealloc(PyObject *self) {
  mmio_model_destroy(((pymmio_model *)self)->model);
  Py_TYPE(self)->tp_free(self);
}

PyTypeObject pymmio_model_type = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "mmio._Model",
    .tp_basicsize = sizeof(pymmio_model),
    .tp_dealloc = pymmio_model_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "A fake device model, alive while a region over it is.",
};

/* ---- making regions ---- */

PyObject *pymmio_region_new(mmio_region *r, PyObject *keep, PyObject *spec) {
  pymmio_region *self = (pymmio_region *)pymmio_region_type.tp_alloc(&pymmio_region_type, 0);
  if (self == NULL) {
    mmio_region_release(r);
    return NULL;
  }
  /* tp_alloc zeroed the object, so self->r is an empty region to move into. */
  mmio_region_move(&self->r, r);
  self->open = 1;
  self->keep = Py_XNewRef(keep);
  self->spec = Py_NewRef(spec);
  return (PyObject *)self;
}

/* Guards *r and wraps it; releases *r on failure. */
static PyObject *pymmio_region_wrap(mmio_region *r, PyObject *keep, PyObject *spec) {
  int err = mmio_region_guard(r);
  if (err != 0) {
    mmio_region_release(r);
    return pymmio_raise_in(err, "cannot guard the region against bus errors");
  }
  return pymmio_region_new(r, keep, spec);
}

static PyObject *pymmio_open_fake(PyObject *spec, const char *name, enum mmio_cache_policy policy,
                                  int read_only) {
  pymmio_model *holder = NULL;
  mmio_region r = {0};
  PyObject *ret = NULL;
  int err;
  if (policy != MMIO_CACHE_DEFAULT) {
    PyObject *message = PyUnicode_FromFormat(
        "%U: a fake device model has no memory type: open it with cache='default'", spec);
    if (message != NULL) pymmio_raise(MMIO_ERR_CACHE_POLICY, PyUnicode_AsUTF8(message));
    Py_XDECREF(message);
    return NULL;
  }
  holder = PyObject_New(pymmio_model, &pymmio_model_type);
  if (holder == NULL) return NULL;
  holder->model = NULL;
  holder->failure[0] = '\0';
  err = mmio_model_create(&holder->model, name, PYMMIO_FAKE_LATENCY);
  if (err == MMIO_ERR_UNKNOWN_NAME) {
    char message[512];
    const char *const *names = mmio_model_names();
    int n =
        snprintf(message, sizeof(message),
                 "%s: no device model is called '%s'; there are:", PyUnicode_AsUTF8(spec), name);
    for (; *names != NULL && n > 0 && (size_t)n < sizeof(message); names++)
      n += snprintf(message + n, sizeof(message) - (size_t)n, " fake:%s", *names);
    pymmio_raise(err, message);
    goto done;
  }
  if (err != 0) {
    pymmio_raise_in(err, PyUnicode_AsUTF8(spec));
    goto done;
  }
  mmio_fake_on_failure(mmio_model_fake(holder->model), pymmio_model_failed, holder);
  err = mmio_model_region(&r, holder->model);
  if (err == 0 && read_only) err = mmio_region_make_read_only(&r);
  if (err != 0) {
    mmio_region_release(&r);
    pymmio_raise_in(err, PyUnicode_AsUTF8(spec));
    goto done;
  }
  ret = pymmio_region_wrap(&r, (PyObject *)holder, spec);
done:
  Py_DECREF(holder);
  return ret;
}

/* The policy called name, by the library's names. Returns 0 or -1 with
 * ValueError listing them. */
static int pymmio_cache_arg(enum mmio_cache_policy *out, const char *name) {
  char names[256];
  size_t n = 0;
  int p;
  names[0] = '\0';
  for (p = 0; strcmp(mmio_cache_policy_name((enum mmio_cache_policy)p), "invalid") != 0; p++) {
    const char *each = mmio_cache_policy_name((enum mmio_cache_policy)p);
    if (strcmp(each, name) == 0) {
      *out = (enum mmio_cache_policy)p;
      return 0;
    }
    if (n < sizeof(names))
      n += (size_t)snprintf(names + n, sizeof(names) - n, "%s'%s'", p > 0 ? ", " : "", each);
  }
  PyErr_Format(PyExc_ValueError, "unknown cache policy '%s': use one of %s", name, names);
  return -1;
}

/* Raises the error of opening a spec with mmio_explain's advice, which
 * lists the library's forms for a spec that does not parse: open() also
 * takes the models' names. */
static void pymmio_open_failed(int err, const char *advice) {
  const char *const *names = mmio_model_names();
  PyObject *message = PyUnicode_FromString(advice);
  for (; err == MMIO_ERR_BAD_SPEC && message != NULL && *names != NULL; names++)
    PyUnicode_AppendAndDel(&message, PyUnicode_FromFormat("fake:%s (a device model)\n", *names));
  if (message != NULL) Py_SETREF(message, PyObject_CallMethod(message, "rstrip", NULL));
  if (message != NULL) pymmio_raise(err, PyUnicode_AsUTF8(message));
  Py_XDECREF(message);
}

PyObject *pymmio_open(PyObject *module, PyObject *args, PyObject *kwargs) {
  static char *kwlist[] = {"spec", "cache", "read_only", NULL};
  PyObject *spec;
  const char *text, *cache = "default";
  enum mmio_cache_policy policy;
  int read_only = 0, err;
  mmio_region r = {0};
  PyThreadState *thread;
  (void)module;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "U|sp:open", kwlist, &spec, &cache, &read_only))
    return NULL;
  text = PyUnicode_AsUTF8(spec);
  if (text == NULL || pymmio_cache_arg(&policy, cache) < 0) return NULL;
  if (strncmp(text, "fake:", 5) == 0) return pymmio_open_fake(spec, text + 5, policy, read_only);
  /* Opening may read sysfs and set up VFIO: other threads may run. */
  thread = PyEval_SaveThread();
  err = mmio_open(&r, text, policy, read_only ? MMIO_MAP_READ_ONLY : 0);
  PyEval_RestoreThread(thread);
  if (err != 0) {
    char small[1024], *why = small;
    int len = mmio_explain(small, sizeof(small), text, err);
    if (len >= (int)sizeof(small) && (why = PyMem_Malloc((size_t)len + 1)) != NULL)
      mmio_explain(why, (size_t)len + 1, text, err);
    pymmio_open_failed(err, why != NULL ? why : small);
    if (why != small) PyMem_Free(why);
    return NULL;
  }
  return pymmio_region_wrap(&r, NULL, spec);
}

/* ---- accesses ---- */

static PyObject *pymmio_arg_count(const char *name, int wanted, Py_ssize_t given) {
  PyErr_Format(PyExc_TypeError, "%s() takes exactly %d arguments (%zd given)", name, wanted, given);
  return NULL;
}

/* read8 ... read64, write8 ... write64, modify8 ... modify64: one checked
 * access each, of exactly that width. */
#define PYMMIO_ACCESSORS(bits, type, to_py)                                                        \
  static PyObject *pymmio_read##bits(pymmio_region *self, PyObject *arg) {                         \
    size_t off;                                                                                    \
    type v;                                                                                        \
    int err;                                                                                       \
    if (!self->open) return pymmio_closed();                                                       \
    if (pymmio_offset_arg(&off, arg, "read" #bits) < 0) return NULL;                               \
    err = mmio_try_load##bits(&self->r, off, &v);                                                  \
    if (err != 0) return pymmio_access_error(self, err, "read" #bits, off);                        \
    return to_py(v);                                                                               \
  }                                                                                                \
  static PyObject *pymmio_write##bits(pymmio_region *self, PyObject *const *args,                  \
                                      Py_ssize_t nargs) {                                          \
    size_t off;                                                                                    \
    uint64_t v;                                                                                    \
    int err;                                                                                       \
    if (nargs != 2) return pymmio_arg_count("write" #bits, 2, nargs);                              \
    if (!self->open) return pymmio_closed();                                                       \
    if (pymmio_offset_arg(&off, args[0], "write" #bits) < 0) return NULL;                          \
    if (pymmio_uint_arg(&v, args[1], bits, "value") < 0) return NULL;                              \
    err = mmio_try_store##bits(&self->r, off, (type)v);                                            \
    if (err != 0) return pymmio_access_error(self, err, "write" #bits, off);                       \
    Py_RETURN_NONE;                                                                                \
  }                                                                                                \
  static PyObject *pymmio_modify##bits(pymmio_region *self, PyObject *const *args,                 \
                                       Py_ssize_t nargs) {                                         \
    size_t off;                                                                                    \
    uint64_t mask, value;                                                                          \
    int err;                                                                                       \
    if (nargs != 3) return pymmio_arg_count("modify" #bits, 3, nargs);                             \
    if (!self->open) return pymmio_closed();                                                       \
    if (pymmio_offset_arg(&off, args[0], "modify" #bits) < 0) return NULL;                         \
    if (pymmio_uint_arg(&mask, args[1], bits, "mask") < 0) return NULL;                            \
    if (pymmio_uint_arg(&value, args[2], bits, "value") < 0) return NULL;                          \
    err = mmio_masked_modify##bits(&self->r, off, (type)mask, (type)value);                        \
    if (err != 0) return pymmio_access_error(self, err, "modify" #bits, off);                      \
    Py_RETURN_NONE;                                                                                \
  }

PYMMIO_ACCESSORS(8, uint8_t, PyLong_FromUnsignedLong)
PYMMIO_ACCESSORS(16, uint16_t, PyLong_FromUnsignedLong)
PYMMIO_ACCESSORS(32, uint32_t, PyLong_FromUnsignedLong)
PYMMIO_ACCESSORS(64, uint64_t, PyLong_FromUnsignedLongLong)

#undef PYMMIO_ACCESSORS

/* ---- polling ---- */

/*
 * Converts a time in seconds (an int or a float, >= 0) to nanoseconds,
 * saturating at UINT64_MAX. None gives UINT64_MAX when none_ok. Returns 0
 * or -1 with TypeError or ValueError.
 */
static int pymmio_seconds_arg(uint64_t *out, PyObject *o, const char *what, int none_ok) {
  double s;
  if (none_ok && o == Py_None) {
    *out = UINT64_MAX;
    return 0;
  }
  s = PyFloat_AsDouble(o);
  if (s == -1.0 && PyErr_Occurred()) return -1;
  if (isnan(s) || s < 0) {
    PyErr_Format(PyExc_ValueError, "%s must be a number of seconds >= 0, not %R", what, o);
    return -1;
  }
  *out = s * 1e9 >= 18446744073709549568.0 ? UINT64_MAX : (uint64_t)(s * 1e9);
  return 0;
}

int pymmio_poll_times(uint64_t *timeout_ns, uint64_t *interval_ns, PyObject *timeout,
                      PyObject *interval) {
  if (timeout != NULL && pymmio_seconds_arg(timeout_ns, timeout, "timeout", 1) < 0) return -1;
  if (interval != NULL && pymmio_seconds_arg(interval_ns, interval, "interval", 0) < 0) return -1;
  return 0;
}

PyObject *pymmio_poll_timeout(const char *op, size_t off, uint64_t mask, uint64_t expected,
                              uint64_t timeout_ns, uint64_t last) {
  char message[512];
  PyObject *type, *value, *tb, *py_last;
  snprintf(message, sizeof(message),
           "%s at 0x%zx: timed out after %.9g s: (value & 0x%llx) != 0x%llx; last value 0x%llx", op,
           off, (double)timeout_ns / 1e9, (unsigned long long)mask, (unsigned long long)expected,
           (unsigned long long)last);
  pymmio_raise(-ETIMEDOUT, message);
  PyErr_Fetch(&type, &value, &tb);
  py_last = PyLong_FromUnsignedLongLong(last);
  if (value != NULL && py_last != NULL && PyObject_SetAttrString(value, "last", py_last) < 0) {
    Py_CLEAR(type);
    Py_CLEAR(value);
    Py_CLEAR(tb);
  }
  Py_XDECREF(py_last);
  if (type != NULL) PyErr_Restore(type, value, tb);
  return NULL;
}

/* A poll's read of the region at off, width bytes. */
struct pymmio_poll_at {
  pymmio_region *region;
  size_t off;
  unsigned width;
};

static int pymmio_poll_read(void *ctx, uint64_t *out) {
  struct pymmio_poll_at *at = ctx;
  return mmio_try_load_width(&at->region->r, at->off, at->width, out);
}

int pymmio_poll_loop(uint64_t *last, pymmio_region *region, pymmio_read_fn read, void *ctx,
                     uint64_t mask, uint64_t expected, uint64_t timeout_ns, uint64_t interval_ns) {
  uint64_t deadline = mmio_clock_ns();
  PyThreadState *thread;
  int err = 0;
  deadline = timeout_ns > UINT64_MAX - deadline ? UINT64_MAX : deadline + timeout_ns;
  region->polls++;
  for (;;) {
    const int late = mmio_clock_ns() >= deadline;
    uint64_t wait_ns = interval_ns;
    err = read(ctx, last);
    if (err != 0) break;
    if ((*last & mask) == expected) break;
    if (late) {
      err = -ETIMEDOUT;
      break;
    }
    if (deadline != UINT64_MAX) {
      /* Sleep no further than the deadline: the final read comes then. */
      const uint64_t now = mmio_clock_ns();
      const uint64_t left = deadline > now ? deadline - now : 0;
      if (wait_ns > left) wait_ns = left;
    }
    thread = PyEval_SaveThread();
    if (wait_ns > 0) {
      struct timespec ts = {(time_t)(wait_ns / 1000000000u), (long)(wait_ns % 1000000000u)};
      nanosleep(&ts, NULL);
    }
    PyEval_RestoreThread(thread);
    /* A signal's exception, or another thread closed the region while
     * this one slept. */
    if (PyErr_CheckSignals() < 0 || pymmio_region_check_open(region) < 0) {
      err = PYMMIO_PY_ERROR;
      break;
    }
  }
  region->polls--;
  return err;
}

/* poll8 ... poll64: pymmio_poll_loop on one offset. */
static PyObject *pymmio_poll(pymmio_region *self, PyObject *args, PyObject *kwargs, unsigned width,
                             const char *op) {
  static char *kwlist[] = {"offset", "mask", "expected", "timeout", "interval", NULL};
  PyObject *py_off, *py_mask, *py_expected, *py_timeout = NULL, *py_interval = NULL;
  uint64_t mask, expected, timeout_ns = 1000000000u, interval_ns = 0, v = 0;
  struct pymmio_poll_at at = {self, 0, width};
  int err;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OOO|OO", kwlist, &py_off, &py_mask, &py_expected,
                                   &py_timeout, &py_interval))
    return NULL;
  if (!self->open) return pymmio_closed();
  if (pymmio_offset_arg(&at.off, py_off, op) < 0) return NULL;
  if (pymmio_uint_arg(&mask, py_mask, width * 8, "mask") < 0) return NULL;
  if (pymmio_uint_arg(&expected, py_expected, width * 8, "expected") < 0) return NULL;
  if (pymmio_poll_times(&timeout_ns, &interval_ns, py_timeout, py_interval) < 0) return NULL;
  if ((expected & ~mask) != 0) {
    char message[256];
    snprintf(message, sizeof(message),
             "%s: expected 0x%llx has bits outside mask 0x%llx, so it can never match", op,
             (unsigned long long)expected, (unsigned long long)mask);
    PyErr_SetString(PyExc_ValueError, message);
    return NULL;
  }
  err = pymmio_poll_loop(&v, self, pymmio_poll_read, &at, mask, expected, timeout_ns, interval_ns);
  if (err == PYMMIO_PY_ERROR) return NULL;
  if (err == -ETIMEDOUT) return pymmio_poll_timeout(op, at.off, mask, expected, timeout_ns, v);
  if (err != 0) return pymmio_access_error(self, err, op, at.off);
  return PyLong_FromUnsignedLongLong(v);
}

#define PYMMIO_POLL(bits)                                                                          \
  static PyObject *pymmio_poll##bits(pymmio_region *self, PyObject *args, PyObject *kwargs) {      \
    return pymmio_poll(self, args, kwargs, bits / 8, "poll" #bits);                                \
  }
PYMMIO_POLL(8)
PYMMIO_POLL(16)
PYMMIO_POLL(32)
PYMMIO_POLL(64)
#undef PYMMIO_POLL

/* ---- blocks ---- */

/* The array.array type code of width-byte unsigned elements, or NULL with
 * ValueError for another width. */
static const char *pymmio_width_arg(unsigned *out, PyObject *o) {
  uint64_t w = 0;
  if (o != NULL && pymmio_uint_arg(&w, o, 64, "width") < 0) return NULL;
  if (o == NULL) w = 4;
  *out = (unsigned)w;
  switch (w) {
  case 1:
    return "B";
  case 2:
    return "H";
  case 4:
    return "I";
  case 8:
    return "Q";
  default:
    PyErr_Format(PyExc_ValueError, "width must be 1, 2, 4 or 8 (bytes), not %R", o);
    return NULL;
  }
}

/* The block checks of mmio/block.h, in its order, before anything is
 * allocated for a transfer. Returns 0 or an error code. */
static int pymmio_block_check(pymmio_region *self, size_t off, uint64_t count, unsigned width) {
  uint64_t none;
  int err;
  /* Whatever the library says of an empty transfer. */
  if (count == 0) return mmio_read_block(&self->r, off, &none, 0, width);
  err = mmio_check_aligned(&self->r, off, width);
  if (err != 0) return err;
  if (count > SIZE_MAX / width) return MMIO_ERR_OUT_OF_RANGE;
  return mmio_check_capacity(&self->r, off, (size_t)count * width);
}

static PyObject *pymmio_read_block(pymmio_region *self, PyObject *args, PyObject *kwargs) {
  static char *kwlist[] = {"offset", "count", "width", NULL};
  static PyObject *array_type;
  PyObject *py_off, *py_count, *py_width = NULL, *zeros = NULL, *result = NULL;
  Py_buffer view = {0};
  const char *code;
  uint64_t count;
  unsigned width;
  size_t off;
  int err;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OO|O:read_block", kwlist, &py_off, &py_count,
                                   &py_width))
    return NULL;
  if (!self->open) return pymmio_closed();
  if (pymmio_offset_arg(&off, py_off, "read_block") < 0) return NULL;
  if (pymmio_uint_arg(&count, py_count, 64, "count") < 0) return NULL;
  if ((code = pymmio_width_arg(&width, py_width)) == NULL) return NULL;
  err = pymmio_block_check(self, off, count, width);
  if (err != 0) return pymmio_access_error(self, err, "read_block", off);
  if (array_type == NULL) {
    PyObject *array_module = PyImport_ImportModule("array");
    if (array_module == NULL) return NULL;
    array_type = PyObject_GetAttrString(array_module, "array");
    Py_DECREF(array_module);
    if (array_type == NULL) return NULL;
  }
  /* The bytes are overwritten by the transfer; zeros keep a failed one
   * from showing memory it never read. */
  zeros = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)(count * width));
  if (zeros == NULL) goto done;
  memset(PyBytes_AS_STRING(zeros), 0, (size_t)(count * width));
  result = PyObject_CallFunction(array_type, "sO", code, zeros);
  if (result == NULL || PyObject_GetBuffer(result, &view, PyBUF_WRITABLE | PyBUF_C_CONTIGUOUS) < 0)
    goto fail;
  err = mmio_read_block(&self->r, off, view.buf, (size_t)count, width);
  PyBuffer_Release(&view);
  if (err == 0) goto done;
  pymmio_access_error(self, err, "read_block", off);
fail:
  Py_CLEAR(result);
done:
  Py_XDECREF(zeros);
  return result;
}

/* Whether fmt (a buffer's struct format) is a native unsigned integer of
 * width bytes. */
static int pymmio_unsigned_format(const char *fmt, Py_ssize_t itemsize, unsigned width) {
  if (fmt == NULL) fmt = "B";
  if (*fmt == '@' || *fmt == '=' || *fmt == (PY_BIG_ENDIAN ? '>' : '<') ||
      (PY_BIG_ENDIAN && *fmt == '!'))
    fmt++;
  return itemsize == (Py_ssize_t)width && fmt[0] != '\0' && fmt[1] == '\0' &&
         strchr("BHILQN", fmt[0]) != NULL;
}

/* Stores v as element i of data, in host order like the library's arrays. */
static void pymmio_put_element(unsigned char *data, Py_ssize_t i, unsigned width, uint64_t v) {
  if (width == 1) ((uint8_t *)data)[i] = (uint8_t)v;
  if (width == 2) ((uint16_t *)data)[i] = (uint16_t)v;
  if (width == 4) ((uint32_t *)data)[i] = (uint32_t)v;
  if (width == 8) ((uint64_t *)data)[i] = v;
}

/*
 * The elements of values, as width-byte host-order integers, in *out
 * (PyMem_Malloc'd, the caller's) and their number in *count. A buffer of
 * that element size is copied; any other iterable is converted element by
 * element, so that every value is checked before the transfer starts.
 * At most max elements are taken: an iterable that has more (an endless
 * one included) is not read past max + 1. Returns 0; -2 with no exception
 * set when there are more than max; -1 with TypeError, OverflowError or
 * MemoryError.
 */
static int pymmio_block_values(void **out, size_t *count, PyObject *values, unsigned width,
                               size_t max) {
  PyObject *iter = NULL, *item;
  Py_buffer view = {0};
  unsigned char *data = NULL;
  Py_ssize_t n = 0, cap, size;
  int ret = -1;
  if (PyObject_CheckBuffer(values)) {
    if (PyObject_GetBuffer(values, &view, PyBUF_FORMAT | PyBUF_C_CONTIGUOUS) < 0) return -1;
    if (!pymmio_unsigned_format(view.format, view.itemsize, width)) {
      PyErr_Format(PyExc_TypeError,
                   "write_block: a buffer must hold native unsigned integers of %u bytes "
                   "(format '%s', itemsize %zd given); for other data pass a list of ints",
                   width, view.format != NULL ? view.format : "B", view.itemsize);
      goto done;
    }
    n = view.len / view.itemsize;
    if ((size_t)n > max) {
      ret = -2;
      goto done;
    }
    data = PyMem_Malloc(view.len > 0 ? (size_t)view.len : 1);
    if (data == NULL) {
      PyErr_NoMemory();
      goto done;
    }
    memcpy(data, view.buf, (size_t)view.len);
  } else {
    /* A sized iterable that is too long is refused before a value is
     * read; an unsized one is read up to one past what fits. */
    size = PyObject_Size(values);
    if (size < 0) PyErr_Clear();
    if (size >= 0 && (size_t)size > max) {
      ret = -2;
      goto done;
    }
    if ((iter = PyObject_GetIter(values)) == NULL) {
      PyErr_SetString(PyExc_TypeError,
                      "write_block: values must be an iterable of ints or a buffer");
      goto done;
    }
    cap = size > 0 ? size : 64;
    data = PyMem_Malloc((size_t)cap * width);
    if (data == NULL) {
      PyErr_NoMemory();
      goto done;
    }
    while ((item = PyIter_Next(iter)) != NULL) {
      uint64_t v;
      int bad;
      if ((size_t)n == max) {
        Py_DECREF(item);
        ret = -2;
        goto done;
      }
      if (n == cap) {
        unsigned char *more = PyMem_Realloc(data, (size_t)(cap *= 2) * width);
        if (more == NULL) {
          Py_DECREF(item);
          PyErr_NoMemory();
          goto done;
        }
        data = more;
      }
      bad = pymmio_uint_arg(&v, item, width * 8, "value") < 0;
      Py_DECREF(item);
      if (bad) goto done;
      pymmio_put_element(data, n++, width, v);
    }
    if (PyErr_Occurred()) goto done;
  }
  *out = data;
  *count = (size_t)n;
  data = NULL;
  ret = 0;
done:
  PyMem_Free(data);
  Py_XDECREF(iter);
  if (view.obj != NULL) PyBuffer_Release(&view);
  return ret;
}

static PyObject *pymmio_write_block(pymmio_region *self, PyObject *args, PyObject *kwargs) {
  static char *kwlist[] = {"offset", "values", "width", NULL};
  PyObject *py_off, *values, *py_width = NULL;
  void *data = NULL;
  size_t off, count = 0, room;
  unsigned width;
  int err, rc;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OO|O:write_block", kwlist, &py_off, &values,
                                   &py_width))
    return NULL;
  if (!self->open) return pymmio_closed();
  if (pymmio_offset_arg(&off, py_off, "write_block") < 0) return NULL;
  if (pymmio_width_arg(&width, py_width) == NULL) return NULL;
  /* No more values are taken than fit from off to the end. */
  room = off < mmio_len(&self->r) ? (mmio_len(&self->r) - off) / width : 0;
  rc = pymmio_block_values(&data, &count, values, width, room);
  if (rc == -2) return pymmio_access_error(self, MMIO_ERR_OUT_OF_RANGE, "write_block", off);
  if (rc < 0) return NULL;
  err = mmio_write_block(&self->r, off, data, count, width);
  PyMem_Free(data);
  if (err != 0) return pymmio_access_error(self, err, "write_block", off);
  Py_RETURN_NONE;
}

/* ---- the region itself ---- */

static PyObject *pymmio_split(pymmio_region *self, PyObject *arg) {
  pymmio_region *left;
  size_t mid;
  int err;
  if (!self->open) return pymmio_closed();
  if (self->maps > 0 || self->polls > 0) {
    /* Splitting renumbers this region: what addresses it by offset would
     * reach other bytes. */
    PyErr_Format(PyExc_ValueError,
                 "split: the region is in use by %s, which address it by offset: split it "
                 "before binding, or once the poll has returned",
                 self->maps > 0 ? "register maps" : "a poll in another thread");
    return NULL;
  }
  if (pymmio_offset_arg(&mid, arg, "split") < 0) return NULL;
  if (mid > mmio_len(&self->r))
    return pymmio_access_error(self, MMIO_ERR_OUT_OF_RANGE, "split", mid);
  left = (pymmio_region *)pymmio_region_type.tp_alloc(&pymmio_region_type, 0);
  if (left == NULL) return NULL;
  err = mmio_try_split_off(&self->r, mid, &left->r);
  if (err != 0) {
    Py_DECREF(left);
    return pymmio_access_error(self, err, "split", mid);
  }
  left->open = 1;
  left->keep = Py_XNewRef(self->keep);
  left->spec = Py_NewRef(self->spec);
  left->origin = self->origin;
  self->origin += mid;
  return (PyObject *)left;
}

static PyObject *pymmio_make_read_only(pymmio_region *self, PyObject *unused) {
  int err;
  (void)unused;
  if (!self->open) return pymmio_closed();
  err = mmio_region_make_read_only(&self->r);
  if (err != 0) return pymmio_raise_in(err, "make_read_only");
  Py_RETURN_NONE;
}

static PyObject *pymmio_close(pymmio_region *self, PyObject *unused) {
  (void)unused;
  self->open = 0;
  mmio_region_release(&self->r);
  /* The model goes after its region, never before. */
  Py_CLEAR(self->keep);
  Py_RETURN_NONE;
}

static PyObject *pymmio_enter(pymmio_region *self, PyObject *unused) {
  (void)unused;
  if (!self->open) return pymmio_closed();
  return Py_NewRef(self);
}

static PyObject *pymmio_exit(pymmio_region *self, PyObject *args) {
  (void)args;
  return pymmio_close(self, NULL);
}

static PyObject *pymmio_get_read_only(pymmio_region *self, void *closure) {
  (void)closure;
  if (!self->open) return pymmio_closed();
  return PyBool_FromLong(mmio_region_is_read_only(&self->r));
}

static PyObject *pymmio_get_closed(pymmio_region *self, void *closure) {
  (void)closure;
  return PyBool_FromLong(!self->open);
}

static Py_ssize_t pymmio_length(pymmio_region *self) {
  if (!self->open) {
    pymmio_closed();
    return -1;
  }
  return (Py_ssize_t)mmio_len(&self->r);
}

/* Never touches the device: the spec, the window and the rights only. */
static PyObject *pymmio_repr(pymmio_region *self) {
  const unsigned long long start = self->origin;
  char window[128];
  if (!self->open) return PyUnicode_FromFormat("<mmio.Region %R closed>", self->spec);
  snprintf(window, sizeof(window), "[0x%llx, 0x%llx) len=0x%zx %s", start,
           start + mmio_len(&self->r), mmio_len(&self->r),
           mmio_region_is_read_only(&self->r) ? "read-only" : "read-write");
  return PyUnicode_FromFormat("<mmio.Region %R %s>", self->spec, window);
}

static void pymmio_region_dealloc(pymmio_region *self) {
  if (self->weakrefs != NULL) PyObject_ClearWeakRefs((PyObject *)self);
  mmio_region_release(&self->r);
  Py_CLEAR(self->keep);
  Py_CLEAR(self->spec);
  Py_TYPE(self)->tp_free((PyObject *)self);
}

#define PYMMIO_WIDTH_METHODS(bits)                                                                 \
  {"read" #bits, (PyCFunction)pymmio_read##bits, METH_O,                                           \
   "read" #bits "(offset) -> int: one " #bits "-bit load at offset."},                             \
      {"write" #bits, (PyCFunction)(void (*)(void))pymmio_write##bits, METH_FASTCALL,              \
       "write" #bits "(offset, value): one " #bits "-bit store of value at offset."},              \
      {"modify" #bits, (PyCFunction)(void (*)(void))pymmio_modify##bits, METH_FASTCALL,            \
       "modify" #bits "(offset, mask, value): one " #bits "-bit load, then one store that "        \
       "replaces the bits in mask with those of value."},                                          \
      {"poll" #bits, (PyCFunction)(void (*)(void))pymmio_poll##bits, METH_VARARGS | METH_KEYWORDS, \
       "poll" #bits "(offset, mask, expected, timeout=1.0, interval=0.0) -> int: reads until "     \
       "(value & mask) == expected and returns the value; raises mmio.Timeout after timeout "      \
       "seconds (None: no limit). Sleeps interval seconds between reads, without the GIL."},

static PyMethodDef pymmio_region_methods[] = {
    PYMMIO_WIDTH_METHODS(8) PYMMIO_WIDTH_METHODS(16) PYMMIO_WIDTH_METHODS(32) PYMMIO_WIDTH_METHODS(
        64){"read_block", (PyCFunction)(void (*)(void))pymmio_read_block,
            METH_VARARGS | METH_KEYWORDS,
            "read_block(offset, count, width=4) -> array.array: count loads of width bytes at "
            "ascending offsets, all checked before the first."},
    {"write_block", (PyCFunction)(void (*)(void))pymmio_write_block, METH_VARARGS | METH_KEYWORDS,
     "write_block(offset, values, width=4): one store of width bytes per value (an iterable of "
     "ints, or a buffer of width-byte unsigned integers) at ascending offsets, all checked "
     "before the first."},
    {"split", (PyCFunction)pymmio_split, METH_O,
     "split(mid) -> Region: returns [0, mid); this region keeps [mid, len), renumbered from 0."},
    {"make_read_only", (PyCFunction)pymmio_make_read_only, METH_NOARGS,
     "Drops the write right of this region and of regions split from it later."},
    {"close", (PyCFunction)pymmio_close, METH_NOARGS,
     "Releases the region; the mapping goes with the last region sharing it."},
    {"__enter__", (PyCFunction)pymmio_enter, METH_NOARGS,
     "__enter__() -> the region itself, for 'with mmio.open(...) as r:'."},
    {"__exit__", (PyCFunction)pymmio_exit, METH_VARARGS,
     "__exit__(*exc_info): close() the region; an exception in the block goes on."},
    {NULL, NULL, 0, NULL},
};

#undef PYMMIO_WIDTH_METHODS

static PyGetSetDef pymmio_region_getset[] = {
    {"read_only", (getter)pymmio_get_read_only, NULL, "True when stores raise mmio.ReadOnly.",
     NULL},
    {"closed", (getter)pymmio_get_closed, NULL, "True after close().", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PySequenceMethods pymmio_region_as_sequence = {
    .sq_length = (lenfunc)pymmio_length,
};

PyTypeObject pymmio_region_type = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "mmio.Region",
    .tp_basicsize = sizeof(pymmio_region),
    .tp_dealloc = (destructor)pymmio_region_dealloc,
    .tp_repr = (reprfunc)pymmio_repr,
    .tp_as_sequence = &pymmio_region_as_sequence,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "A checked, width-exact window onto device memory; made by mmio.open().",
    .tp_weaklistoffset = offsetof(pymmio_region, weakrefs),
    .tp_methods = pymmio_region_methods,
    .tp_getset = pymmio_region_getset,
};
