#include "curl_baseline.h"

#include <curl/curl.h>
#include <stdlib.h>
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

struct curl_baseline_loop {
    CURLM *multi;
    CURL **transfers;
    long concurrency;
};

curl_baseline_loop *curl_baseline_loop_create(const char *url, long concurrency,
                                              const char *certificate, const char *key, const char *bundle) {
    curl_global_init(CURL_GLOBAL_ALL);
    curl_baseline_loop *loop = calloc(1, sizeof *loop);
    if (!loop) return NULL;
    loop->multi = curl_multi_init();
    loop->transfers = calloc((size_t)concurrency, sizeof(CURL *));
    if (!loop->multi || !loop->transfers) {
        curl_baseline_loop_destroy(loop);
        return NULL;
    }
    for (long i = 0; i < concurrency; i++) {
        CURL *easy = curl_easy_init();
        if (!easy) {
            curl_baseline_loop_destroy(loop);
            return NULL;
        }
        loop->transfers[loop->concurrency++] = easy;
        curl_easy_setopt(easy, CURLOPT_URL, url);
        curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, discard);
        if (certificate) {
            curl_easy_setopt(easy, CURLOPT_SSLCERT, certificate);
            curl_easy_setopt(easy, CURLOPT_SSLKEY, key);
            curl_easy_setopt(easy, CURLOPT_CAINFO, bundle);
            curl_easy_setopt(easy, CURLOPT_CAPATH, NULL);
            curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 1L);
            curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 0L);
        }
        curl_multi_add_handle(loop->multi, easy);
    }
    return loop;
}

long curl_baseline_loop_run(curl_baseline_loop *loop, double seconds) {
    uint64_t end = now_ns() + (uint64_t)(seconds * 1e9);
    long done = 0;
    int running = 0;
    int queued = 0;
    while (now_ns() < end) {
        curl_multi_perform(loop->multi, &running);
        CURLMsg *message;
        while ((message = curl_multi_info_read(loop->multi, &queued))) {
            if (message->msg != CURLMSG_DONE) continue;
            CURL *easy = message->easy_handle;
            if (message->data.result != CURLE_OK) return -1;
            done++;
            // Re-adding a finished handle starts the same request again.
            curl_multi_remove_handle(loop->multi, easy);
            curl_multi_add_handle(loop->multi, easy);
        }
        curl_multi_poll(loop->multi, NULL, 0, 1000, NULL);
    }
    return done;
}

void curl_baseline_loop_destroy(curl_baseline_loop *loop) {
    for (long i = 0; i < loop->concurrency; i++) {
        curl_multi_remove_handle(loop->multi, loop->transfers[i]);
        curl_easy_cleanup(loop->transfers[i]);
    }
    if (loop->multi) curl_multi_cleanup(loop->multi);
    free(loop->transfers);
    free(loop);
}

long curl_baseline_multi_run(const char *url, long concurrency, double seconds) {
    curl_baseline_loop *loop = curl_baseline_loop_create(url, concurrency, NULL, NULL, NULL);
    if (!loop) return -1;
    long done = curl_baseline_loop_run(loop, seconds);
    curl_baseline_loop_destroy(loop);
    return done;
}
