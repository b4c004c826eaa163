/*
 * The registry of device models, and what every model shares: a fake
 * register file, a clock of steps, an interrupt line.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "testing_internal.h"

static const struct mmio__model_kind *const mmio__models[] = {&mmio__model_edu};

const char *const *mmio_model_names(void) {
  static const char *const names[] = {"edu", NULL};
  return names;
}

int mmio_model_create(mmio_model **out, const char *name, unsigned latency) {
  const struct mmio__model_kind *kind = NULL;
  mmio_model *m;
  size_t i;
  int err;
  if (out == NULL) return -EINVAL;
  *out = NULL;
  if (name == NULL) return -EINVAL;
  for (i = 0; i < sizeof(mmio__models) / sizeof(mmio__models[0]); i++)
    if (strcmp(mmio__models[i]->name, name) == 0) kind = mmio__models[i];
  if (kind == NULL) return MMIO_ERR_UNKNOWN_NAME;
  if ((m = calloc(1, sizeof(*m))) == NULL) return -ENOMEM;
  m->kind = kind;
  m->latency = latency;
  err = kind->init(m);
  if (err != 0) {
    mmio_model_destroy(m);
    return err;
  }
  *out = m;
  return 0;
}

void mmio_model_destroy(mmio_model *m) {
  if (m == NULL) return;
  mmio_fake_destroy(m->fake);
  free(m);
}

const char *mmio_model_title(const mmio_model *m) { return m != NULL ? m->kind->title : ""; }

int mmio_model_region(mmio_region *out, mmio_model *m) {
  if (m == NULL) {
    if (out != NULL) memset(out, 0, sizeof(*out));
    return -EINVAL;
  }
  return mmio_fake_region(out, m->fake);
}

mmio_fake *mmio_model_fake(mmio_model *m) { return m != NULL ? m->fake : NULL; }

int mmio_model_irq_pending(mmio_model *m) {
  return m != NULL ? m->kind->irq_pending(m) != 0 : -EINVAL;
}

int mmio_model_irq_wait(mmio_model *m, int timeout_ms) {
  int t;
  if (m == NULL) return -EINVAL;
  for (t = 0; t < timeout_ms && !m->kind->irq_pending(m); t++)
    m->kind->step(m);
  return m->kind->irq_pending(m) != 0;
}
