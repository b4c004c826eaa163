/*
 * Source spec strings: every form, canonical PCI addresses, windows,
 * numbers, and rejections with their reasons.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <mmio/mmio.h>
#include <mmio/open.h>

static void every_form_parses(void **state) {
  struct mmio_spec s;
  (void)state;
  assert_int_equal(mmio_spec_parse(&s, "pci:0000:00:03.0/bar0", NULL, 0), 0);
  assert_int_equal(s.source, MMIO_SOURCE_PCI);
  assert_string_equal(s.name, "0000:00:03.0");
  assert_int_equal(s.index, 0);
  assert_true(s.offset == 0 && s.length == 0);

  assert_int_equal(mmio_spec_parse(&s, "pci:0000:00:03.0/bar2@0x100+0x40", NULL, 0), 0);
  assert_int_equal(s.index, 2);
  assert_true(s.offset == 0x100 && s.length == 0x40);

  assert_int_equal(mmio_spec_parse(&s, "vfio:00:1F.7/bar5+4k", NULL, 0), 0);
  assert_int_equal(s.source, MMIO_SOURCE_VFIO);
  assert_string_equal(s.name, "0000:00:1f.7"); /* domain added, lower case */
  assert_int_equal(s.index, 5);
  assert_true(s.offset == 0 && s.length == 4096);

  assert_int_equal(mmio_spec_parse(&s, "uio:uio12/map1@16", NULL, 0), 0);
  assert_int_equal(s.source, MMIO_SOURCE_UIO);
  assert_string_equal(s.name, "uio12");
  assert_int_equal(s.index, 1);
  assert_true(s.offset == 16 && s.length == 0);

  assert_int_equal(mmio_spec_parse(&s, "phys:0xfea00000+0x1000", NULL, 0), 0);
  assert_int_equal(s.source, MMIO_SOURCE_PHYS);
  assert_true(s.offset == 0xfea00000ull && s.length == 0x1000);

  assert_int_equal(mmio_spec_parse(&s, "shm:ivshmem+1M", NULL, 0), 0);
  assert_int_equal(s.source, MMIO_SOURCE_SHM);
  assert_string_equal(s.name, "ivshmem");
  assert_true(s.length == 1u << 20);
  assert_int_equal(mmio_spec_parse(&s, "shm:x", NULL, 0), 0);
  assert_true(s.length == 0);

  assert_int_equal(mmio_spec_parse(&s, "file:/tmp/a@b+c@0x10+2G", NULL, 0), 0);
  assert_int_equal(s.source, MMIO_SOURCE_FILE);
  assert_string_equal(s.name, "/tmp/a@b+c"); /* only a numeric tail is a window */
  assert_true(s.offset == 16 && s.length == 2ull << 30);
  assert_int_equal(mmio_spec_parse(&s, "file:/dev/zero", NULL, 0), 0);
  assert_string_equal(s.name, "/dev/zero");

  /* A device without a region part: a spec of the device, as
   * mmio_device_open takes it (mmio_open refuses it). */
  assert_int_equal(mmio_spec_parse(&s, "pci:0000:00:03.0", NULL, 0), 0);
  assert_true(s.source == MMIO_SOURCE_PCI && !s.has_region);
  assert_int_equal(mmio_spec_parse(&s, "uio:uio0", NULL, 0), 0);
  assert_true(s.source == MMIO_SOURCE_UIO && !s.has_region);
  assert_int_equal(mmio_spec_parse(&s, "uio:uio0/map0", NULL, 0), 0);
  assert_true(s.has_region);
}

static void rejected(const char *text, const char *reason_part) {
  struct mmio_spec s;
  char why[256];
  memset(&s, 0x5a, sizeof(s));
  if (mmio_spec_parse(&s, text, why, sizeof(why)) != MMIO_ERR_BAD_SPEC)
    fail_msg("accepted: %s", text);
  if (strstr(why, reason_part) == NULL)
    fail_msg("'%s': reason '%s' lacks '%s'", text, why, reason_part);
  assert_int_equal(s.source, 0); /* cleared */
}

static void malformed_specs_say_what_is_wrong(void **state) {
  (void)state;
  rejected("pcie:0000:00:03.0/bar0", "unknown source 'pcie'");
  rejected("pci:0000:00:03/bar0", "not a PCI address");
  rejected("pci:0000:00:20.0/bar0", "not a PCI address"); /* device 0x20 > 0x1f */
  rejected("pci:0000:00:03.8/bar0", "not a PCI address");
  rejected("pci:0000:00:03.0/bar6", "BAR number must be 0 to 5");
  rejected("pci:0000:00:03.0/bar", "BAR number must be 0 to 5");
  rejected("pci:0000:00:03.0/map0", "expected barN");
  rejected("pci:0000:00:03.0/bar0@", "not @OFFSET");
  rejected("pci:0000:00:03.0/bar0@0x10+", "not +LENGTH");
  rejected("pci:0000:00:03.0/bar0+0", "not +LENGTH");
  rejected("pci:0000:00:03.0/bar0x", "not @OFFSET");
  rejected("pci:0000:00:03.0/bar0@99999999999999999999", "not @OFFSET");
  rejected("uio:ua rt0/map0", "not a UIO device name");
  rejected("uio:uio01/map0", "not a UIO device name");
  rejected("uio:uio0/map5", "UIO map number must be 0 to 4");
  rejected("phys:0x1000", "expected phys:ADDR+LEN");
  rejected("phys:0xzz+1", "expected phys:ADDR+LEN");
  rejected("phys:0x1000+0", "not +LENGTH");
  rejected("shm:", "shm name");
  rejected("shm:a/b+1", "shm name");
  rejected("shm:a+x", "not +SIZE");
  rejected("file:", "file path is empty");
}

static void devices_are_named_by_id_by_uio_name_or_by_address(void **state) {
  struct mmio_spec s;
  (void)state;
  assert_int_equal(mmio_spec_parse(&s, "pci:8086:100E/bar0", NULL, 0), 0);
  assert_int_equal(s.by, MMIO_SPEC_BY_ID);
  assert_true(s.vendor == 0x8086 && s.device == 0x100e && s.instance == 0 && !s.has_instance);
  assert_string_equal(s.name, "8086:100e");
  assert_int_equal(mmio_spec_parse(&s, "vfio:1234:11e8#2/bar1+4k", NULL, 0), 0);
  assert_true(s.by == MMIO_SPEC_BY_ID && s.instance == 2 && s.has_instance && s.index == 1);
  assert_int_equal(mmio_spec_parse(&s, "uio:my_fpga.0-a/map1", NULL, 0), 0);
  assert_int_equal(s.by, MMIO_SPEC_BY_NAME);
  assert_string_equal(s.name, "my_fpga.0-a");
  assert_int_equal(mmio_spec_parse(&s, "uio:uio_pci_generic#1/map0", NULL, 0), 0);
  assert_true(s.by == MMIO_SPEC_BY_NAME && s.instance == 1 && s.has_instance);
  assert_int_equal(mmio_spec_parse(&s, "uio:0000:00:03.0/map0", NULL, 0), 0);
  assert_true(s.by == MMIO_SPEC_BY_ADDRESS);
  assert_string_equal(s.name, "0000:00:03.0");
  /* VMD puts functions in domains of five hex digits. */
  assert_int_equal(mmio_spec_parse(&s, "pci:10000:e1:00.0/bar0", NULL, 0), 0);
  assert_string_equal(s.name, "10000:e1:00.0");
}

static void the_grammar_refuses_what_it_does_not_allow(void **state) {
  (void)state;
  rejected("pci:8086:100e#x/bar0", "not #N");
  rejected("pci:8086:100e#01/bar0", "not #N");
  rejected("pci:0000:00:03.0#1/bar0", "not a PCI address");
  rejected("pci:123456789:00:03.0/bar0", "not a PCI address");
  rejected("pci:808:100e/bar0", "not a PCI address");
  rejected("pci:0000:00:03.0/bar00", "BAR number must be 0 to 5");
  rejected("uio:uio1k/map0", "not a UIO device name");
  rejected("uio:uio1#1/map0", "not a UIO device name");
  rejected("uio:a\nb/map0", "not a UIO device name");
  rejected("pci:0000:00:03.0/bar0@0xffffffffffffffff+2", "runs past the end");
  rejected("phys:0xfffffffffffff000+0x2000", "runs past the end");
  rejected("phys:010+4", "expected phys:ADDR+LEN");
  rejected("shm:.", "shm name");
  rejected("shm:..", "shm name");
  rejected("shm:a b", "shm name");
  rejected("shm:x\n", "shm name");
  rejected("file:/tmp/a+0", "not +LENGTH");
  rejected("file:/tmp/a@0x", "not @OFFSET");
  rejected("file:/tmp/a\tb", "control character");
}

static void open_refuses_a_bad_spec_before_touching_anything(void **state) {
  mmio_region r;
  (void)state;
  assert_int_equal(mmio_open(&r, "pci:bogus", MMIO_CACHE_DEFAULT, 0), MMIO_ERR_BAD_SPEC);
  assert_int_equal(mmio_len(&r), 0);
  assert_int_equal(mmio_open(&r, NULL, MMIO_CACHE_DEFAULT, 0), -EINVAL);
  assert_int_equal(mmio_open(&r, "shm:x+4k", MMIO_CACHE_DEFAULT, 0x80), -EINVAL);
}

static void explain_shows_the_expected_forms(void **state) {
  char buf[1024];
  int n;
  (void)state;
  n = mmio_explain(buf, sizeof(buf), "pci:0000:00:03.0/bar9", MMIO_ERR_BAD_SPEC);
  assert_true(n > 0 && (size_t)n < sizeof(buf));
  assert_non_null(strstr(buf, "cannot parse 'pci:0000:00:03.0/bar9': BAR number must be 0 to 5"));
  assert_non_null(strstr(buf, "pci:DDDD:BB:DD.F/barN[@OFF][+LEN]"));
  assert_non_null(strstr(buf, "file:PATH[@OFF][+LEN]"));
  /* Truncation still counts the whole text, like snprintf. */
  assert_int_equal(mmio_explain(buf, 8, "pci:0000:00:03.0/bar9", MMIO_ERR_BAD_SPEC), n);
  assert_int_equal(strlen(buf), 7);
}

/* Mutations of valid specs and random bytes: the parser answers 0 or
 * MMIO_ERR_BAD_SPEC, never reads past the string (ASan watches in the
 * sanitizer run), and what it accepts is self-consistent. */
static void arbitrary_input_is_accepted_or_refused_cleanly(void **state) {
  static const char *const seeds[] = {
      "pci:0000:00:03.0/bar2@0x100+0x40", "vfio:00:1f.7/bar5+4k", "uio:uio12/map1@16",
      "phys:0xfea00000+0x1000",           "shm:ivshmem+1M",       "file:/tmp/a@0x10+2G"};
  static const char alphabet[] = "pcivfouhysmle:/@+0x1239abfkMG.-_ ";
  unsigned seed = 12345;
  int i;
  (void)state;
  for (i = 0; i < 200000; i++) {
    char text[64], why[256];
    struct mmio_spec s;
    size_t len, k;
    int err;
    if (i % 2 == 0) {
      snprintf(text, sizeof(text), "%s", seeds[(unsigned)i / 2 % 6]);
      len = strlen(text);
      for (k = 0; k < 1 + (unsigned)i % 4; k++) {
        seed = seed * 1103515245u + 12345u;
        text[(seed >> 8) % len] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
      }
      seed = seed * 1103515245u + 12345u;
      text[(seed >> 8) % (len + 1)] = '\0'; /* and sometimes cut short */
    } else {
      seed = seed * 1103515245u + 12345u;
      len = (seed >> 8) % (sizeof(text) - 1);
      for (k = 0; k < len; k++) {
        seed = seed * 1103515245u + 12345u;
        text[k] = (char)(1 + (seed >> 16) % 255);
      }
      text[len] = '\0';
    }
    err = mmio_spec_parse(&s, text, why, sizeof(why));
    if (err == 0) {
      assert_true(s.source >= MMIO_SOURCE_PCI && s.source <= MMIO_SOURCE_FILE);
      assert_true(memchr(s.name, '\0', sizeof(s.name)) != NULL);
      assert_true(s.index <= 5);
    } else if (err != MMIO_ERR_BAD_SPEC || why[0] == '\0') {
      fail_msg("'%s': %d '%s'", text, err, why);
    }
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(every_form_parses),
      cmocka_unit_test(malformed_specs_say_what_is_wrong),
      cmocka_unit_test(devices_are_named_by_id_by_uio_name_or_by_address),
      cmocka_unit_test(the_grammar_refuses_what_it_does_not_allow),
      cmocka_unit_test(open_refuses_a_bad_spec_before_touching_anything),
      cmocka_unit_test(explain_shows_the_expected_forms),
      cmocka_unit_test(arbitrary_input_is_accepted_or_refused_cleanly),
  };
  return cmocka_run_group_tests_name("spec", tests, NULL, NULL);
}
