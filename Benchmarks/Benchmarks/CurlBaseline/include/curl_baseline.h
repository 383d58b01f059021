#ifndef CURL_BASELINE_H
#define CURL_BASELINE_H

#include <stdint.h>

/// Runs up to `count` GETs of `url` with one reused easy handle and a bare curl_easy_perform
/// loop, writing each request's latency in nanoseconds to `latencies`. Stops early after
/// `max_seconds`. Returns how many requests completed, or -1 on the first failure.
long curl_baseline_run(const char *url, long count, double max_seconds, uint64_t *latencies);

/// Keeps `concurrency` GETs of `url` in flight on one multi handle driven by a bare
/// curl_multi_perform/curl_multi_poll loop in C, for `seconds`, re-adding each finished handle
/// at once: libcurl's own throughput ceiling on one thread. Returns the requests completed, or
/// -1 on the first failure.
long curl_baseline_multi_run(const char *url, long concurrency, double seconds);

#endif
