/*
 * Tracing regions: what is recorded, the line format both ways, failed
 * accesses, and replaying a recording as a strict mock.
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
#include <mmio/testing/fake.h>
#include <mmio/testing/mock.h>
#include <mmio/trace.h>

#include "helpers.h"

static _Alignas(64) uint8_t mem[64];

static struct mmio_trace_record recs[16];
static int nrecs;
static void collect(void *arg, const struct mmio_trace_record *rec) {
  (void)arg;
  if (nrecs < 16) recs[nrecs++] = *rec;
}

static void callback_sees_every_access_in_order(void **state) {
  mmio_region inner, r;
  uint16_t v16 = 0;
  (void)state;
  nrecs = 0;
  memset(mem, 0, sizeof(mem));
  assert_int_equal(mmio_region_from_memory(&inner, mem, sizeof(mem), NULL, NULL), 0);
  assert_int_equal(mmio_trace_callback(&r, &inner, collect, NULL), 0);
  assert_int_equal(mmio_len(&inner), 0); /* consumed */
  assert_int_equal(mmio_len(&r), sizeof(mem));
  mmio_store32(&r, 8, 0xdeadbeefu);
  assert_int_equal(mmio_try_load16(&r, 10, &v16), 0);
  assert_int_equal(v16, 0xdead);
  mmio_store64(&r, 16, 1);
  assert_int_equal(mem[8], 0xef); /* it really reached the memory */
  assert_int_equal(nrecs, 3);
  assert_int_equal(recs[0].seq, 1);
  assert_int_equal(recs[0].store, 1);
  assert_int_equal(recs[0].width, 4);
  assert_int_equal(recs[0].offset, 8);
  assert_int_equal(recs[0].value, 0xdeadbeefu);
  assert_int_equal(recs[0].err, 0);
  assert_int_equal(recs[1].seq, 2);
  assert_int_equal(recs[1].store, 0);
  assert_int_equal(recs[1].width, 2);
  assert_int_equal(recs[1].value, 0xdead);
  assert_int_equal(recs[2].width, 8);
  assert_true(recs[1].time_ns >= recs[0].time_ns && recs[2].time_ns >= recs[1].time_ns);
  /* Accesses the region refuses never reach the trace. */
  assert_int_equal(mmio_try_store32(&r, 64, 0), MMIO_ERR_OUT_OF_RANGE);
  assert_int_equal(nrecs, 3);
  mmio_region_release(&r);
}

static void file_lines_follow_the_documented_format(void **state) {
  mmio_region inner, r;
  char text[512] = "";
  FILE *f = tmpfile();
  (void)state;
  assert_non_null(f);
  memset(mem, 0, sizeof(mem));
  mem[0x20] = 0x7f;
  assert_int_equal(mmio_region_from_memory(&inner, mem, sizeof(mem), NULL, NULL), 0);
  assert_int_equal(mmio_trace_file(&r, &inner, f, 0), 0);
  mmio_store32(&r, 0x8, 10);
  (void)mmio_load8(&r, 0x20);
  mmio_store64(&r, 0x10, 0xfedcba9876543210ull);
  (void)mmio_load16(&r, 0x2);
  mmio_region_release(&r); /* flushes */
  rewind(f);
  assert_true(fread(text, 1, sizeof(text) - 1, f) > 0);
  assert_string_equal(text, "1 store32 0x8 0x0000000a\n"
                            "2 load8 0x20 0x7f\n"
                            "3 store64 0x10 0xfedcba9876543210\n"
                            "4 load16 0x2 0x0000\n");
  fclose(f);
}

static void time_field_is_added_on_request(void **state) {
  mmio_region inner, r;
  char line[128] = "";
  struct mmio_trace_record rec;
  FILE *f = tmpfile();
  (void)state;
  assert_int_equal(mmio_region_from_memory(&inner, mem, sizeof(mem), NULL, NULL), 0);
  assert_int_equal(mmio_trace_file(&r, &inner, f, MMIO_TRACE_TIME), 0);
  mmio_store32(&r, 0, 1);
  mmio_region_release(&r);
  rewind(f);
  assert_non_null(fgets(line, sizeof(line), f));
  assert_non_null(strstr(line, "1 store32 0x0 0x00000001 t="));
  assert_int_equal(mmio_trace_parse(&rec, line), 0);
  assert_int_equal(rec.seq, 1);
  fclose(f);
}

static char fake_msg[256];
static void quiet(void *arg, const char *msg) {
  (void)arg;
  snprintf(fake_msg, sizeof(fake_msg), "%s", msg);
}

static void failed_accesses_are_recorded_with_their_error(void **state) {
  struct mmio_fake_reg reg = {.name = "R", .offset = 0, .width = 4};
  mmio_fake *fake;
  mmio_region inner, r;
  uint8_t v8;
  (void)state;
  nrecs = 0;
  assert_int_equal(mmio_fake_create(&fake, 16, MMIO_FAKE_STRICT), 0);
  mmio_fake_on_failure(fake, quiet, NULL);
  assert_int_equal(mmio_fake_add_regs(fake, &reg, 1), 0);
  assert_int_equal(mmio_fake_region(&inner, fake), 0);
  assert_int_equal(mmio_trace_callback(&r, &inner, collect, NULL), 0);
  assert_int_equal(mmio_try_load8(&r, 1, &v8), MMIO_ERR_REJECTED);
  assert_int_equal(mmio_try_store32(&r, 8, 5), MMIO_ERR_REJECTED);
  assert_int_equal(nrecs, 2);
  assert_int_equal(recs[0].err, MMIO_ERR_REJECTED);
  assert_int_equal(recs[0].value, 0);
  assert_int_equal(recs[1].value, 5);
  {
    char line[128];
    assert_true(mmio_trace_format(line, sizeof(line), &recs[1], 0) > 0);
    assert_string_equal(line, "2 store32 0x8 0x00000005 err=MMIO_ERR_REJECTED");
  }
  mmio_region_release(&r);
  mmio_fake_destroy(fake);
}

static void format_and_parse_round_trip(void **state) {
  const struct mmio_trace_record in[] = {
      {1, 0, 0, 1, 0x0, 0xff, 0},
      {2, 17, 1, 2, 0x1fe, 0xabcd, 0},
      {3, 99, 0, 4, 0x100000, 0x80000000u, -EIO},
      {18446744073709551615ull, 5, 1, 8, 0x8, 0xffffffffffffffffull, MMIO_ERR_REJECTED},
  };
  size_t i;
  (void)state;
  for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
    char line[160];
    struct mmio_trace_record out;
    assert_true(mmio_trace_format(line, sizeof(line), &in[i], MMIO_TRACE_TIME) > 0);
    assert_int_equal(mmio_trace_parse(&out, line), 0);
    assert_true(out.seq == in[i].seq && out.time_ns == in[i].time_ns);
    assert_int_equal(out.store, in[i].store);
    assert_int_equal(out.width, in[i].width);
    assert_int_equal(out.offset, in[i].offset);
    assert_true(out.value == in[i].value);
    assert_int_equal(out.err, in[i].err);
  }
  {
    char tiny[8];
    assert_int_equal(mmio_trace_format(tiny, sizeof(tiny), &in[0], 0), -ENOSPC);
  }
}

static void parse_rejects_what_is_not_a_record(void **state) {
  static const char *const bad[] = {
      "",
      "1 load32 0x0",              /* no value */
      "x load32 0x0 0x00000000",   /* seq */
      "1 read32 0x0 0x00000000",   /* op */
      "1 load24 0x0 0x000000",     /* width */
      "1 load32 0 0x00000000",     /* offset without 0x */
      "1 load32 0x0 0x100000000",  /* value wider than 32 bits */
      "1 load8 0x0 0x1ff",         /* value wider than 8 bits */
      "1 load32 0x0 0x0 t=abc",    /* time */
      "1 load32 0x0 0x0 err=NOPE", /* error name */
      "1 load32 0x0 0x0 extra",    /* unknown field */
      "-1 load32 0x0 0x0",         /* negative */
  };
  size_t i;
  struct mmio_trace_record rec;
  (void)state;
  for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
    if (mmio_trace_parse(&rec, bad[i]) != -EINVAL) fail_msg("parsed: \"%s\"", bad[i]);
  assert_int_equal(mmio_trace_parse(&rec, "7 store16 0x2 0x00ff err=EIO\n"), 0);
  assert_int_equal(rec.err, -EIO);
}

/* Random bytes and mutated records: parse answers 0 or -EINVAL and never
 * reads past the line (ASan watches in the sanitizer run); an accepted
 * record formats back to a line that parses to the same record. */
static void arbitrary_lines_parse_or_fail_cleanly(void **state) {
  static const char alphabet[] = "0123456789abcdefxlostre=t ";
  unsigned seed = 99;
  int i;
  (void)state;
  for (i = 0; i < 100000; i++) {
    char line[96], again[160];
    struct mmio_trace_record rec, back;
    size_t len, k;
    int err;
    snprintf(line, sizeof(line), "%d store32 0x%x 0x%08x t=%d err=EIO", i, i * 4, (unsigned)i, i);
    len = strlen(line);
    for (k = 0; k < 1 + (unsigned)i % 3; k++) {
      seed = seed * 1103515245u + 12345u;
      line[(seed >> 8) % len] = (i % 5 == 0) ? (char)(1 + (seed >> 16) % 255)
                                             : alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
    }
    err = mmio_trace_parse(&rec, line);
    if (err == 0) {
      assert_true(rec.width == 1 || rec.width == 2 || rec.width == 4 || rec.width == 8);
      assert_true(mmio_trace_format(again, sizeof(again), &rec, MMIO_TRACE_TIME) > 0);
      assert_int_equal(mmio_trace_parse(&back, again), 0);
      assert_true(back.seq == rec.seq && back.value == rec.value && back.offset == rec.offset &&
                  back.err == rec.err && back.store == rec.store);
    } else {
      assert_int_equal(err, -EINVAL);
    }
  }
}

static void wrapping_consumes_the_inner_region_even_on_error(void **state) {
  mmio_region inner, r;
  (void)state;
  assert_int_equal(mmio_region_from_memory(&inner, mem, sizeof(mem), NULL, NULL), 0);
  assert_int_equal(mmio_trace_callback(&r, &inner, NULL, NULL), -EINVAL);
  assert_int_equal(mmio_len(&inner), 0);
  assert_int_equal(mmio_len(&r), 0);
  assert_int_equal(mmio_region_from_memory(&inner, mem, sizeof(mem), NULL, NULL), 0);
  assert_int_equal(mmio_trace_file(&r, &inner, stdout, 0x40), -EINVAL);
  assert_int_equal(mmio_len(&inner), 0);
}

static char mock_msg[512];
static void mock_record(void *arg, const char *msg) {
  (void)arg;
  snprintf(mock_msg, sizeof(mock_msg), "%s", msg);
}

static void replay_turns_a_recording_into_a_strict_mock(void **state) {
  mmio_region inner, r;
  mmio_mock *m;
  FILE *f = tmpfile();
  uint32_t v = 0;
  (void)state;
  memset(mem, 0, sizeof(mem));
  mem[4] = 0x2a;
  /* Record. */
  assert_int_equal(mmio_region_from_memory(&inner, mem, sizeof(mem), NULL, NULL), 0);
  assert_int_equal(mmio_trace_file(&r, &inner, f, MMIO_TRACE_TIME), 0);
  assert_int_equal(mmio_load32(&r, 4), 0x2a);
  mmio_store16(&r, 8, 0x1234);
  mmio_region_release(&r);
  /* Replay: the same accesses pass, and the load returns what was read. */
  rewind(f);
  assert_int_equal(mmio_mock_create(&m, sizeof(mem)), 0);
  mmio_mock_on_failure(m, mock_record, NULL);
  assert_int_equal(mmio_mock_expect_trace(m, f), 0);
  assert_int_equal(mmio_mock_region(&r, m), 0);
  assert_int_equal(mmio_try_load32(&r, 4, &v), 0);
  assert_int_equal(v, 0x2a);
  /* A different store than recorded fails, naming both. */
  assert_int_equal(mmio_try_store16(&r, 8, 0x1235), MMIO_ERR_REJECTED);
  assert_string_equal(mock_msg, "mock: access #2 was a 16-bit store of 0x1235 at 0x8; "
                                "expected #2: a 16-bit store of 0x1234 at 0x8");
  mmio_region_release(&r);
  mmio_mock_destroy(m);
  fclose(f);
}

static void replay_reports_the_line_that_does_not_parse(void **state) {
  mmio_mock *m;
  FILE *f = tmpfile();
  (void)state;
  fputs("# a comment\n1 load32 0x0 0x00000001\n\n2 lod32 0x4 0x00000000\n", f);
  rewind(f);
  assert_int_equal(mmio_mock_create(&m, 16), 0);
  mmio_mock_on_failure(m, mock_record, NULL);
  assert_int_equal(mmio_mock_expect_trace(m, f), -EINVAL);
  assert_string_equal(mock_msg, "mock: trace line 4 does not parse: 2 lod32 0x4 0x00000000");
  assert_int_equal(mmio_mock_verify(m), 0); /* nothing was added */
  mmio_mock_destroy(m);
  fclose(f);
}

static void quiet_collect(void *arg, const struct mmio_trace_record *rec) { (void)arg, (void)rec; }

/* For every base misalignment, the traced region refuses and accepts
 * exactly what the plain region over the same bytes does, and finds the
 * same aligned offsets. */
static void traced_region_judges_alignment_like_the_plain_one(void **state) {
  static _Alignas(4096) uint8_t buf[64];
  size_t mis, off, w, align;
  int ro;
  (void)state;
  /* Read-only too: a store is refused as READ_ONLY before its alignment
   * is judged, by the traced region as by the plain one. */
  for (ro = 0; ro < 2; ro++)
    for (mis = 0; mis < 16; mis++) {
      mmio_region plain, inner, traced;
      assert_int_equal(mmio_region_from_memory(&plain, buf + mis, 48, NULL, NULL), 0);
      assert_int_equal(mmio_region_from_memory(&inner, buf + mis, 48, NULL, NULL), 0);
      if (ro) {
        mmio_region_make_read_only(&plain);
        mmio_region_make_read_only(&inner);
      }
      assert_int_equal(mmio_trace_callback(&traced, &inner, quiet_collect, NULL), 0);
      assert_int_equal(mmio_len(&traced), 48);
      assert_int_equal(mmio_region_is_read_only(&traced), ro);
      for (align = 1; align <= 4096; align *= 2)
        assert_int_equal(mmio_align_offset(&traced, align), mmio_align_offset(&plain, align));
      for (off = 0; off < 50; off++)
        for (w = 1; w <= 8; w *= 2) {
          assert_int_equal(mmio_check_suitable(&traced, off, w),
                           mmio_check_suitable(&plain, off, w));
          assert_int_equal(test_try_access(&traced, off, w, 0), test_try_access(&plain, off, w, 0));
          assert_int_equal(test_try_access(&traced, off, w, 1), test_try_access(&plain, off, w, 1));
          assert_int_equal(mmio_masked_modify_width(&traced, off, (unsigned)w, 1, 1),
                           mmio_masked_modify_width(&plain, off, (unsigned)w, 1, 1));
        }
      mmio_region_release(&traced);
      mmio_region_release(&plain);
    }
}

/* The grammar of mmio/trace.h and nothing else: each of these is refused. */
static void parse_follows_the_grammar_exactly(void **state) {
  char line[96];
  static const char *const bad[] = {
      "\t-1 load32 0x0 0x00000000",              /* a blank and a sign before seq */
      " 1 load32 0x0 0x00000000",                /* leading blank */
      "1 load32 0x0 0x00000000 ",                /* trailing blank */
      "1  load32 0x0 0x00000000",                /* two blanks */
      "1 load32 0x0 0x00000000 junk",            /* trailing junk */
      "1 load32 0x0 0x00000000\n\n",             /* two line endings */
      "01 load32 0x0 0x00000000",                /* leading zero in seq */
      "0 load32 0x0 0x00000000",                 /* seq starts at 1 */
      "18446744073709551616 load8 0x0 0x00",     /* seq beyond 64 bits */
      "1 load08 0x0 0x00",                       /* width with a leading zero */
      "1 load 0x0 0x00",                         /* no width */
      "1 load8 32 0x0 0x00000000",               /* two widths */
      "1 store16 8 0x0 0x00",                    /* two widths */
      "1 LOAD32 0x0 0x00000000",                 /* upper case */
      "1 load32 0x0x10 0x00000000",              /* two prefixes */
      "1 load32 0x 0x00000000",                  /* no digits */
      "1 load32 0xA 0x00000000",                 /* upper-case hex */
      "1 load32 0x10000000000000000 0x0",        /* 17 digits */
      "1 load32 0x0 0x+1",                       /* sign in the value */
      "1 load32 0x0 0x000000001",                /* more digits than the width */
      "1 load32 0x0 0x00000000 t=",              /* empty time */
      "1 load32 0x0 0x00000000 t=01",            /* leading zero in the time */
      "1 load32 0x0 0x00000000 t=1 t=2",         /* repeated key */
      "1 load32 0x0 0x00000000 err=EIO err=EIO", /* repeated key */
      "1 load32 0x0 0x00000000 err=EIO t=5",     /* keys out of order */
      "1 load32 0x0 0x00000000 err=",            /* empty error */
      "1 load32 0x0 0x00000000 err=0",           /* not a name */
  };
  struct mmio_trace_record rec;
  size_t i;
  (void)state;
  for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
    if (mmio_trace_parse(&rec, bad[i]) != -EINVAL) fail_msg("parsed: \"%s\"", bad[i]);
  assert_int_equal(mmio_trace_parse(&rec, "3 load8 0x7 0x5\r\n"), 0);
  assert_true(rec.seq == 3 && rec.width == 1 && rec.offset == 7 && rec.value == 5);
  /* The largest offset is SIZE_MAX, on 32-bit targets too. */
  snprintf(line, sizeof(line), "9 store64 0x%zx 0x1 t=0 err=EIO", (size_t)SIZE_MAX);
  assert_int_equal(mmio_trace_parse(&rec, line), 0);
  assert_true(rec.offset == SIZE_MAX && rec.time_ns == 0 && rec.err == -EIO && rec.store == 1);
  if (sizeof(size_t) < 8)
    assert_int_equal(mmio_trace_parse(&rec, "9 store64 0x100000000 0x1"), -EINVAL);
  assert_int_equal(mmio_trace_parse(NULL, "1 load8 0x0 0x00"), -EINVAL);
  assert_int_equal(mmio_trace_parse(&rec, NULL), -EINVAL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(callback_sees_every_access_in_order),
      cmocka_unit_test(file_lines_follow_the_documented_format),
      cmocka_unit_test(time_field_is_added_on_request),
      cmocka_unit_test(failed_accesses_are_recorded_with_their_error),
      cmocka_unit_test(format_and_parse_round_trip),
      cmocka_unit_test(parse_rejects_what_is_not_a_record),
      cmocka_unit_test(parse_follows_the_grammar_exactly),
      cmocka_unit_test(arbitrary_lines_parse_or_fail_cleanly),
      cmocka_unit_test(wrapping_consumes_the_inner_region_even_on_error),
      cmocka_unit_test(replay_turns_a_recording_into_a_strict_mock),
      cmocka_unit_test(replay_reports_the_line_that_does_not_parse),
      cmocka_unit_test(traced_region_judges_alignment_like_the_plain_one),
  };
  return cmocka_run_group_tests_name("trace", tests, NULL, NULL);
}
