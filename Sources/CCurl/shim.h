#ifndef MESHKIT_CCURL_SHIM_H
#define MESHKIT_CCURL_SHIM_H

// Swift cannot call C variadic functions, so curl_easy_setopt, curl_multi_setopt and
// curl_easy_getinfo are wrapped here in typed, non-variadic inline functions.

#include <curl/curl.h>
#include <errno.h>
#include <string.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

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

static inline CURLcode meshkit_curl_easy_setopt_prereq(CURL *handle, curl_prereq_callback value) {
    return curl_easy_setopt(handle, CURLOPT_PREREQFUNCTION, value);
}

/// Sets a blob option (CURLOPT_SSLCERT_BLOB, CURLOPT_SSLKEY_BLOB, CURLOPT_CAINFO_BLOB); libcurl
/// copies the bytes. NULL `data` clears the option.
static inline CURLcode meshkit_curl_easy_setopt_blob(CURL *handle, CURLoption option, const void *data, size_t length) {
    if (data == NULL) return curl_easy_setopt(handle, option, (struct curl_blob *)NULL);
    struct curl_blob blob = { (void *)data, length, CURL_BLOB_COPY };
    return curl_easy_setopt(handle, option, &blob);
}

static inline CURLcode meshkit_curl_easy_setopt_share(CURL *handle, CURLSH *share) {
    return curl_easy_setopt(handle, CURLOPT_SHARE, share);
}

static inline CURLSHcode meshkit_curl_share_setopt_share(CURLSH *share, curl_lock_data data) {
    return curl_share_setopt(share, CURLSHOPT_SHARE, data);
}

/// The URI SANs of the certificate the TLS peer of `handle`'s connection presented, each
/// followed by a newline, written into `buffer` as far as `capacity` allows. Returns the length
/// all of them need, or -1 when the connection is not TLS over OpenSSL or has no peer
/// certificate. libcurl verifies the chain but not URI SANs; this lets the caller check a
/// SPIFFE ID between the handshake and the first request byte (CURLOPT_PREREQFUNCTION), on new,
/// resumed and reused connections alike.
static inline long meshkit_curl_peer_uri_sans(CURL *handle, char *buffer, size_t capacity) {
    struct curl_tlssessioninfo *info = NULL;
    if (curl_easy_getinfo(handle, CURLINFO_TLS_SSL_PTR, &info) != CURLE_OK || info == NULL) return -1;
    if (info->backend != CURLSSLBACKEND_OPENSSL || info->internals == NULL) return -1;
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
    X509 *peer = SSL_get1_peer_certificate((SSL *)info->internals);
#else
    X509 *peer = SSL_get_peer_certificate((SSL *)info->internals);
#endif
    if (peer == NULL) return -1;
    long used = 0;
    GENERAL_NAMES *names = X509_get_ext_d2i(peer, NID_subject_alt_name, NULL, NULL);
    if (names != NULL) {
        for (int index = 0; index < sk_GENERAL_NAME_num(names); index++) {
            const GENERAL_NAME *name = sk_GENERAL_NAME_value(names, index);
            if (name->type != GEN_URI) continue;
            const unsigned char *data = ASN1_STRING_get0_data(name->d.uniformResourceIdentifier);
            int length = ASN1_STRING_length(name->d.uniformResourceIdentifier);
            if (data == NULL || length < 0) continue;
            if ((size_t)(used + length + 1) <= capacity) {
                memcpy(buffer + used, data, (size_t)length);
                buffer[used + length] = '\n';
            }
            used += length + 1;
        }
        GENERAL_NAMES_free(names);
    }
    X509_free(peer);
    return used;
}

#endif
