/*
 * Tracing regions: every access forwarded to the inner region and
 * recorded.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "core_internal.h"
#include "mmio/clock.h"
#include "mmio/trace.h"

/*
 * A wrapper region judges alignment on its own backend offsets, so the
 * tracing region's offsets start at the inner region's address modulo
 * this span (and byte 0 of the trace is backend offset skew): accesses
 * and mmio_align_offset then agree with the inner region for every
 * alignment up to a page.
 */
#define MMIO__TRACE_ALIGN_SPAN 4096u

struct mmio__trace {
  mmio_region inner;
  size_t skew; /* backend offset of the traced region's byte 0 */
  mmio_trace_fn fn;
  void *arg;
  FILE *file;
  unsigned flags;
  uint64_t start_ns;
  atomic_uint_fast64_t seq;
};

static void mmio__trace_emit(struct mmio__trace *t, int store, unsigned width, size_t off,
                             uint64_t value, int err) {
  struct mmio_trace_record rec;
  rec.seq = atomic_fetch_add_explicit(&t->seq, 1, memory_order_relaxed) + 1;
  rec.time_ns = mmio_clock_ns() - t->start_ns;
  rec.store = store;
  rec.width = width;
  rec.offset = off;
  rec.value = value;
  rec.err = err;
  if (t->fn != NULL) t->fn(t->arg, &rec);
  if (t->file != NULL) {
    char line[160];
    if (mmio_trace_format(line, sizeof(line), &rec, t->flags) > 0) fprintf(t->file, "%s\n", line);
  }
}

static int mmio__trace_access(void *ctx, size_t backend_off, unsigned width, int store,
                              uint64_t *value) {
  struct mmio__trace *t = ctx;
  const size_t off = backend_off - t->skew;
  uint64_t v = store ? *value : 0;
  int err = store ? mmio_try_store_width(&t->inner, off, width, v)
                  : mmio_try_load_width(&t->inner, off, width, &v);
  mmio__trace_emit(t, store, width, off, err == 0 || store ? v : 0, err);
  if (err == 0) *value = v;
  return err;
}

static void mmio__trace_release(void *ctx) {
  struct mmio__trace *t = ctx;
  mmio_region_release(&t->inner);
  if (t->file != NULL) fflush(t->file);
  free(t);
}

MMIO_DEFINE_OPS(mmio__trace_ops, mmio__trace_access, mmio__trace_release);

static int mmio__trace_new(mmio_region *out, mmio_region *inner, mmio_trace_fn fn, void *arg,
                           FILE *file, unsigned flags) {
  struct mmio__trace *t = NULL;
  int err = 0;
  mmio__region_clear(out);
  if (out == NULL || inner == NULL || (fn == NULL && file == NULL) ||
      (flags & ~MMIO_TRACE_TIME) != 0)
    err = -EINVAL;
  if (err == 0 && (t = calloc(1, sizeof(*t))) == NULL) err = -ENOMEM;
  if (err == 0) {
    mmio_region_move(&t->inner, inner);
    t->fn = fn;
    t->arg = arg;
    t->file = file;
    t->flags = flags;
    t->start_ns = mmio_clock_ns();
    atomic_init(&t->seq, 0);
    t->skew = (MMIO__TRACE_ALIGN_SPAN - mmio_align_offset(&t->inner, MMIO__TRACE_ALIGN_SPAN)) &
              (MMIO__TRACE_ALIGN_SPAN - 1);
    err = mmio_len(&t->inner) > PTRDIFF_MAX - t->skew
              ? MMIO_ERR_OUT_OF_RANGE
              : mmio_region_from_ops(out, &mmio__trace_ops, t, t->skew + mmio_len(&t->inner));
    if (err != 0) {
      mmio_region_release(&t->inner);
      free(t);
    } else {
      /* Drop the skew bytes in front: they are no part of the inner region. */
      mmio_region head = {0};
      mmio_try_split_off(out, t->skew, &head);
      mmio_region_release(&head);
      /* The write right too: a store the inner region refuses as
       * read-only is refused as such before its alignment is judged. */
      if (mmio_region_is_read_only(&t->inner)) mmio_region_make_read_only(out);
    }
  }
  if (err != 0 && inner != NULL) mmio_region_release(inner);
  return err;
}

int mmio_trace_callback(mmio_region *out, mmio_region *inner, mmio_trace_fn fn, void *arg) {
  return mmio__trace_new(out, inner, fn, arg, NULL, 0);
}

int mmio_trace_file(mmio_region *out, mmio_region *inner, FILE *file, unsigned flags) {
  return mmio__trace_new(out, inner, NULL, NULL, file, flags);
}
