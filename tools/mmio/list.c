/*
 * mmio list: what can be opened here. Every device the library finds
 * (PCI functions, the VFIO view of those bound to vfio-pci, UIO devices)
 * with its regions and the spec that opens each, then the device models.
 * Nothing is mapped, and VFIO devices are not opened (that would take
 * their group from whoever uses it): their regions are the PCI function's.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct cli__specs {
  char **spec;
  size_t n;
};

static int cli__collect(void *arg, const char *spec) {
  struct cli__specs *l = arg;
  char **s = realloc(l->spec, (l->n + 1) * sizeof(*s));
  if (s == NULL) return -1;
  l->spec = s;
  if ((s[l->n] = strdup(spec)) == NULL) return -1;
  l->n++;
  return 0;
}

/* One device's regions: "  SPEC/barN  memory 4 KiB at 0x...". */
static void cli__regions(struct cli_buf *json, mmio_device *dev, const char *spec,
                         const struct mmio_device_info *info, int human) {
  const char *part = info->source == MMIO_SOURCE_UIO ? "map" : "bar";
  const int has_parts = info->source == MMIO_SOURCE_PCI || info->source == MMIO_SOURCE_VFIO ||
                        info->source == MMIO_SOURCE_UIO;
  unsigned i;
  int first = 1;
  cli_buf_add(json, ", \"regions\": [");
  for (i = 0; i < info->regions; i++) {
    struct mmio_region_info ri;
    char rspec[4200];
    if (mmio_device_region_info(&ri, dev, i) != 0 || ri.size == 0) continue;
    snprintf(rspec, sizeof(rspec), has_parts ? "%s/%s%u" : "%s", spec, part, i);
    if (human)
      printf("  %-34s %s, %llu bytes%s%s at 0x%llx\n", rspec,
             (ri.flags & MMIO_REGION_IO) ? "I/O ports (cannot be mapped)" : "memory",
             (unsigned long long)ri.size, (ri.flags & MMIO_REGION_64BIT) ? ", 64-bit" : "",
             (ri.flags & MMIO_REGION_PREFETCH) ? ", prefetchable" : "",
             (unsigned long long)ri.address);
    cli_buf_add(json, "%s{\"index\": %u, \"spec\": ", first ? "" : ", ", i);
    cli_buf_json(json, rspec);
    cli_buf_add(json,
                ", \"size\": %llu, \"address\": %llu, \"memory\": %s, \"prefetchable\": %s, "
                "\"bits64\": %s}",
                (unsigned long long)ri.size, (unsigned long long)ri.address,
                (ri.flags & MMIO_REGION_IO) ? "false" : "true",
                (ri.flags & MMIO_REGION_PREFETCH) ? "true" : "false",
                (ri.flags & MMIO_REGION_64BIT) ? "true" : "false");
    first = 0;
  }
  cli_buf_add(json, "]");
}

/* One device: its line for people, its object for the document. */
static void cli__device(const char *spec, int human, int *first) {
  struct mmio_device_info info;
  struct cli_buf json = {0};
  mmio_device *dev = NULL;
  char pci_spec[64];
  const char *open_spec = spec;
  int err;
  /* VFIO: describe the function through sysfs rather than open it. */
  if (strncmp(spec, "vfio:", 5) == 0) {
    snprintf(pci_spec, sizeof(pci_spec), "pci:%s", spec + 5);
    open_spec = pci_spec;
  }
  err = mmio_device_open(&dev, open_spec);
  cli_buf_add(&json, "%s\n    {\"spec\": ", *first ? "" : ",");
  cli_buf_json(&json, spec);
  *first = 0;
  if (err != 0 || mmio_device_info(&info, dev) != 0) {
    if (human) printf("%-36s (cannot be described: %s)\n", spec, mmio_strerror(err));
    cli_buf_add(&json, ", \"error\": ");
    cli_buf_json(&json, mmio_strerror(err));
    cli_buf_add(&json, "}");
    fputs(human ? "" : json.p, stdout);
    cli_buf_free(&json);
    mmio_device_close(dev);
    return;
  }
  if (open_spec != spec) info.source = MMIO_SOURCE_VFIO;
  if (human) {
    printf("%-36s", spec);
    if (info.pci_address[0] != '\0')
      printf(" %04x:%04x class 0x%06x driver %s", info.vendor, info.device,
             (unsigned)info.class_code, info.driver[0] ? info.driver : "(none)");
    if (info.uio_name[0] != '\0') printf(" named \"%s\"", info.uio_name);
    printf("\n");
  }
  cli_buf_add(&json, ", \"kind\": \"%s\", \"name\": ", mmio_source_name(info.source));
  cli_buf_json(&json, info.name);
  if (info.pci_address[0] != '\0') {
    cli_buf_add(&json, ", \"pci_address\": \"%s\", \"vendor\": %u, \"device\": %u, \"class\": %u",
                info.pci_address, info.vendor, info.device, (unsigned)info.class_code);
    cli_buf_add(&json, ", \"driver\": ");
    cli_buf_json(&json, info.driver);
  }
  if (info.uio_name[0] != '\0') {
    cli_buf_add(&json, ", \"uio_name\": ");
    cli_buf_json(&json, info.uio_name);
  }
  cli__regions(&json, dev, spec, &info, human);
  cli_buf_add(&json, "}");
  if (!human) fputs(json.p, stdout);
  cli_buf_free(&json);
  mmio_device_close(dev);
}

int cli_list_main(int argc, char **argv) {
  struct cli__specs l = {NULL, 0};
  const char *const *m;
  int human = 1, first = 1, err;
  size_t i;
  if (argc == 2 && strcmp(argv[1], "--json") == 0) {
    human = 0;
  } else if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
    printf("usage: mmio list [--json]\n\nLists the PCI functions (and their VFIO view), UIO "
           "devices and device models this machine has, each region with the SOURCE spec "
           "that opens it. Maps nothing.\n");
    return CLI_OK;
  } else if (argc != 1) {
    cli_say("list takes only --json (mmio list --help)");
    return CLI_USAGE;
  }
  err = mmio_device_each(cli__collect, &l);
  if (err != 0) {
    cli_say("cannot list the devices: %s", mmio_strerror(err));
    for (i = 0; i < l.n; i++)
      free(l.spec[i]);
    free(l.spec);
    return CLI_FAILED;
  }
  if (!human) printf("{\"devices\": [");
  for (i = 0; i < l.n; i++) {
    cli__device(l.spec[i], human, &first);
    free(l.spec[i]);
  }
  free(l.spec);
  for (m = mmio_model_names(); *m != NULL; m++) {
    mmio_model *model = NULL;
    const char *title = mmio_model_create(&model, *m, 0) == 0 ? mmio_model_title(model) : "";
    struct cli_buf json = {0};
    mmio_region r = {0};
    const size_t len = model != NULL && mmio_model_region(&r, model) == 0 ? mmio_len(&r) : 0;
    mmio_region_release(&r);
    if (human) printf("fake:%-31s %s (a model in this process)\n", *m, title);
    cli_buf_add(&json,
                "%s\n    {\"spec\": \"fake:%s\", \"kind\": \"fake\", \"name\": ", first ? "" : ",",
                *m);
    cli_buf_json(&json, title);
    cli_buf_add(&json, ", \"regions\": [{\"index\": 0, \"spec\": \"fake:%s\", \"size\": %zu}]}", *m,
                len);
    if (!human) fputs(json.p, stdout);
    cli_buf_free(&json);
    first = 0;
    mmio_model_destroy(model);
  }
  if (!human) printf("\n  ]}\n");
  return CLI_OK;
}
