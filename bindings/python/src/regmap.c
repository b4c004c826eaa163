/*
 * mmio.Description, mmio.RegisterMap and mmio.Register: registers and
 * fields by name, over the register layer (mmio/desc.h, mmio/regs.h).
 *
 * Every read and write goes through mmio_regmap_read/mmio_regmap_write,
 * so field writes keep the layer's rules (a 1 read from a W1C bit is
 * never written back, read-to-clear registers are read only on purpose,
 * write-only registers are never read); nothing here re-derives them.
 * repr() and the names never touch the device.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "pymmio.h"

/* mmio.Description. Owns d; source is the file's path or the name given
 * to parse_description (a str), for repr. */
typedef struct {
  PyObject_HEAD mmio_desc *d;
  PyObject *source;
} pymmio_desc;

/* mmio.RegisterMap. Owns m, which borrows the description and the region:
 * the map holds a strong reference to both, and frees m before dropping
 * them. scope is the peripheral its names are relative to, or NULL for
 * whole names ("UART0.UARTCR"). */
typedef struct {
  PyObject_HEAD mmio_regmap *m;
  pymmio_desc *desc;
  pymmio_region *region;
  const struct mmio_periph *scope;
} pymmio_regmap;

/* mmio.Register: a register of a map, found by name. Holds a strong
 * reference to the map; n points into the map's description. */
typedef struct {
  PyObject_HEAD pymmio_regmap *map;
  struct mmio_name n;
} pymmio_register;

/* ---- descriptions ---- */

/* Raises the error of loading a description from source. Returns NULL. */
static PyObject *pymmio_desc_error(int err, const char *source, const char *why) {
  char message[1024];
  if (err == MMIO_ERR_BAD_DESCRIPTION && why[0] != '\0')
    snprintf(message, sizeof(message), "%s", why);
  else if (err == -ENOTSUP)
    snprintf(message, sizeof(message),
             "%s: %s (the library was built without libexpat, so it cannot read SVD files)", source,
             mmio_strerror(err));
  else
    snprintf(message, sizeof(message), "%s: %s", source, mmio_strerror(err));
  return pymmio_raise(err, message);
}

static PyObject *pymmio_desc_new(mmio_desc *d, PyObject *source) {
  pymmio_desc *self = PyObject_New(pymmio_desc, &pymmio_desc_type);
  if (self == NULL) {
    mmio_desc_free(d);
    return NULL;
  }
  self->d = d;
  self->source = Py_NewRef(source);
  return (PyObject *)self;
}

PyObject *pymmio_load_description(PyObject *module, PyObject *arg) {
  PyObject *path = NULL, *source = NULL, *ret = NULL;
  mmio_desc *d = NULL;
  PyThreadState *thread;
  char why[512] = "";
  int err;
  (void)module;
  if (!PyUnicode_FSConverter(arg, &path)) return NULL;
  source = PyUnicode_DecodeFSDefault(PyBytes_AS_STRING(path));
  if (source == NULL) goto done;
  /* A vendor's SVD file can take a while to parse. */
  thread = PyEval_SaveThread();
  err = mmio_desc_load(&d, PyBytes_AS_STRING(path), why, sizeof(why));
  PyEval_RestoreThread(thread);
  if (err != 0)
    pymmio_desc_error(err, PyBytes_AS_STRING(path), why);
  else
    ret = pymmio_desc_new(d, source);
done:
  Py_XDECREF(source);
  Py_XDECREF(path);
  return ret;
}

PyObject *pymmio_parse_description(PyObject *module, PyObject *args, PyObject *kwargs) {
  static char *kwlist[] = {"text", "name", NULL};
  const char *data, *name = "<string>";
  Py_ssize_t len;
  PyObject *source;
  mmio_desc *d = NULL;
  char why[512] = "";
  int err;
  (void)module;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "s#|s:parse_description", kwlist, &data, &len,
                                   &name))
    return NULL;
  err = mmio_desc_parse(&d, data, (size_t)len, name, why, sizeof(why));
  if (err != 0) return pymmio_desc_error(err, name, why);
  source = PyUnicode_FromString(name);
  if (source == NULL) {
    mmio_desc_free(d);
    return NULL;
  }
  Py_SETREF(source, pymmio_desc_new(d, source));
  return source;
}

static void pymmio_desc_dealloc(pymmio_desc *self) {
  mmio_desc_free(self->d);
  Py_XDECREF(self->source);
  Py_TYPE(self)->tp_free((PyObject *)self);
}

static size_t pymmio_desc_nregs(const mmio_desc *d) {
  size_t i, n = 0;
  for (i = 0; i < mmio_desc_nperiphs(d); i++)
    n += mmio_desc_periph(d, i)->nregs;
  return n;
}

static PyObject *pymmio_desc_repr(pymmio_desc *self) {
  size_t n = mmio_desc_nperiphs(self->d);
  return PyUnicode_FromFormat("<mmio.Description '%s' from %R: %zu peripheral%s, %zu registers>",
                              mmio_desc_name(self->d), self->source, n, n == 1 ? "" : "s",
                              pymmio_desc_nregs(self->d));
}

static PyObject *pymmio_desc_get_name(pymmio_desc *self, void *closure) {
  (void)closure;
  return PyUnicode_FromString(mmio_desc_name(self->d));
}

static PyObject *pymmio_desc_get_peripherals(pymmio_desc *self, void *closure) {
  size_t i, n = mmio_desc_nperiphs(self->d);
  PyObject *names = PyTuple_New((Py_ssize_t)n);
  (void)closure;
  for (i = 0; names != NULL && i < n; i++) {
    PyObject *name = PyUnicode_FromString(mmio_desc_periph(self->d, i)->name);
    if (name == NULL) Py_CLEAR(names);
    if (names != NULL) PyTuple_SET_ITEM(names, (Py_ssize_t)i, name);
  }
  return names;
}

static PyObject *pymmio_desc_get_warnings(pymmio_desc *self, void *closure) {
  PyObject *list = PyList_New(0), *tuple = NULL;
  const char *w;
  size_t i;
  (void)closure;
  for (i = 0; list != NULL && (w = mmio_desc_warning(self->d, i)) != NULL; i++) {
    PyObject *s = PyUnicode_FromString(w);
    if (s == NULL || PyList_Append(list, s) < 0) Py_CLEAR(list);
    Py_XDECREF(s);
  }
  if (list != NULL) tuple = PyList_AsTuple(list);
  Py_XDECREF(list);
  return tuple;
}

/* d.bind(region, peripheral=None, *, address=0, read_effects=False, verify=False) */
static PyObject *pymmio_desc_bind(pymmio_desc *self, PyObject *args, PyObject *kwargs) {
  static char *kwlist[] = {"region", "peripheral", "address", "read_effects", "verify", NULL};
  PyObject *region, *py_address = NULL;
  const char *scope = NULL;
  char why[512] = "";
  uint64_t address = 0;
  int read_effects = 0, verify = 0, err;
  pymmio_regmap *map;
  struct mmio_name found = {0};
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O!|z$Opp:bind", kwlist, &pymmio_region_type,
                                   &region, &scope, &py_address, &read_effects, &verify))
    return NULL;
  if (pymmio_region_check_open((pymmio_region *)region) < 0) return NULL;
  if (py_address != NULL && pymmio_uint_arg(&address, py_address, 64, "address") < 0) return NULL;
  /* A description of one peripheral needs no name for it. */
  if (scope == NULL && mmio_desc_nperiphs(self->d) == 1) scope = mmio_desc_periph(self->d, 0)->name;
  if (scope != NULL) {
    err = mmio_desc_find(&found, self->d, NULL, scope, why, sizeof(why));
    if (err == 0 && (found.reg != NULL || found.periph == NULL)) err = MMIO_ERR_UNKNOWN_NAME;
    if (err != 0) {
      PyObject *message = PyUnicode_FromFormat("bind: %s is not a peripheral of %R%s%s", scope,
                                               self->source, why[0] ? ": " : "", why);
      if (message != NULL) pymmio_raise(err, PyUnicode_AsUTF8(message));
      Py_XDECREF(message);
      return NULL;
    }
  }
  map = PyObject_New(pymmio_regmap, &pymmio_regmap_type);
  if (map == NULL) return NULL;
  map->m = NULL;
  map->desc = (pymmio_desc *)Py_NewRef(self);
  map->region = (pymmio_region *)Py_NewRef(region);
  map->scope = scope != NULL ? found.periph : NULL;
  map->region->maps++;
  err = mmio_regmap_create(&map->m, &map->region->r, self->d, scope, address,
                           (read_effects ? MMIO_REGS_READ_EFFECTS : 0u) |
                               (verify ? MMIO_REGS_VERIFY : 0u));
  if (err != 0) {
    Py_DECREF(map);
    return pymmio_raise_in(err, "bind");
  }
  return (PyObject *)map;
}

static PyMethodDef pymmio_desc_methods[] = {
    {"bind", (PyCFunction)(void (*)(void))pymmio_desc_bind, METH_VARARGS | METH_KEYWORDS,
     "bind(region, peripheral=None, *, address=0, read_effects=False, verify=False) -> "
     "RegisterMap: the registers of a peripheral (the only one when None), byte 0 of region "
     "being its base; with several peripherals and None, whole names and byte 0 at address."},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef pymmio_desc_getset[] = {
    {"name", (getter)pymmio_desc_get_name, NULL, "The device's name.", NULL},
    {"peripherals", (getter)pymmio_desc_get_peripherals, NULL,
     "The peripherals' names, in address order.", NULL},
    {"warnings", (getter)pymmio_desc_get_warnings, NULL,
     "What the loader forgave in the file, one \"FILE:LINE: what\" each.", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

PyTypeObject pymmio_desc_type = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "mmio.Description",
    .tp_basicsize = sizeof(pymmio_desc),
    .tp_dealloc = (destructor)pymmio_desc_dealloc,
    .tp_repr = (reprfunc)pymmio_desc_repr,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "A register description (CMSIS-SVD or the text format); see load_description().",
    .tp_methods = pymmio_desc_methods,
    .tp_getset = pymmio_desc_getset,
};

/* ---- register maps ---- */

/* The register called name, as a new mmio.Register; NULL with
 * mmio.UnknownName (also an AttributeError and a KeyError) or
 * mmio.Ambiguous when there is none, or when name is a field's. */
static PyObject *pymmio_regmap_lookup(pymmio_regmap *self, PyObject *name) {
  const char *text = PyUnicode_AsUTF8(name);
  char why[512] = "";
  struct mmio_name n;
  pymmio_register *reg;
  int err;
  if (text == NULL) return NULL;
  err = mmio_regmap_find(&n, self->m, text, why, sizeof(why));
  if (err == 0 && (n.reg == NULL || n.field != NULL)) {
    snprintf(why, sizeof(why), "'%s' names a %s, not a register", text,
             n.reg == NULL ? "peripheral" : "field: read it as an attribute of its register");
    err = MMIO_ERR_UNKNOWN_NAME;
  }
  if (err != 0) return pymmio_raise(err, why[0] != '\0' ? why : mmio_strerror(err));
  reg = PyObject_New(pymmio_register, &pymmio_register_type);
  if (reg == NULL) return NULL;
  reg->map = (pymmio_regmap *)Py_NewRef(self);
  reg->n = n;
  return (PyObject *)reg;
}

/* Raises the error of an access through the map; op names it. */
static PyObject *pymmio_regmap_error(pymmio_regmap *self, const struct mmio_name *n, int err,
                                     const char *op) {
  char what[256], message[768];
  size_t off = 0;
  snprintf(what, sizeof(what), "%s %s%s%s", op, n->reg->name, n->field != NULL ? "." : "",
           n->field != NULL ? n->field->name : "");
  if (mmio_regmap_offset(self->m, n, &off) != 0) {
    /* No offset in the region to name: where the description puts it. */
    snprintf(message, sizeof(message),
             "%s: the register is at 0x%llx in the description, outside the region (length "
             "0x%zx): bind it to the region that holds it, with peripheral= to count from the "
             "peripheral's base, or address= for where the region starts",
             what, (unsigned long long)(n->periph->base + n->reg->offset),
             mmio_len(&self->region->r));
    return pymmio_raise(err, message);
  }
  /* The region takes stores: the refusal is the register's own. */
  if (err == MMIO_ERR_READ_ONLY && !mmio_region_is_read_only(&self->region->r)) {
    snprintf(message, sizeof(message), "%s at 0x%zx: %s%s%s is read-only in the description", what,
             off, n->reg->name, n->field != NULL ? "." : "",
             n->field != NULL ? n->field->name : "");
    return pymmio_raise(err, message);
  }
  return pymmio_access_error(self->region, err, what, off);
}

/* Writes o (an int, or for a field the name of one of its values) to n.
 * Returns 0 or -1 with an exception set; nothing is accessed when o does
 * not fit. */
static int pymmio_regmap_store(pymmio_regmap *self, const struct mmio_name *n, PyObject *o) {
  const unsigned bits = n->field != NULL ? n->field->msb - n->field->lsb + 1 : n->reg->width * 8;
  char what[256];
  uint64_t v;
  int err;
  if (pymmio_region_check_open(self->region) < 0) return -1;
  snprintf(what, sizeof(what), "value for %s%s%s", n->reg->name, n->field != NULL ? "." : "",
           n->field != NULL ? n->field->name : "");
  if (n->field != NULL && PyUnicode_Check(o)) {
    char why[512] = "";
    const char *value_name = PyUnicode_AsUTF8(o);
    if (value_name == NULL) return -1;
    err = mmio_field_enum_value(n->field, value_name, &v, why, sizeof(why));
    if (err != 0) {
      pymmio_raise(err, why[0] != '\0' ? why : mmio_strerror(err));
      return -1;
    }
  } else if (pymmio_uint_arg(&v, o, bits, what) < 0) {
    return -1;
  }
  err = mmio_regmap_write(self->m, n, 0, v);
  if (err == 0) return 0;
  pymmio_regmap_error(self, n, err, "write");
  return -1;
}

/* Reads n; flags are added to the map's. Returns a new int or NULL. */
static PyObject *pymmio_regmap_load(pymmio_regmap *self, const struct mmio_name *n,
                                    unsigned flags) {
  uint64_t v = 0;
  int err;
  if (pymmio_region_check_open(self->region) < 0) return NULL;
  err = mmio_regmap_read(self->m, n, flags, &v);
  if (err != 0) return pymmio_regmap_error(self, n, err, "read");
  return PyLong_FromUnsignedLongLong(v);
}

/* Names are registers: attributes that start with '_' are the object's. */
static PyObject *pymmio_regmap_getattro(pymmio_regmap *self, PyObject *name) {
  if (PyUnicode_Check(name) && PyUnicode_READ_CHAR(name, 0) != '_')
    return pymmio_regmap_lookup(self, name);
  return PyObject_GenericGetAttr((PyObject *)self, name);
}

static int pymmio_regmap_assign(pymmio_regmap *self, PyObject *name, PyObject *value) {
  pymmio_register *reg;
  int ret;
  if (value == NULL) {
    PyErr_SetString(PyExc_TypeError, "registers cannot be deleted");
    return -1;
  }
  reg = (pymmio_register *)pymmio_regmap_lookup(self, name);
  if (reg == NULL) return -1;
  ret = pymmio_regmap_store(self, &reg->n, value);
  Py_DECREF(reg);
  return ret;
}

static int pymmio_regmap_setattro(pymmio_regmap *self, PyObject *name, PyObject *value) {
  if (PyUnicode_Check(name) && PyUnicode_READ_CHAR(name, 0) != '_')
    return pymmio_regmap_assign(self, name, value);
  return PyObject_GenericSetAttr((PyObject *)self, name, value);
}

static PyObject *pymmio_regmap_subscript(pymmio_regmap *self, PyObject *name) {
  if (!PyUnicode_Check(name))
    return PyErr_Format(PyExc_TypeError, "register names are str, not %T", name);
  return pymmio_regmap_lookup(self, name);
}

static int pymmio_regmap_ass_subscript(pymmio_regmap *self, PyObject *name, PyObject *value) {
  if (!PyUnicode_Check(name)) {
    PyErr_Format(PyExc_TypeError, "register names are str, not %T", name);
    return -1;
  }
  return pymmio_regmap_assign(self, name, value);
}

/* The names of the map's registers, in the description's order: relative
 * to the scope, or whole. */
static PyObject *pymmio_regmap_names(pymmio_regmap *self) {
  const mmio_desc *d = self->desc->d;
  PyObject *names = PyList_New(0);
  size_t p, i;
  for (p = 0; names != NULL && p < mmio_desc_nperiphs(d); p++) {
    const struct mmio_periph *periph = mmio_desc_periph(d, p);
    if (self->scope != NULL && periph != self->scope) continue;
    for (i = 0; names != NULL && i < periph->nregs; i++) {
      PyObject *name = self->scope != NULL
                           ? PyUnicode_FromString(periph->regs[i].name)
                           : PyUnicode_FromFormat("%s.%s", periph->name, periph->regs[i].name);
      if (name == NULL || PyList_Append(names, name) < 0) Py_CLEAR(names);
      Py_XDECREF(name);
    }
  }
  return names;
}

static PyObject *pymmio_regmap_iter(pymmio_regmap *self) {
  PyObject *names = pymmio_regmap_names(self), *it;
  if (names == NULL) return NULL;
  it = PyObject_GetIter(names);
  Py_DECREF(names);
  return it;
}

static Py_ssize_t pymmio_regmap_length(pymmio_regmap *self) {
  PyObject *names = pymmio_regmap_names(self);
  Py_ssize_t n;
  if (names == NULL) return -1;
  n = PyList_GET_SIZE(names);
  Py_DECREF(names);
  return n;
}

static int pymmio_regmap_contains(pymmio_regmap *self, PyObject *name) {
  struct mmio_name n;
  const char *text;
  if (!PyUnicode_Check(name)) return 0;
  text = PyUnicode_AsUTF8(name);
  if (text == NULL) return -1;
  return mmio_regmap_find(&n, self->m, text, NULL, 0) == 0 && n.reg != NULL && n.field == NULL;
}

static PyObject *pymmio_regmap_dir(pymmio_regmap *self, PyObject *unused) {
  (void)unused;
  return pymmio_regmap_names(self);
}

static PyObject *pymmio_regmap_repr(pymmio_regmap *self) {
  PyObject *region = PyObject_Repr((PyObject *)self->region), *ret;
  if (region == NULL) return NULL;
  ret = PyUnicode_FromFormat("<mmio.RegisterMap %s of '%s' over %U>",
                             self->scope != NULL ? self->scope->name : "(whole device)",
                             mmio_desc_name(self->desc->d), region);
  Py_DECREF(region);
  return ret;
}

static void pymmio_regmap_dealloc(pymmio_regmap *self) {
  /* The map borrows both: it goes first. */
  mmio_regmap_free(self->m);
  if (self->region != NULL) self->region->maps--;
  Py_XDECREF(self->region);
  Py_XDECREF(self->desc);
  Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyMethodDef pymmio_regmap_methods[] = {
    {"__dir__", (PyCFunction)pymmio_regmap_dir, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyMappingMethods pymmio_regmap_as_mapping = {
    .mp_length = (lenfunc)pymmio_regmap_length,
    .mp_subscript = (binaryfunc)pymmio_regmap_subscript,
    .mp_ass_subscript = (objobjargproc)pymmio_regmap_ass_subscript,
};

static PySequenceMethods pymmio_regmap_as_sequence = {
    .sq_contains = (objobjproc)pymmio_regmap_contains,
};

PyTypeObject pymmio_regmap_type = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "mmio.RegisterMap",
    .tp_basicsize = sizeof(pymmio_regmap),
    .tp_dealloc = (destructor)pymmio_regmap_dealloc,
    .tp_repr = (reprfunc)pymmio_regmap_repr,
    .tp_as_sequence = &pymmio_regmap_as_sequence,
    .tp_as_mapping = &pymmio_regmap_as_mapping,
    .tp_getattro = (getattrofunc)pymmio_regmap_getattro,
    .tp_setattro = (setattrofunc)pymmio_regmap_setattro,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "A description bound to a region: regs.NAME and regs[\"NAME\"] are its registers, "
              "list(regs) their names; made by Description.bind().",
    .tp_iter = (getiterfunc)pymmio_regmap_iter,
    .tp_methods = pymmio_regmap_methods,
};

/* ---- registers ---- */

/* The name of field `name` of this register, as n with the field set.
 * Returns 0, or -1 with mmio.UnknownName or mmio.Ambiguous. */
static int pymmio_register_field(struct mmio_name *out, pymmio_register *self, PyObject *name) {
  const char *text = PyUnicode_AsUTF8(name);
  size_t idx, i;
  char why[512];
  int err, n;
  if (text == NULL) return -1;
  err = mmio_field_index(self->n.reg, text, &idx);
  if (err == 0) {
    *out = self->n;
    out->field = &self->n.reg->fields[idx];
    out->field_index = idx;
    return 0;
  }
  n = snprintf(why, sizeof(why), "register %s has no field '%s'%s", self->n.reg->name, text,
               self->n.reg->nfields > 0 ? "; its fields:" : " (it has no fields)");
  for (i = 0; i < self->n.reg->nfields && n > 0 && (size_t)n < sizeof(why); i++)
    n += snprintf(why + n, sizeof(why) - (size_t)n, " %s", self->n.reg->fields[i].name);
  pymmio_raise(err, why);
  return -1;
}

static PyObject *pymmio_register_read(pymmio_register *self, PyObject *args, PyObject *kwargs) {
  static char *kwlist[] = {"read_effects", NULL};
  int read_effects = 0;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|$p:read", kwlist, &read_effects)) return NULL;
  return pymmio_regmap_load(self->map, &self->n, read_effects ? MMIO_REGS_READ_EFFECTS : 0u);
}

static PyObject *pymmio_register_write(pymmio_register *self, PyObject *value) {
  if (pymmio_regmap_store(self->map, &self->n, value) < 0) return NULL;
  Py_RETURN_NONE;
}

/* decode(value=None) -> str: the value (read once when None) decoded the
 * way hwreg prints it, one field a line. */
static PyObject *pymmio_register_decode(pymmio_register *self, PyObject *args, PyObject *kwargs) {
  static char *kwlist[] = {"value", NULL};
  PyObject *py_value = Py_None, *ret = NULL;
  char small[1024], *text = small;
  uint64_t v;
  int len;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|O:decode", kwlist, &py_value)) return NULL;
  if (py_value == Py_None) {
    py_value = pymmio_regmap_load(self->map, &self->n, 0);
    if (py_value == NULL) return NULL;
  } else {
    Py_INCREF(py_value);
  }
  if (pymmio_uint_arg(&v, py_value, self->n.reg->width * 8, "value") < 0) goto done;
  len = mmio_reg_decode(small, sizeof(small), self->n.reg, v);
  if (len < 0) {
    pymmio_raise_in(len, "decode");
    goto done;
  }
  if ((size_t)len >= sizeof(small)) {
    text = PyMem_Malloc((size_t)len + 1);
    if (text == NULL) {
      PyErr_NoMemory();
      goto done;
    }
    mmio_reg_decode(text, (size_t)len + 1, self->n.reg, v);
  }
  ret = PyUnicode_FromString(text);
done:
  if (text != small) PyMem_Free(text);
  Py_DECREF(py_value);
  return ret;
}

/* A poll's read of a register through its map. */
static int pymmio_register_poll_read(void *ctx, uint64_t *out) {
  pymmio_register *self = ctx;
  return mmio_regmap_read(self->map->m, &self->n, 0, out);
}

/* poll(*, timeout=1.0, interval=0.0, **fields) -> int: reads the register
 * until every named field holds its value; returns the register's value. */
static PyObject *pymmio_register_poll(pymmio_register *self, PyObject *args, PyObject *kwargs) {
  uint64_t timeout_ns = 1000000000u, interval_ns = 0, mask = 0, expected = 0, v = 0;
  PyObject *key, *value, *timeout = NULL, *interval = NULL;
  Py_ssize_t pos = 0;
  size_t off = 0;
  int err;
  if (PyTuple_GET_SIZE(args) != 0) {
    PyErr_SetString(PyExc_TypeError, "poll() takes only keyword arguments: FIELD=value, ...");
    return NULL;
  }
  if (pymmio_region_check_open(self->map->region) < 0) return NULL;
  while (kwargs != NULL && PyDict_Next(kwargs, &pos, &key, &value)) {
    struct mmio_name field;
    char what[256];
    uint64_t fv;
    if (PyUnicode_CompareWithASCIIString(key, "timeout") == 0) {
      timeout = value;
      continue;
    }
    if (PyUnicode_CompareWithASCIIString(key, "interval") == 0) {
      interval = value;
      continue;
    }
    if (pymmio_register_field(&field, self, key) < 0) return NULL;
    snprintf(what, sizeof(what), "value for %s.%s", field.reg->name, field.field->name);
    if (PyUnicode_Check(value)) {
      char why[512] = "";
      const char *name = PyUnicode_AsUTF8(value);
      if (name == NULL) return NULL;
      err = mmio_field_enum_value(field.field, name, &fv, why, sizeof(why));
      if (err != 0) return pymmio_raise(err, why);
    } else if (pymmio_uint_arg(&fv, value, field.field->msb - field.field->lsb + 1, what) < 0) {
      return NULL;
    }
    mask |= mmio_field_mask(field.field);
    expected |= fv << field.field->lsb;
  }
  if (mask == 0) {
    PyErr_SetString(PyExc_TypeError, "poll() needs at least one FIELD=value");
    return NULL;
  }
  if (pymmio_poll_times(&timeout_ns, &interval_ns, timeout, interval) < 0) return NULL;
  err = pymmio_poll_loop(&v, self->map->region, pymmio_register_poll_read, self, mask, expected,
                         timeout_ns, interval_ns);
  if (err == PYMMIO_PY_ERROR) return NULL;
  if (mmio_regmap_offset(self->map->m, &self->n, &off) != 0) off = 0;
  if (err == -ETIMEDOUT) {
    char op[128];
    snprintf(op, sizeof(op), "poll %s", self->n.reg->name);
    return pymmio_poll_timeout(op, off, mask, expected, timeout_ns, v);
  }
  if (err != 0) return pymmio_regmap_error(self->map, &self->n, err, "poll");
  return PyLong_FromUnsignedLongLong(v);
}

/* Methods and properties come first; any other name is a field. */
static PyObject *pymmio_register_getattro(pymmio_register *self, PyObject *name) {
  struct mmio_name field;
  PyObject *ret = PyObject_GenericGetAttr((PyObject *)self, name);
  if (ret != NULL || !PyErr_ExceptionMatches(PyExc_AttributeError) || !PyUnicode_Check(name) ||
      PyUnicode_READ_CHAR(name, 0) == '_')
    return ret;
  PyErr_Clear();
  if (pymmio_register_field(&field, self, name) < 0) return NULL;
  return pymmio_regmap_load(self->map, &field, 0);
}

static int pymmio_register_set_field(pymmio_register *self, PyObject *name, PyObject *value) {
  struct mmio_name field;
  if (value == NULL) {
    PyErr_SetString(PyExc_TypeError, "fields cannot be deleted");
    return -1;
  }
  if (pymmio_register_field(&field, self, name) < 0) return -1;
  return pymmio_regmap_store(self->map, &field, value);
}

static int pymmio_register_setattro(pymmio_register *self, PyObject *name, PyObject *value) {
  /* A name the type has (read, name, ...) is never a field write. */
  PyObject *own;
  if (!PyUnicode_Check(name) || PyUnicode_READ_CHAR(name, 0) == '_')
    return PyObject_GenericSetAttr((PyObject *)self, name, value);
  own = PyDict_GetItemWithError(Py_TYPE(self)->tp_dict, name); /* borrowed */
  if (own != NULL) return PyObject_GenericSetAttr((PyObject *)self, name, value);
  if (PyErr_Occurred()) return -1;
  return pymmio_register_set_field(self, name, value);
}

static PyObject *pymmio_register_subscript(pymmio_register *self, PyObject *name) {
  struct mmio_name field;
  if (!PyUnicode_Check(name))
    return PyErr_Format(PyExc_TypeError, "field names are str, not %T", name);
  if (pymmio_register_field(&field, self, name) < 0) return NULL;
  return pymmio_regmap_load(self->map, &field, 0);
}

static int pymmio_register_ass_subscript(pymmio_register *self, PyObject *name, PyObject *value) {
  if (!PyUnicode_Check(name)) {
    PyErr_Format(PyExc_TypeError, "field names are str, not %T", name);
    return -1;
  }
  return pymmio_register_set_field(self, name, value);
}

static PyObject *pymmio_register_get_fields(pymmio_register *self, void *closure) {
  size_t i;
  PyObject *names = PyTuple_New((Py_ssize_t)self->n.reg->nfields);
  (void)closure;
  for (i = 0; names != NULL && i < self->n.reg->nfields; i++) {
    PyObject *name = PyUnicode_FromString(self->n.reg->fields[i].name);
    if (name == NULL) Py_CLEAR(names);
    if (names != NULL) PyTuple_SET_ITEM(names, (Py_ssize_t)i, name);
  }
  return names;
}

static PyObject *pymmio_register_get_name(pymmio_register *self, void *closure) {
  (void)closure;
  return PyUnicode_FromString(self->n.reg->name);
}

static PyObject *pymmio_register_get_offset(pymmio_register *self, void *closure) {
  size_t off;
  int err;
  (void)closure;
  if (pymmio_region_check_open(self->map->region) < 0) return NULL;
  err = mmio_regmap_offset(self->map->m, &self->n, &off);
  if (err != 0) return pymmio_regmap_error(self->map, &self->n, err, "offset of");
  return PyLong_FromSize_t(off);
}

static PyObject *pymmio_register_get_width(pymmio_register *self, void *closure) {
  (void)closure;
  return PyLong_FromUnsignedLong(self->n.reg->width);
}

static PyObject *pymmio_register_get_access(pymmio_register *self, void *closure) {
  (void)closure;
  return PyUnicode_FromString(mmio_access_name(self->n.reg->access));
}

static PyObject *pymmio_register_get_reset(pymmio_register *self, void *closure) {
  (void)closure;
  if (self->n.reg->reset_mask == 0) Py_RETURN_NONE;
  return PyLong_FromUnsignedLongLong(self->n.reg->reset);
}

static PyObject *pymmio_register_get_description(pymmio_register *self, void *closure) {
  (void)closure;
  if (self->n.reg->description == NULL) Py_RETURN_NONE;
  return PyUnicode_FromString(self->n.reg->description);
}

static PyObject *pymmio_register_dir(pymmio_register *self, PyObject *unused) {
  PyObject *names = PyObject_Dir((PyObject *)Py_TYPE(self)), *fields, *all = NULL;
  (void)unused;
  if (names == NULL) return NULL;
  fields = pymmio_register_get_fields(self, NULL);
  if (fields != NULL) Py_SETREF(fields, PySequence_List(fields));
  if (fields != NULL) all = PySequence_Concat(names, fields);
  Py_XDECREF(fields);
  Py_DECREF(names);
  return all;
}

/* Never touches the device: what the description says. */
static PyObject *pymmio_register_repr(pymmio_register *self) {
  const struct mmio_reg *reg = self->n.reg;
  char text[2048], where[64];
  size_t i, off = 0;
  int n;
  if (mmio_regmap_offset(self->map->m, &self->n, &off) == 0)
    snprintf(where, sizeof(where), "at 0x%zx", off);
  else
    snprintf(where, sizeof(where), "outside the region");
  n = snprintf(text, sizeof(text), "<mmio.Register %s %s, %u-bit %s%s", reg->name, where,
               reg->width * 8, mmio_access_name(reg->access), reg->nfields > 0 ? ":" : "");
  for (i = 0; i < reg->nfields && n > 0 && (size_t)n < sizeof(text); i++) {
    const struct mmio_field *f = &reg->fields[i];
    /* NAME[hi:lo], as decode() and hwreg write them. */
    n += snprintf(text + n, sizeof(text) - (size_t)n, " %s[%u:%u]", f->name, f->msb, f->lsb);
  }
  if (n > 0 && (size_t)n < sizeof(text)) snprintf(text + n, sizeof(text) - (size_t)n, ">");
  return PyUnicode_FromString(text);
}

static void pymmio_register_dealloc(pymmio_register *self) {
  Py_XDECREF(self->map);
  Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyMethodDef pymmio_register_methods[] = {
    {"read", (PyCFunction)(void (*)(void))pymmio_register_read, METH_VARARGS | METH_KEYWORDS,
     "read(*, read_effects=False) -> int: one read of the register. A register whose read has "
     "a side effect (clear on read) is read only with read_effects=True."},
    {"write", (PyCFunction)pymmio_register_write, METH_O,
     "write(value): one write of the whole register."},
    {"decode", (PyCFunction)(void (*)(void))pymmio_register_decode, METH_VARARGS | METH_KEYWORDS,
     "decode(value=None) -> str: value (read once when None) as its fields, one a line: "
     "NAME[hi:lo]: 0x.. (decimal) [ENUM]."},
    {"poll", (PyCFunction)(void (*)(void))pymmio_register_poll, METH_VARARGS | METH_KEYWORDS,
     "poll(*, timeout=1.0, interval=0.0, **fields) -> int: reads the register until every "
     "FIELD=value holds and returns its value; raises mmio.Timeout."},
    {"__dir__", (PyCFunction)pymmio_register_dir, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef pymmio_register_getset[] = {
    {"name", (getter)pymmio_register_get_name, NULL, "The register's name in its peripheral.",
     NULL},
    {"offset", (getter)pymmio_register_get_offset, NULL, "Its byte offset in the region.", NULL},
    {"width", (getter)pymmio_register_get_width, NULL, "Its width in bytes.", NULL},
    {"access", (getter)pymmio_register_get_access, NULL, "Its access (\"rw\", \"ro\", ...).", NULL},
    {"reset", (getter)pymmio_register_get_reset, NULL, "Its reset value, or None.", NULL},
    {"fields", (getter)pymmio_register_get_fields, NULL, "Its fields' names.", NULL},
    {"description", (getter)pymmio_register_get_description, NULL,
     "What the description says of it, or None.", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyMappingMethods pymmio_register_as_mapping = {
    .mp_subscript = (binaryfunc)pymmio_register_subscript,
    .mp_ass_subscript = (objobjargproc)pymmio_register_ass_subscript,
};

PyTypeObject pymmio_register_type = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "mmio.Register",
    .tp_basicsize = sizeof(pymmio_register),
    .tp_dealloc = (destructor)pymmio_register_dealloc,
    .tp_repr = (reprfunc)pymmio_register_repr,
    .tp_as_mapping = &pymmio_register_as_mapping,
    .tp_getattro = (getattrofunc)pymmio_register_getattro,
    .tp_setattro = (setattrofunc)pymmio_register_setattro,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "A register of a RegisterMap: reg.read(), reg.write(v), reg.FIELD (one read), "
              "reg.FIELD = v (a read-modify-write by the register layer's rules).",
    .tp_methods = pymmio_register_methods,
    .tp_getset = pymmio_register_getset,
};
