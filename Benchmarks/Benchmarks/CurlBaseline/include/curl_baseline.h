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

/// A multi loop that keeps its `concurrency` transfers, and their connections, between runs.
typedef struct curl_baseline_loop curl_baseline_loop;

/// A loop of GETs of `url`; over mutual TLS when `certificate` is not NULL: each connection
/// presents the PEM certificate `certificate` with its key `key` and trusts only the PEM bundle
/// `bundle`, verifying the peer's chain but not its host name (a mesh identity names no host).
/// NULL when libcurl cannot be set up.
curl_baseline_loop *curl_baseline_loop_create(const char *url, long concurrency,
                                              const char *certificate, const char *key, const char *bundle);

/// Drives `loop` for `seconds`, re-adding each finished transfer at once. Returns the requests
/// completed, or -1 on the first failure.
long curl_baseline_loop_run(curl_baseline_loop *loop, double seconds);

/// Frees `loop`, its transfers and its connections.
void curl_baseline_loop_destroy(curl_baseline_loop *loop);

#endif
