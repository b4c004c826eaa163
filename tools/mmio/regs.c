/*
 * mmio regs: the registers and fields of a description file (CMSIS-SVD or
 * the text format), every array element expanded, for people or as JSON.
 * NAME narrows it to a peripheral, a register or a field.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* What a field or register's access is in effect: its own, else its
 * register's, else read-write. */
static const char *cli__access(enum mmio_access own, enum mmio_access reg) {
  return mmio_access_name(own != MMIO_ACCESS_DEFAULT   ? own
                          : reg != MMIO_ACCESS_DEFAULT ? reg
                                                       : MMIO_RW);
}

/* A description for a listing line: up to its first sentence, at most
 * width bytes (vendor files put paragraphs there). */
static void cli__short(char *buf, size_t cap, const char *text, size_t width) {
  size_t n = 0;
  if (text == NULL) text = "";
  while (text[n] != '\0' && n < width && !(text[n] == '.' && (text[n + 1] == ' ' || !text[n + 1])))
    n++;
  if (n == width && text[n] != '\0')
    snprintf(buf, cap, "%.*s...", (int)(n > 3 ? n - 3 : n), text);
  else
    snprintf(buf, cap, "%.*s", (int)n, text);
}

/* Prints one register (and only field `only`, when not NULL). */
static void cli__reg(const struct mmio_periph *p, const struct mmio_reg *r,
                     const struct mmio_field *only, int json, int *first) {
  char d[96];
  size_t i, k;
  if (!json) {
    cli__short(d, sizeof(d), r->description, 60);
    printf("  0x%04llx  %-24s %2u  %-7s", (unsigned long long)r->offset, r->name, 8 * r->width,
           cli__access(r->access, MMIO_ACCESS_DEFAULT));
    if (r->reset_mask != 0)
      printf(" reset 0x%0*llx", (int)(2 * r->width), (unsigned long long)r->reset);
    printf("%s%s\n", d[0] ? "  " : "", d);
    for (i = 0; i < r->nfields; i++) {
      const struct mmio_field *f = &r->fields[i];
      if (only != NULL && f != only) continue;
      cli__short(d, sizeof(d), f->description, 60);
      printf("          %-24s [%u:%u] %-7s%s%s\n", f->name, f->msb, f->lsb,
             cli__access(f->access, r->access), d[0] ? " " : "", d);
      for (k = 0; k < f->nenums; k++) {
        cli__short(d, sizeof(d), f->enums[k].description, 50);
        printf("            %-22s 0x%llx%s%s\n", f->enums[k].name,
               (unsigned long long)f->enums[k].value, d[0] ? "  " : "", d);
      }
    }
    return;
  }
  {
    struct cli_buf j = {0}, name = {0};
    cli_buf_add(&name, "%s.%s", p->name, r->name);
    cli_buf_add(&j, "%s\n    {\"name\": ", *first ? "" : ",");
    cli_buf_json(&j, name.p);
    cli_buf_add(&j, ", \"address\": %llu, \"size\": %u, \"reset\": ",
                (unsigned long long)(p->base + r->offset), 8 * r->width);
    /* A description that gives no reset value: null, not a made-up 0. */
    if (r->reset_mask != 0)
      cli_buf_add(&j, "%llu", (unsigned long long)r->reset);
    else
      cli_buf_add(&j, "null");
    cli_buf_add(&j, ", \"access\": \"%s\", \"fields\": [",
                cli__access(r->access, MMIO_ACCESS_DEFAULT));
    *first = 0;
    for (i = 0, k = 0; i < r->nfields; i++) {
      const struct mmio_field *f = &r->fields[i];
      size_t e;
      if (only != NULL && f != only) continue;
      cli_buf_add(&j, "%s{\"name\": ", k++ > 0 ? ", " : "");
      cli_buf_json(&j, f->name);
      cli_buf_add(&j, ", \"lsb\": %u, \"msb\": %u, \"access\": \"%s\", \"enums\": [", f->lsb,
                  f->msb, cli__access(f->access, r->access));
      for (e = 0; e < f->nenums; e++) {
        cli_buf_add(&j, "%s{\"name\": ", e ? ", " : "");
        cli_buf_json(&j, f->enums[e].name);
        cli_buf_add(&j, ", \"value\": %llu}", (unsigned long long)f->enums[e].value);
      }
      cli_buf_add(&j, "]}");
    }
    cli_buf_add(&j, "]}");
    fputs(j.p, stdout);
    cli_buf_free(&j);
    cli_buf_free(&name);
  }
}

static void cli__periph(const struct mmio_periph *p, const struct mmio_name *only, int json,
                        int *first) {
  size_t i;
  char d[96];
  if (!json) {
    cli__short(d, sizeof(d), p->description, 60);
    printf("%s @ 0x%08llx, %llu bytes%s%s%s%s%s\n", p->name, (unsigned long long)p->base,
           (unsigned long long)p->size, p->derived_from ? " (derived from " : "",
           p->derived_from ? p->derived_from : "", p->derived_from ? ")" : "", d[0] ? "  " : "", d);
  }
  for (i = 0; i < p->nregs; i++)
    if (only == NULL || only->reg == NULL || only->reg == &p->regs[i])
      cli__reg(p, &p->regs[i], only != NULL ? only->field : NULL, json, first);
}

int cli_desc_load(mmio_desc **out, const char *file, const char *prefix) {
  char why[1024];
  const int err = mmio_desc_load(out, file, why, sizeof(why));
  if (err == 0) return 0;
  /* A file that is there but wrong: the loader's message names the line
   * and what is wrong with it. One that cannot be read: say what is
   * wanted. */
  if (err == MMIO_ERR_BAD_DESCRIPTION) {
    cli_say("%s%s", prefix, why);
    return CLI_USAGE;
  }
  cli_say("%s%s: give a CMSIS-SVD (.svd) or register text (.regs) file that can be read", prefix,
          why);
  return CLI_FAILED;
}

int cli_regs_main(int argc, char **argv) {
  const char *file = NULL, *name = NULL;
  struct mmio_name n;
  mmio_desc *d = NULL;
  char why[1024];
  int json = 0, first = 1, i, err;
  size_t k, w;
  for (i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--json")) {
      json = 1;
    } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
      printf("usage: mmio regs DESCRIPTION [NAME] [--json]\n\nPrints the registers and fields "
             "of a CMSIS-SVD or text register description, arrays expanded; NAME (PERIPHERAL, "
             "PERIPHERAL.REGISTER or PERIPHERAL.REGISTER.FIELD) narrows it. Warnings about the "
             "file go to stderr.\n");
      return CLI_OK;
    } else if (argv[i][0] == '-') {
      cli_say("regs takes no option %s (mmio regs --help)", argv[i]);
      return CLI_USAGE;
    } else if (file == NULL) {
      file = argv[i];
    } else if (name == NULL) {
      name = argv[i];
    } else {
      cli_say("regs takes DESCRIPTION [NAME] (mmio regs --help)");
      return CLI_USAGE;
    }
  }
  if (file == NULL) {
    cli_say("regs needs a DESCRIPTION file (mmio regs --help)");
    return CLI_USAGE;
  }
  err = cli_desc_load(&d, file, "");
  if (err != 0) return err;
  if (name != NULL && mmio_desc_find(&n, d, NULL, name, why, sizeof(why)) != 0) {
    cli_say("%s", why);
    mmio_desc_free(d);
    return CLI_USAGE;
  }
  for (w = 0; mmio_desc_warning(d, w) != NULL; w++)
    cli_say("warning: %s", mmio_desc_warning(d, w));
  if (json) {
    struct cli_buf t = {0};
    cli_buf_json(&t, mmio_desc_name(d));
    printf("{\"device\": %s, \"registers\": [", t.p);
    cli_buf_free(&t);
  } else {
    printf("device %s\n", mmio_desc_name(d)[0] ? mmio_desc_name(d) : "(unnamed)");
  }
  for (k = 0; k < mmio_desc_nperiphs(d); k++) {
    const struct mmio_periph *p = mmio_desc_periph(d, k);
    if (name == NULL || n.periph == p) cli__periph(p, name ? &n : NULL, json, &first);
  }
  if (json) printf("%s]}\n", first ? "" : "\n  ");
  mmio_desc_free(d);
  return CLI_OK;
}
