/*
 * The module mmio._mmio: its functions, types and exceptions. The package
 * mmio re-exports all of it.
 */
#include <string.h>

#include "pymmio.h"

/* The spec forms mmio.open() takes: the library's, and fake:NAME for each
 * device model. */
static PyObject *pymmio_spec_forms(PyObject *module, PyObject *unused) {
  const char *const *names = mmio_model_names();
  const char *forms = mmio_spec_forms();
  const size_t len = strlen(forms);
  PyObject *text =
      PyUnicode_FromFormat("%s%s", forms, len > 0 && forms[len - 1] != '\n' ? "\n" : "");
  (void)module;
  (void)unused;
  for (; text != NULL && *names != NULL; names++)
    PyUnicode_AppendAndDel(&text, PyUnicode_FromFormat("fake:%s (a device model)\n", *names));
  return text;
}

static PyMethodDef pymmio_functions[] = {
    {"open", (PyCFunction)(void (*)(void))pymmio_open, METH_VARARGS | METH_KEYWORDS,
     "open(spec, cache=\"default\", read_only=False) -> Region: maps what spec names "
     "(pci:, vfio:, uio:, phys:, shm:, file:, or fake:NAME for a device model). cache is a "
     "policy name (\"default\", \"cached\", \"uncached\", \"uncached-device\", "
     "\"write-combining\"); it is checked, never downgraded. The region is guarded: a fault "
     "during an access raises mmio.BusError."},
    {"load_description", (PyCFunction)pymmio_load_description, METH_O,
     "load_description(path) -> Description: a CMSIS-SVD file, or the project's text format."},
    {"parse_description", (PyCFunction)(void (*)(void))pymmio_parse_description,
     METH_VARARGS | METH_KEYWORDS,
     "parse_description(text, name=\"<string>\") -> Description: as load_description, from a "
     "string; name is used in messages."},
    {"spec_forms", (PyCFunction)pymmio_spec_forms, METH_NOARGS,
     "spec_forms() -> str: the spec forms open() takes, one a line."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef pymmio_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "mmio._mmio",
    .m_doc = "Checked, width-exact access to device memory (the C part of the mmio package).",
    .m_size = -1,
    .m_methods = pymmio_functions,
};

PyMODINIT_FUNC PyInit__mmio(void);

PyMODINIT_FUNC PyInit__mmio(void) {
  PyTypeObject *types[] = {&pymmio_region_type, &pymmio_model_type, &pymmio_desc_type,
                           &pymmio_regmap_type, &pymmio_register_type};
  const char *names[] = {"Region", NULL, "Description", "RegisterMap", "Register"};
  PyObject *module;
  size_t i;
  for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
    if (PyType_Ready(types[i]) < 0) return NULL;
  module = PyModule_Create(&pymmio_module);
  if (module == NULL) return NULL;
  for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
    if (names[i] != NULL && PyModule_AddObjectRef(module, names[i], (PyObject *)types[i]) < 0)
      goto fail;
  if (pymmio_errors_init(module) < 0) goto fail;
  if (PyModule_AddIntConstant(module, "LIBRARY_VERSION", MMIO_VERSION_NUMBER) < 0) goto fail;
  return module;
fail:
  Py_DECREF(module);
  return NULL;
}
