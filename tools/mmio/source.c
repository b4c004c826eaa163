/*
 * The source a run works on: a spec the library opens (pci:, vfio:, uio:,
 * phys:, shm:, file:) or fake:MODEL, a device model in this process. The
 * commands that access it run guarded as a whole (mmio_guard_run), so a
 * fault during an access is an error the command reports, not a dead
 * process, and every access keeps the inline fast path.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

/* How many steps a fake model's slow operations take: enough that a poll
 * of edu's STATUS.COMPUTING sees it set before it clears. */
#define CLI_FAKE_LATENCY 3

/* The file of shm object name. */
static void cli__shm_path(char *buf, size_t cap, const char *name) {
  snprintf(buf, cap, "/dev/shm/%s", name);
}

static int cli__is_model(const char *name) {
  const char *const *n;
  for (n = mmio_model_names(); *n != NULL; n++)
    if (strcmp(*n, name) == 0) return 1;
  return 0;
}

int cli_source_parse(struct cli_source *s, const char *spec) {
  char why[512];
  memset(s, 0, sizeof(*s));
  s->spec = spec;
  if (strncmp(spec, "fake:", 5) == 0) {
    struct cli_buf names = {0};
    const char *const *n;
    s->fake = 1;
    s->has_region = 1;
    if (cli__is_model(spec + 5)) return 0;
    for (n = mmio_model_names(); *n != NULL; n++)
      cli_buf_add(&names, "%sfake:%s", n == mmio_model_names() ? "" : ", ", *n);
    cli_say("'%s' is no device model: the models are %s", spec, names.p);
    cli_buf_free(&names);
    return CLI_USAGE;
  }
  if (mmio_spec_parse(&s->parsed, spec, why, sizeof(why)) != 0) {
    cli_say("'%s' is not a source: %s, or fake:MODEL for a device model (mmio --help lists "
            "the forms)",
            spec, why);
    return CLI_USAGE;
  }
  s->device = s->parsed.source == MMIO_SOURCE_PCI || s->parsed.source == MMIO_SOURCE_VFIO ||
              s->parsed.source == MMIO_SOURCE_UIO || s->parsed.source == MMIO_SOURCE_PHYS;
  s->has_region = s->parsed.has_region ||
                  (s->parsed.source != MMIO_SOURCE_PCI && s->parsed.source != MMIO_SOURCE_VFIO &&
                   s->parsed.source != MMIO_SOURCE_UIO);
  return 0;
}

/* The fake's refusals become the access's error message. */
static void cli__fake_refused(void *arg, const char *message) {
  struct cli_source *s = arg;
  snprintf(s->rejected, sizeof(s->rejected), "%s", message);
}

/* Says why opening failed, with the library's advice (which names the
 * spec), on one line. */
static void cli__explain(const struct cli_source *s, int err) {
  char advice[2048];
  char *p;
  mmio_explain(advice, sizeof(advice), s->spec, err);
  for (p = advice; *p != '\0'; p++)
    if (*p == '\n') *p = ' ';
  cli_say("%s", advice);
}

static int cli__open_fake(struct cli_source *s, const struct cli_options *o) {
  int err;
  /* A model's registers are plain memory of this process: there is no
   * mapping whose memory type could be chosen. */
  if (o->cache != MMIO_CACHE_DEFAULT) {
    cli_say("--cache %s: %s is a model in this process, with no mapping to make %s",
            mmio_cache_policy_name(o->cache), s->spec, mmio_cache_policy_name(o->cache));
    return CLI_FAILED;
  }
  err = mmio_model_create(&s->model, s->spec + 5, CLI_FAKE_LATENCY);
  if (err == 0) err = mmio_model_region(&s->r, s->model);
  if (err != 0) {
    cli_say("cannot create %s: %s", s->spec, mmio_strerror(err));
    return CLI_FAILED;
  }
  mmio_fake_on_failure(mmio_model_fake(s->model), cli__fake_refused, s);
  return 0;
}

static int cli__open_device(struct cli_source *s, const struct cli_options *o, int writable) {
  const struct mmio_spec *p = &s->parsed;
  struct mmio_region_info ri;
  int err = mmio_device_open(&s->dev, s->spec);
  if (err != 0) {
    cli__explain(s, err);
    return CLI_FAILED;
  }
  if (!s->has_region) return 0;
  if (p->length > SIZE_MAX) {
    cli_say("%s: the window is larger than this machine's address space", s->spec);
    return CLI_USAGE;
  }
  /* As mmio_open() maps a spec: shm's +SIZE is the object's size, not a
   * window; phys:'s offset is the address. */
  err = mmio_device_map(&s->r, s->dev, p->index, p->source == MMIO_SOURCE_SHM ? 0 : p->offset,
                        (size_t)p->length, o->cache, writable ? 0 : MMIO_MAP_READ_ONLY);
  if (err != 0) {
    cli__explain(s, err);
    return CLI_FAILED;
  }
  if (p->source == MMIO_SOURCE_PHYS)
    s->address = p->offset;
  else if (mmio_device_region_info(&ri, s->dev, p->index) == 0 && ri.address != 0)
    s->address = ri.address + (p->source == MMIO_SOURCE_SHM ? 0 : p->offset);
  return 0;
}

int cli_source_open(struct cli_source *s, const struct cli_options *o, int writable) {
  int rc;
  /* shm:NAME+SIZE creates NAME when it is missing, which needs a writable
   * open; a dry run creates nothing. What it created goes again if the
   * session is refused (cli_source_undo). */
  if (!s->fake && s->parsed.source == MMIO_SOURCE_SHM && s->parsed.length != 0) {
    char path[4200];
    cli__shm_path(path, sizeof(path), s->parsed.name);
    s->created = access(path, F_OK) != 0 && errno == ENOENT && !o->dry_run;
    writable = writable || s->created;
  }
  rc = s->fake ? cli__open_fake(s, o) : cli__open_device(s, o, writable);
  if (rc != 0) cli_source_close(s);
  return rc;
}

void cli_source_undo(struct cli_source *s) {
  char path[4200];
  cli_source_close(s);
  if (!s->created) return;
  cli__shm_path(path, sizeof(path), s->parsed.name);
  unlink(path);
  s->created = 0;
}

void cli_source_close(struct cli_source *s) {
  mmio_region_release(&s->r);
  mmio_device_close(s->dev);
  s->dev = NULL;
  mmio_model_destroy(s->model);
  s->model = NULL;
}

int cli_source_arm_irq(struct cli_source *s) {
  int err;
  if (s->model != NULL) return 0;
  err = mmio_device_irq_enable(s->dev, MMIO_IRQ_DEFAULT);
  if (err != 0)
    cli_say("cannot enable the interrupt of %s: %s (%s)", s->spec, mmio_strerror(err),
            mmio_err_name(err));
  return err != 0 ? CLI_FAILED : 0;
}

int cli_source_irq(struct cli_source *s, uint64_t timeout_us, uint64_t *count) {
  /* Milliseconds, rounded up so that a short timeout still waits. */
  const uint64_t ms = (timeout_us + 999) / 1000;
  const int timeout_ms = timeout_us == 0 ? -1 : ms > INT_MAX ? INT_MAX : (int)ms;
  int rc;
  if (s->model != NULL) {
    /* A model's time is its own (a step per millisecond it is waited
     * for, no real time passing): pace it with the clock, so that
     * --timeout means what it says and a wait without one lasts until the
     * interrupt or Ctrl-C, as on a device. */
    const uint64_t start = mmio_clock_ns();
    const struct timespec step = {0, 1000000};
    while ((rc = mmio_model_irq_wait(s->model, 1)) == 0 &&
           (timeout_us == 0 || (mmio_clock_ns() - start) / 1000 < timeout_us))
      nanosleep(&step, NULL);
    *count = rc == 1 ? 1 : 0;
    return rc;
  }
  rc = mmio_device_irq_wait(s->dev, timeout_ms, count);
  /* Level-triggered lines stay masked after an interrupt until
   * acknowledged: unmask for the next wait, or whoever comes next. */
  if (rc == 1) (void)mmio_device_irq_ack(s->dev);
  return rc;
}

void cli_source_explain_ones(struct cli_source *s, uint64_t off) {
  static int given;
  struct mmio_device_info info;
  char text[1024];
  int n = 0;
  if (given || s->dev == NULL || mmio_device_info(&info, s->dev) != 0) return;
  given = 1;
  if (info.pci_address[0] != '\0')
    n = mmio_device_diagnose(text, sizeof(text), s->dev);
  else if (info.source == MMIO_SOURCE_PHYS)
    n = mmio_diagnose_address(text, sizeof(text), s->address + off);
  if (n > 0) cli_say("note: read all ones: %s", text);
}

void cli_source_lock_id(char *buf, size_t cap, const struct cli_source *s) {
  struct mmio_device_info info;
  char path[4200], real[PATH_MAX];
  buf[0] = '\0';
  if (s->dev == NULL || mmio_device_info(&info, s->dev) != 0) return;
  /* One device, one name, whichever spec reached it: the PCI address for
   * pci:, vfio: and uio: of a PCI function; the object's real path for
   * shm: and file: (shm:N and file:/dev/shm/N are one object). */
  if (info.pci_address[0] != '\0') {
    snprintf(buf, cap, "pci-%s", info.pci_address);
  } else if (info.source == MMIO_SOURCE_PHYS) {
    snprintf(buf, cap, "phys");
  } else if (info.source == MMIO_SOURCE_SHM || info.source == MMIO_SOURCE_FILE) {
    if (info.source == MMIO_SOURCE_SHM)
      cli__shm_path(path, sizeof(path), info.name);
    else
      snprintf(path, sizeof(path), "%s", info.name);
    snprintf(buf, cap, "file-%s", realpath(path, real) != NULL ? real : path);
  } else {
    snprintf(buf, cap, "%s-%s", mmio_source_name(info.source), info.name);
  }
}

/* Human size: "4 KiB", "1 MiB", or bytes. */
static void cli__size(char *buf, size_t cap, uint64_t n) {
  static const char *const units[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
  unsigned u = 0;
  while (u + 1 < sizeof(units) / sizeof(units[0]) && n >= 1024 && n % 1024 == 0)
    n /= 1024, u++;
  snprintf(buf, cap, "%llu %s", (unsigned long long)n, units[u]);
}

/* How this run maps the window: read-only unless a command stores. */
static const char *cli__mapping(const struct cli_source *s) {
  return mmio_region_is_read_only(&s->r) ? "mapped read-only (no command of this run stores)"
                                         : "mapped for reading and writing";
}

/* The region part of info: what the mapped window is. */
static void cli__describe_region(struct cli_source *s, struct cli_out *o) {
  struct mmio_region_info ri;
  char size[32];
  const uint64_t len = mmio_len(&s->r);
  cli__size(size, sizeof(size), len);
  if (s->dev != NULL && mmio_device_region_info(&ri, s->dev, s->parsed.index) == 0) {
    const char *policy = mmio_cache_policy_name(ri.policy);
    char whole[32];
    cli__size(whole, sizeof(whole), ri.size);
    if (!o->json && !o->quiet) {
      printf("window     %s (0x%llx bytes) at offset 0x%llx, %s\n", size, (unsigned long long)len,
             (unsigned long long)(s->parsed.source == MMIO_SOURCE_SHM ? 0 : s->parsed.offset),
             cli__mapping(s));
      printf("region     %u: %s of %s%s%s%s, at 0x%llx, mapping %s%s\n", s->parsed.index,
             (ri.flags & MMIO_REGION_IO) ? "I/O ports" : "memory",
             ri.size == UINT64_MAX ? "the physical address space" : whole,
             (ri.flags & MMIO_REGION_64BIT) ? ", 64-bit" : "",
             (ri.flags & MMIO_REGION_PREFETCH) ? ", prefetchable" : "",
             (ri.flags & MMIO_REGION_MMAP) ? "" : ", through read/write calls",
             (unsigned long long)ri.address, policy, ri.address == 0 ? " (address unknown)" : "");
    }
    cli_out_u64(o, "index", s->parsed.index);
    cli_out_u64(o, "region_size", ri.size);
    cli_out_u64(o, "address", ri.address);
    cli_out_str(o, "cache", policy);
    cli_out_bool(o, "prefetchable", (ri.flags & MMIO_REGION_PREFETCH) != 0);
    cli_out_bool(o, "bits64", (ri.flags & MMIO_REGION_64BIT) != 0);
    cli_out_bool(o, "mapped", (ri.flags & MMIO_REGION_MMAP) != 0);
  } else if (!o->json && !o->quiet) {
    printf("window     %s (0x%llx bytes), %s\n", size, (unsigned long long)len, cli__mapping(s));
  }
  cli_out_u64(o, "size", len);
  /* The mapping's, not the object's: a run that stores nothing maps it
   * read-only. */
  cli_out_bool(o, "mapped_read_only", mmio_region_is_read_only(&s->r));
}

void cli_source_describe(struct cli_source *s, struct cli_out *o) {
  struct mmio_device_info info;
  const int human = !o->json && !o->quiet;
  cli_out_begin(o, "info");
  cli_out_str(o, "spec", s->spec);
  if (s->model != NULL) {
    if (human) printf("source     %s: %s in this process\n", s->spec, mmio_model_title(s->model));
    cli_out_str(o, "kind", "fake");
    cli_out_str(o, "title", mmio_model_title(s->model));
  } else if (mmio_device_info(&info, s->dev) == 0) {
    if (human) printf("source     %s (%s)\n", s->spec, mmio_source_name(info.source));
    cli_out_str(o, "kind", mmio_source_name(info.source));
    cli_out_str(o, "name", info.name);
    if (info.pci_address[0] != '\0') {
      if (human)
        printf("pci        %s  %04x:%04x  subsystem %04x:%04x  class 0x%06x  driver %s\n",
               info.pci_address, info.vendor, info.device, info.subsystem_vendor,
               info.subsystem_device, (unsigned)info.class_code,
               info.driver[0] != '\0' ? info.driver : "(none)");
      cli_out_str(o, "pci_address", info.pci_address);
      cli_out_u64(o, "vendor", info.vendor);
      cli_out_u64(o, "device", info.device);
      cli_out_u64(o, "subsystem_vendor", info.subsystem_vendor);
      cli_out_u64(o, "subsystem_device", info.subsystem_device);
      cli_out_u64(o, "class", info.class_code);
      cli_out_str(o, "driver", info.driver);
    }
    if (info.uio_name[0] != '\0') {
      if (human) printf("uio        %s, named \"%s\"\n", info.name, info.uio_name);
      cli_out_str(o, "uio_name", info.uio_name);
    }
    if (human) {
      static const char *const kinds[] = {
          [MMIO_IRQ_DEFAULT] = "yes", [MMIO_IRQ_INTX] = "INTx", [MMIO_IRQ_MSI] = "MSI"};
      unsigned k;
      printf("regions    %u; interrupts:%s", info.regions, info.irqs == 0 ? " none" : "");
      for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
        if (info.irqs & (1u << k)) printf(" %s", kinds[k]);
      printf("\n");
    }
    cli_out_u64(o, "regions", info.regions);
    cli_out_bool(o, "irq", info.irqs != 0);
  }
  if (s->has_region) cli__describe_region(s, o);
  cli_out_end(o);
}
