#ifndef MESHKIT_CCURL_SHIM_H
#define MESHKIT_CCURL_SHIM_H

// Swift cannot call C variadic functions, so curl_easy_setopt, curl_multi_setopt and
// curl_easy_getinfo are wrapped here in typed, non-variadic inline functions.

#include <curl/curl.h>
#include <errno.h>

typedef size_t (*meshkit_curl_data_callback)(char *buffer, size_t size, size_t count, void *userdata);

static inline CURLcode meshkit_curl_easy_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode meshkit_curl_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode meshkit_curl_easy_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode meshkit_curl_easy_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode meshkit_curl_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode meshkit_curl_easy_setopt_callback(CURL *handle, CURLoption option, meshkit_curl_data_callback value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode meshkit_curl_easy_setopt_opensocket(CURL *handle, curl_opensocket_callback value) {
    return curl_easy_setopt(handle, CURLOPT_OPENSOCKETFUNCTION, value);
}

static inline CURLcode meshkit_curl_easy_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode meshkit_curl_easy_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode meshkit_curl_easy_getinfo_pointer(CURL *handle, CURLINFO info, void **value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLMcode meshkit_curl_multi_setopt_long(CURLM *handle, CURLMoption option, long value) {
    return curl_multi_setopt(handle, option, value);
}

/// The `msg` of a CURLMsg and, when it is CURLMSG_DONE, its result (a union member in C).
static inline CURLcode meshkit_curl_msg_result(const CURLMsg *message) {
    return message->data.result;
}

#endif
