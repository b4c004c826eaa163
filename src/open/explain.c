/*
 * mmio_explain: advice for a person when opening failed. It parses the
 * spec again, explains a name that matched no device or several, and
 * hands the rest to the source's own advice (src/linux/).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "open_internal.h"

typedef void (*mmio__explain_fn)(struct mmio__text *t, const struct mmio__env *env,
                                 const struct mmio_spec *s, const char *name, int err);

static void mmio__explain_pci(struct mmio__text *t, const struct mmio__env *env,
                              const struct mmio_spec *s, const char *name, int err) {
  mmio__pci_explain(t, env, name, s->index, err);
}

static void mmio__explain_vfio(struct mmio__text *t, const struct mmio__env *env,
                               const struct mmio_spec *s, const char *name, int err) {
  mmio__vfio_explain(t, env, name, s->index, err);
}

static void mmio__explain_uio(struct mmio__text *t, const struct mmio__env *env,
                              const struct mmio_spec *s, const char *name, int err) {
  mmio__uio_explain(t, env, name, s->index, err);
}

static void mmio__explain_phys(struct mmio__text *t, const struct mmio__env *env,
                               const struct mmio_spec *s, const char *name, int err) {
  (void)name;
  mmio__phys_explain(t, env, s->offset, err);
}

static void mmio__explain_object(struct mmio__text *t, const struct mmio__env *env,
                                 const struct mmio_spec *s, const char *name, int err) {
  char what[sizeof(s->name) + 16];
  struct stat st;
  (void)env;
  snprintf(what, sizeof(what), "%s%s", s->source == MMIO_SOURCE_SHM ? "/dev/shm/" : "", name);
  mmio__file_explain(t, what, err);
  if (s->source != MMIO_SOURCE_SHM) return;
  if (err == -ENOENT && s->length == 0)
    mmio__say(t, " Give its size (shm:%s+SIZE) to create it.", name);
  else if (err == -ENOMEM || err == -ENOSPC || err == -EFBIG)
    mmio__say(t,
              " /dev/shm cannot hold an object of %llu bytes (its tmpfs is limited, by "
              "default to half the memory): ask for a smaller +SIZE.",
              (unsigned long long)s->length);
  else if (err == MMIO_ERR_OUT_OF_RANGE && s->length != 0 && stat(what, &st) == 0 &&
           (uint64_t)st.st_size != s->length)
    /* +SIZE creates an object, and names the size of one that exists. */
    mmio__say(t,
              " %s exists with %llu bytes, not %llu: open it as shm:%s (its own size), or "
              "remove it (rm %s) to have it made with +SIZE.",
              what, (unsigned long long)st.st_size, (unsigned long long)s->length, name, what);
}

static const mmio__explain_fn mmio__explainers[] = {
    [MMIO_SOURCE_PCI] = mmio__explain_pci,    [MMIO_SOURCE_VFIO] = mmio__explain_vfio,
    [MMIO_SOURCE_UIO] = mmio__explain_uio,    [MMIO_SOURCE_PHYS] = mmio__explain_phys,
    [MMIO_SOURCE_SHM] = mmio__explain_object, [MMIO_SOURCE_FILE] = mmio__explain_object,
};

/* A name that did not resolve: say which and what there is instead. */
static void mmio__explain_name(struct mmio__text *t, const struct mmio__env *env,
                               const struct mmio_spec *s, int err) {
  if (s->by == MMIO_SPEC_BY_ID && s->instance > 0)
    mmio__say(t,
              " There is no #%u among the PCI functions with the ID %s (they count from #0); "
              "lspci -d %s lists them.",
              s->instance, s->name, s->name);
  else if (s->by == MMIO_SPEC_BY_ID)
    mmio__say(t, " No PCI function has the ID %s; lspci -nn lists the IDs.", s->name);
  else if (s->by == MMIO_SPEC_BY_NAME && err == MMIO_ERR_AMBIGUOUS)
    mmio__uio_say_candidates(t, env, s->name);
  else if (s->by == MMIO_SPEC_BY_NAME && s->has_instance)
    mmio__say(t, " There is no #%u among the UIO devices named %s (they count from #0).",
              s->instance, s->name);
  else if (s->by == MMIO_SPEC_BY_NAME)
    mmio__say(t, " No UIO device is named %s; see /sys/class/uio/*/name.", s->name);
  else
    mmio__say(t, " %s has no UIO device: bind it to a UIO driver (uio_pci_generic).", s->name);
}

int mmio__explain_at(const struct mmio__env *env, char *buf, size_t cap, const char *spec,
                     int err) {
  struct mmio__text t = {buf, cap, 0};
  struct mmio_spec s;
  char why[256], name[sizeof(s.name)];
  int rerr;
  if (cap > 0) buf[0] = '\0';
  /* A device spec without its region is a valid mmio_device_open()
   * argument; only for mmio_open() was it the mistake. */
  if (mmio__spec_parse(&s, spec, why, sizeof(why), err == MMIO_ERR_BAD_SPEC) != 0) {
    mmio__say(&t, "cannot parse '%s': %s. Expected one of:\n%s", spec != NULL ? spec : "(null)",
              why, mmio_spec_forms());
    return (int)t.len;
  }
  mmio__say(&t, "%s: %s.", spec, mmio_strerror(err));
  rerr = mmio__spec_resolve(env, &s, name, sizeof(name));
  if (rerr != 0)
    mmio__explain_name(&t, env, &s, rerr);
  else
    mmio__explainers[s.source](&t, env, &s, name, err);
  return (int)t.len;
}

int mmio_explain(char *buf, size_t cap, const char *spec, int err) {
  return mmio__explain_at(&mmio__env_system, buf, cap, spec, err);
}
