/*
 * Progress of long transfers on stderr: only when stderr is a terminal,
 * only for output meant for people, and only once a transfer has run for
 * a second, so that short ones and pipes stay clean.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli.h"

/* Nanoseconds before the first update (MMIO_PROGRESS_AFTER, a duration,
 * changes it), and between updates. */
#define CLI_PROGRESS_AFTER_NS 1000000000ull
#define CLI_PROGRESS_EVERY_NS 100000000ull

static uint64_t cli__progress_after(void) {
  const char *env = getenv("MMIO_PROGRESS_AFTER");
  char why[128];
  uint64_t us;
  if (env == NULL || cli_duration(&us, env, why, sizeof(why)) != 0) return CLI_PROGRESS_AFTER_NS;
  return us * 1000u;
}

void cli_progress_start(struct cli_progress *p, const char *what, uint64_t total, int enabled) {
  p->after_ns = cli__progress_after();
  p->what = what;
  p->total = total;
  p->start_ns = p->last_ns = mmio_clock_ns();
  p->enabled = enabled && isatty(2);
  p->shown = 0;
}

void cli_progress_update(struct cli_progress *p, uint64_t done) {
  const uint64_t now = mmio_clock_ns();
  if (!p->enabled || now - p->start_ns < p->after_ns ||
      (p->shown && now - p->last_ns < CLI_PROGRESS_EVERY_NS))
    return;
  p->last_ns = now;
  p->shown = 1;
  fprintf(stderr, "\r%s: %3u%% (%llu of %llu bytes)", p->what,
          (unsigned)(p->total ? done * 100 / p->total : 100), (unsigned long long)done,
          (unsigned long long)p->total);
  fflush(stderr);
}

void cli_progress_end(struct cli_progress *p, uint64_t done) {
  /* The last count, then erase the line, so that what follows starts
   * clean. */
  if (p->shown) p->last_ns = 0;
  cli_progress_update(p, done);
  if (p->shown) fprintf(stderr, "\r\033[K");
  p->shown = 0;
}
