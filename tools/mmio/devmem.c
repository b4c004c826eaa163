/*
 * mmio devmem ADDRESS [WIDTH [VALUE]], and the binary run as "devmem":
 * busybox devmem's arguments and output, with the library's checks. A
 * script switches by changing one word; what it gains is that an
 * unaligned address, a width that does not exist or a value too wide is
 * refused before /dev/mem is opened, and a bus error is a message and
 * exit status 1 instead of a dead shell.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* busybox reads ADDRESS and VALUE with strtoull(..., 0): 0x hex, a leading
 * 0 for octal, decimal; the whole word must be the number. */
static int cli__c_number(const char *text, uint64_t *out) {
  char *end = NULL;
  if (!isdigit((unsigned char)text[0])) return -1;
  errno = 0;
  *out = strtoull(text, &end, 0);
  return errno != 0 || end == text || *end != '\0' ? -1 : 0;
}

/* busybox's WIDTH: a number of bits, or b, h, w, l (8, 16, 32, 64). */
static int cli__width(const char *text, unsigned *bits) {
  static const char letters[] = "bhwl";
  const char *l;
  uint64_t n;
  if (text[0] != '\0' && text[1] == '\0' && !isdigit((unsigned char)text[0])) {
    /* As busybox: b, h, w and l are char, short, int and long, so l is
     * 32 bits on a 32-bit system. */
    static const unsigned sizes[] = {8 * sizeof(char), 8 * sizeof(short), 8 * sizeof(int),
                                     8 * sizeof(long)};
    l = strchr(letters, text[0] | 0x20);
    if (l == NULL) return -1;
    *bits = sizes[l - letters];
    return 0;
  }
  if (cli_number(&n, text, 0, (char[64]){0}, 64) != 0) return -1;
  if (n != 8 && n != 16 && n != 32 && n != 64) return -1;
  *bits = (unsigned)n;
  return 0;
}

/* The one access, run guarded (mmio_guard_run): a bus error is a message. */
struct cli__devmem_access {
  mmio_region *r;
  unsigned width;
  int store;
  uint64_t value;
};

static int cli__devmem_access(void *arg) {
  struct cli__devmem_access *a = arg;
  return a->store ? mmio_try_store_width(a->r, 0, a->width, a->value)
                  : mmio_try_load_width(a->r, 0, a->width, &a->value);
}

static void cli__devmem_usage(FILE *f) {
  fprintf(f,
          "usage: %s ADDRESS [WIDTH [VALUE]]\n\n"
          "Reads (and prints as busybox devmem does) or writes the physical address ADDRESS\n"
          "through /dev/mem. WIDTH: 8, 16, 32 or 64 (or b, h, w, l); default 32.\n"
          "ADDRESS and VALUE: C numbers (0x hex, 0 octal, decimal). Unlike busybox, an\n"
          "unaligned address, another width or a value wider than WIDTH is refused, and a\n"
          "bus error is reported (exit status 1) instead of killing the shell.\n",
          strcmp(cli_name, "devmem") == 0 ? "devmem" : "mmio devmem");
}

int cli_devmem_main(int argc, char **argv) {
  struct cli_source src;
  struct cli_options opt;
  char spec[64];
  uint64_t addr, value = 0, v = 0;
  unsigned bits = 32;
  int err, rc;
  if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
    cli__devmem_usage(stdout);
    return CLI_OK;
  }
  if (argc < 2 || argc > 4) {
    cli__devmem_usage(stderr);
    return CLI_USAGE;
  }
  if (cli__c_number(argv[1], &addr) != 0) {
    cli_say("'%s' is not an address (0x hex, 0 octal or decimal)", argv[1]);
    return CLI_USAGE;
  }
  if (argc >= 3 && cli__width(argv[2], &bits) != 0) {
    cli_say("'%s' is not a width: 8, 16, 32 or 64 (or b, h, w, l)", argv[2]);
    return CLI_USAGE;
  }
  if (argc == 4 && cli__c_number(argv[3], &value) != 0) {
    cli_say("'%s' is not a value (0x hex, 0 octal or decimal)", argv[3]);
    return CLI_USAGE;
  }
  if (bits < 64 && (value >> bits) != 0) {
    cli_say("value %s does not fit %u bits", argv[3], bits);
    return CLI_USAGE;
  }
  if (addr > UINT64_MAX - bits / 8) {
    cli_say("address 0x%llx is at the end of the address space: no %u-bit access fits there",
            (unsigned long long)addr, bits);
    return CLI_USAGE;
  }
  if (addr % (bits / 8) != 0) {
    cli_say("address 0x%llx is not aligned for a %u-bit access: give a multiple of %u (%s)",
            (unsigned long long)addr, bits, bits / 8, mmio_err_name(MMIO_ERR_UNALIGNED));
    return CLI_USAGE;
  }
  snprintf(spec, sizeof(spec), "phys:0x%llx+%u", (unsigned long long)addr, bits / 8);
  memset(&opt, 0, sizeof(opt));
  rc = cli_source_parse(&src, spec);
  if (rc == 0) rc = cli_source_open(&src, &opt, argc == 4);
  if (rc != 0) return rc;
  {
    struct cli__devmem_access a = {&src.r, bits / 8, argc == 4, value};
    err = mmio_guard_run(cli__devmem_access, &a);
    v = a.value;
  }
  if (err == 0 && argc != 4) {
    /* Exactly busybox's line: uppercase hex, zero-padded to the width. */
    printf("0x%0*llX\n", (int)(bits / 4), (unsigned long long)v);
    fflush(stdout);
    cli_source_hint(&src, 0, v, bits / 8);
  }
  if (err != 0) {
    cli_say("%s%u at 0x%llx failed: %s (%s)", argc == 4 ? "write" : "read", bits,
            (unsigned long long)addr, mmio_strerror(err), mmio_err_name(err));
    rc = CLI_FAILED;
  }
  cli_source_close(&src);
  return rc;
}
