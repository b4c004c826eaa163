/*
 * The exceptions, made from the library's list of codes (MMIO_ERRNO_MAP)
 * so that a code added there gets its class here without an edit, and the
 * conversions of Python arguments that raise them.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "pymmio.h"

/* One class per row of the list, in its order, and the one errno that has
 * a class of its own. */
static const int pymmio_codes[] = {
#define PYMMIO_CODE(name, code, message) code,
    MMIO_ERRNO_MAP(PYMMIO_CODE)
#undef PYMMIO_CODE
};
static const char *const pymmio_code_names[] = {
#define PYMMIO_NAME(name, code, message) #name,
    MMIO_ERRNO_MAP(PYMMIO_NAME)
#undef PYMMIO_NAME
};
#define PYMMIO_NCODES (sizeof(pymmio_codes) / sizeof(pymmio_codes[0]))

static PyObject *pymmio_error;                  /* mmio.Error */
static PyObject *pymmio_classes[PYMMIO_NCODES]; /* mmio.OutOfRange, ... */
static PyObject *pymmio_timeout;                /* mmio.Timeout (-ETIMEDOUT) */

/* "OUT_OF_RANGE" -> "OutOfRange": the class name of a row. cap >= strlen(name) + 1. */
static void pymmio_class_name(char *out, size_t cap, const char *name) {
  size_t n = 0;
  int upper = 1;
  for (; *name != '\0' && n + 1 < cap; name++) {
    if (*name == '_') {
      upper = 1;
      continue;
    }
    out[n++] = upper ? *name : (char)(*name >= 'A' && *name <= 'Z' ? *name - 'A' + 'a' : *name);
    upper = 0;
  }
  out[n] = '\0';
}

/*
 * Makes the class mmio.<pyname> deriving from bases (a new reference to a
 * tuple, consumed), with class attributes code and name, and adds it to
 * module. Returns the class (a new reference) or NULL.
 */
static PyObject *pymmio_make_class(PyObject *module, const char *pyname, PyObject *bases, int code,
                                   const char *doc) {
  char qualified[64];
  PyObject *dict = NULL, *cls = NULL, *value = NULL;
  snprintf(qualified, sizeof(qualified), "mmio.%s", pyname);
  if (bases == NULL) goto done;
  dict = PyDict_New();
  if (dict == NULL) goto done;
  value = code != 0 ? PyLong_FromLong(code) : Py_NewRef(Py_None);
  if (value == NULL || PyDict_SetItemString(dict, "code", value) < 0) goto done;
  Py_SETREF(value, code != 0 ? PyUnicode_FromString(mmio_err_name(code)) : Py_NewRef(Py_None));
  if (value == NULL || PyDict_SetItemString(dict, "name", value) < 0) goto done;
  cls = PyErr_NewExceptionWithDoc(qualified, doc, bases, dict);
  if (cls != NULL && PyModule_AddObjectRef(module, pyname, cls) < 0) Py_CLEAR(cls);
done:
  Py_XDECREF(value);
  Py_XDECREF(dict);
  Py_XDECREF(bases);
  return cls;
}

int pymmio_errors_init(PyObject *module) {
  char pyname[48], doc[512];
  size_t i;
  pymmio_error =
      pymmio_make_class(module, "Error", PyTuple_Pack(1, PyExc_Exception), 0,
                        "An error the mmio library reported. .code is the library's negative "
                        "code, .name its symbolic name (\"MMIO_ERR_OUT_OF_RANGE\", \"ENOENT\").");
  if (pymmio_error == NULL) return -1;
  for (i = 0; i < PYMMIO_NCODES; i++) {
    PyObject *bases;
    pymmio_class_name(pyname, sizeof(pyname), pymmio_code_names[i]);
    snprintf(doc, sizeof(doc), "%s: %s", mmio_err_name(pymmio_codes[i]),
             mmio_strerror(pymmio_codes[i]));
    /* A name that is not there is also what getattr and [] raise for
     * names, so that hasattr() and `in` keep working on register maps. */
    if (pymmio_codes[i] == MMIO_ERR_UNKNOWN_NAME)
      bases = PyTuple_Pack(3, pymmio_error, PyExc_AttributeError, PyExc_KeyError);
    else
      bases = PyTuple_Pack(1, pymmio_error);
    pymmio_classes[i] = pymmio_make_class(module, pyname, bases, pymmio_codes[i], doc);
    if (pymmio_classes[i] == NULL) return -1;
  }
  snprintf(doc, sizeof(doc),
           "ETIMEDOUT: a poll's condition did not hold in time; .last is the "
           "last value read.");
  pymmio_timeout =
      pymmio_make_class(module, "Timeout", PyTuple_Pack(1, pymmio_error), -ETIMEDOUT, doc);
  return pymmio_timeout != NULL ? 0 : -1;
}

PyObject *pymmio_error_class(int code) {
  size_t i;
  for (i = 0; i < PYMMIO_NCODES; i++)
    if (pymmio_codes[i] == code) return pymmio_classes[i];
  return code == -ETIMEDOUT ? pymmio_timeout : pymmio_error;
}

PyObject *pymmio_raise(int code, const char *message) {
  PyObject *cls = pymmio_error_class(code);
  PyObject *exc = PyObject_CallFunction(cls, "s", message);
  PyObject *value = NULL;
  if (exc == NULL) return NULL;
  /* The instance says its own code: a plain mmio.Error stands for many. */
  value = PyLong_FromLong(code);
  if (value == NULL || PyObject_SetAttrString(exc, "code", value) < 0) goto done;
  Py_SETREF(value, PyUnicode_FromString(mmio_err_name(code)));
  if (value == NULL || PyObject_SetAttrString(exc, "name", value) < 0) goto done;
  PyErr_SetObject(cls, exc);
done:
  Py_XDECREF(value);
  Py_DECREF(exc);
  return NULL;
}

PyObject *pymmio_raise_in(int code, const char *context) {
  PyObject *message = PyUnicode_FromFormat("%s: %s", context, mmio_strerror(code));
  if (message == NULL) return NULL;
  pymmio_raise(code, PyUnicode_AsUTF8(message));
  Py_DECREF(message);
  return NULL;
}

int pymmio_uint_arg(uint64_t *out, PyObject *o, unsigned bits, const char *what) {
  PyObject *index = NULL;
  unsigned long long v;
  int ret = -1;
  if (PyLong_CheckExact(o)) {
    index = Py_NewRef(o);
  } else {
    index = PyNumber_Index(o); /* TypeError for floats, str, None, ... */
    if (index == NULL) goto done;
  }
  v = PyLong_AsUnsignedLongLong(index);
  if (v == (unsigned long long)-1 && PyErr_Occurred()) {
    if (!PyErr_ExceptionMatches(PyExc_OverflowError)) goto done;
    PyErr_Clear();
  } else if (bits >= 64 || v >> bits == 0) {
    *out = v;
    ret = 0;
    goto done;
  }
  {
    /* PyErr_Format has no hex conversions: the bound is formatted here. */
    char bound[32];
    snprintf(bound, sizeof(bound), "0x%llx", bits >= 64 ? ~0ull : (1ull << bits) - 1);
    PyErr_Format(PyExc_OverflowError, "%s %R does not fit %u bits unsigned (0 to %s)", what, index,
                 bits, bound);
  }
done:
  Py_XDECREF(index);
  return ret;
}

int pymmio_offset_arg(size_t *out, PyObject *o, const char *context) {
  uint64_t v;
  PyObject *message;
  if (PyLong_CheckExact(o)) {
    /* The fast path of every access: a plain int that fits. */
    size_t s = PyLong_AsSize_t(o);
    if (s != (size_t)-1 || !PyErr_Occurred()) {
      *out = s;
      return 0;
    }
    PyErr_Clear();
  } else if (pymmio_uint_arg(&v, o, 64, "offset") == 0 && v <= SIZE_MAX) {
    *out = (size_t)v;
    return 0;
  } else if (PyErr_Occurred() && !PyErr_ExceptionMatches(PyExc_OverflowError)) {
    return -1;
  } else {
    PyErr_Clear();
  }
  /* Negative, or beyond any region: out of range, like an offset past the
   * end. */
  message =
      PyUnicode_FromFormat("%s: offset %R: %s", context, o, mmio_strerror(MMIO_ERR_OUT_OF_RANGE));
  if (message == NULL) return -1;
  pymmio_raise(MMIO_ERR_OUT_OF_RANGE, PyUnicode_AsUTF8(message));
  Py_DECREF(message);
  return -1;
}
