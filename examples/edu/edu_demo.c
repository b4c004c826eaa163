/*
 * Runs the edu driver on a real edu device (QEMU -device edu), reached
 * through any source spec, or on the fake model.
 *
 * usage: edu_demo SPEC          e.g. pci:0000:00:01.0/bar0, uio:uio0/map0,
 *                               vfio:0000:00:01.0/bar0, phys:0xfea00000+1M
 *        edu_demo --fake        the fake model, no hardware needed
 */
#include <stdio.h>
#include <string.h>

#include <mmio/mmio.h>
#include <mmio/open.h>

#include "edu.h"
#include <mmio/testing/model.h>

int main(int argc, char **argv) {
  mmio_model *model = NULL;
  struct edu dev;
  mmio_region bar0;
  unsigned major = 0, minor = 0, n;
  uint32_t out = 0;
  int err;
  if (argc != 2) {
    fprintf(stderr, "usage: edu_demo SPEC | --fake\nSPEC is one of:\n%s", mmio_spec_forms());
    return 2;
  }
  if (strcmp(argv[1], "--fake") == 0) {
    err = mmio_model_create(&model, "edu", 3);
    if (err == 0) err = mmio_model_region(&bar0, model);
  } else {
    err = mmio_open(&bar0, argv[1], MMIO_CACHE_DEFAULT, 0);
  }
  if (err != 0) {
    char why[2048];
    mmio_explain(why, sizeof(why), argv[1], err);
    fprintf(stderr, "edu_demo: %s\n", why);
    return 1;
  }
  err = edu_open(&dev, &bar0, NULL, NULL);
  if (err == 0) err = edu_version(&dev, &major, &minor);
  if (err == 0) printf("edu %u.%u\n", major, minor);
  if (err == 0) err = edu_check_liveness(&dev, 0xc0ffee);
  if (err == 0) printf("liveness: ok\n");
  for (n = 1; err == 0 && n <= 12; n++) {
    err = edu_factorial(&dev, n, &out, 1000);
    if (err == 0) printf("%2u! = %u\n", n, out);
  }
  if (err != 0) fprintf(stderr, "edu_demo: %s (%s)\n", mmio_strerror(err), mmio_err_name(err));
  edu_close(&dev);
  mmio_model_destroy(model);
  return err != 0;
}
