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

long curl_baseline_multi_run(const char *url, long concurrency, double seconds) {
    curl_global_init(CURL_GLOBAL_ALL);
    CURLM *multi = curl_multi_init();
    if (!multi) return -1;
    for (long i = 0; i < concurrency; i++) {
        CURL *easy = curl_easy_init();
        if (!easy) return -1;
        curl_easy_setopt(easy, CURLOPT_URL, url);
        curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, discard);
        curl_multi_add_handle(multi, easy);
    }
    uint64_t end = now_ns() + (uint64_t)(seconds * 1e9);
    long done = 0;
    int running = 0;
    int queued = 0;
    while (now_ns() < end) {
        curl_multi_perform(multi, &running);
        CURLMsg *message;
        while ((message = curl_multi_info_read(multi, &queued))) {
            if (message->msg != CURLMSG_DONE) continue;
            CURL *easy = message->easy_handle;
            if (message->data.result != CURLE_OK) return -1;
            done++;
            // Re-adding a finished handle starts the same request again.
            curl_multi_remove_handle(multi, easy);
            curl_multi_add_handle(multi, easy);
        }
        curl_multi_poll(multi, NULL, 0, 1000, NULL);
    }
    curl_multi_cleanup(multi);
    return done;
}
