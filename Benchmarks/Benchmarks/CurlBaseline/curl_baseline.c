#include "curl_baseline.h"

#include <curl/curl.h>
#include <time.h>

static size_t discard(char *buffer, size_t size, size_t count, void *userdata) {
    (void)buffer;
    (void)userdata;
    return size * count;
}

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

long curl_baseline_run(const char *url, long count, double max_seconds, uint64_t *latencies) {
    curl_global_init(CURL_GLOBAL_ALL);
    CURL *easy = curl_easy_init();
    if (!easy) return -1;
    curl_easy_setopt(easy, CURLOPT_URL, url);
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, discard);
    uint64_t start = now_ns();
    long done = 0;
    for (; done < count; done++) {
        uint64_t before = now_ns();
        if (curl_easy_perform(easy) != CURLE_OK) {
            curl_easy_cleanup(easy);
            return -1;
        }
        uint64_t after = now_ns();
        latencies[done] = after - before;
        if ((double)(after - start) / 1e9 > max_seconds) {
            done++;
            break;
        }
    }
    curl_easy_cleanup(easy);
    return done;
}
