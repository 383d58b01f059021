#ifndef MESHKIT_CCURL_SHIM_H
#define MESHKIT_CCURL_SHIM_H

// Swift cannot call C variadic functions, so curl_easy_setopt, curl_multi_setopt and
// curl_easy_getinfo are wrapped here in typed, non-variadic inline functions.

#include <curl/curl.h>
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include <limits.h>
#include <openssl/err.h>
#include <openssl/pem.h>
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

/// libcurl asks OpenSSL to free a connection's record buffers whenever they are empty
/// (SSL_MODE_RELEASE_BUFFERS), so every request on a kept-alive connection allocates, clears and
/// frees about 50 KB again. This CURLOPT_SSL_CTX_FUNCTION, called for each new TLS connection,
/// keeps them for the connection's life instead.
static inline CURLcode meshkit_curl_keep_tls_buffers(CURL *handle, void *ssl_ctx, void *userdata) {
    (void)handle;
    (void)userdata;
    SSL_CTX_clear_mode((SSL_CTX *)ssl_ctx, SSL_MODE_RELEASE_BUFFERS);
    return CURLE_OK;
}

/// Keeps the record buffers of the handle's TLS connections (`meshkit_curl_keep_tls_buffers`).
static inline CURLcode meshkit_curl_easy_keep_tls_buffers(CURL *handle) {
    return curl_easy_setopt(handle, CURLOPT_SSL_CTX_FUNCTION, meshkit_curl_keep_tls_buffers);
}

static inline CURLcode meshkit_curl_easy_setopt_share(CURL *handle, CURLSH *share) {
    return curl_easy_setopt(handle, CURLOPT_SHARE, share);
}

static inline CURLSHcode meshkit_curl_share_setopt_share(CURLSH *share, curl_lock_data data) {
    return curl_share_setopt(share, CURLSHOPT_SHARE, data);
}

// The peer certificate of a transfer and its SANs: libcurl verifies the chain but not URI SANs,
// so the caller checks a SPIFFE ID, or a DestinationRule's `subjectAltNames`, between the
// handshake and the first request byte (CURLOPT_PREREQFUNCTION), on new, resumed and reused
// connections alike.

/// The certificate the transfer's TLS peer presented, with a reference the caller releases with
/// `meshkit_x509_free`; NULL when the connection is not OpenSSL TLS or the peer presented none.
static inline void *meshkit_curl_peer_certificate(CURL *handle) {
    struct curl_tlssessioninfo *info = NULL;
    if (curl_easy_getinfo(handle, CURLINFO_TLS_SSL_PTR, &info) != CURLE_OK || info == NULL) return NULL;
    if (info->backend != CURLSSLBACKEND_OPENSSL || info->internals == NULL) return NULL;
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
    return SSL_get1_peer_certificate((SSL *)info->internals);
#else
    return SSL_get_peer_certificate((SSL *)info->internals);
#endif
}

/// Releases a reference from `meshkit_curl_peer_certificate`.
static inline void meshkit_x509_free(void *certificate) {
    X509_free((X509 *)certificate);
}

/// The DNS, URI and IP SANs of `certificate`, each written as `DNS:<name>`, `URI:<uri>` or
/// `IP:<address>` and followed by a newline, into `buffer` as far as `capacity` allows. Returns
/// the length all of them need (0 for none).
static inline long meshkit_x509_sans(void *certificate, char *buffer, size_t capacity) {
    X509 *peer = (X509 *)certificate;
    long used = 0;
    GENERAL_NAMES *names = X509_get_ext_d2i(peer, NID_subject_alt_name, NULL, NULL);
    if (names != NULL) {
        for (int index = 0; index < sk_GENERAL_NAME_num(names); index++) {
            const GENERAL_NAME *name = sk_GENERAL_NAME_value(names, index);
            const char *prefix;
            const unsigned char *data;
            int length;
            char address[INET6_ADDRSTRLEN];
            if (name->type == GEN_URI || name->type == GEN_DNS) {
                const ASN1_IA5STRING *text = name->type == GEN_URI ? name->d.uniformResourceIdentifier : name->d.dNSName;
                prefix = name->type == GEN_URI ? "URI:" : "DNS:";
                data = ASN1_STRING_get0_data(text);
                length = ASN1_STRING_length(text);
            } else if (name->type == GEN_IPADD) {
                int family = ASN1_STRING_length(name->d.iPAddress) == 4 ? AF_INET : AF_INET6;
                if (ASN1_STRING_length(name->d.iPAddress) != (family == AF_INET ? 4 : 16)) continue;
                if (inet_ntop(family, ASN1_STRING_get0_data(name->d.iPAddress), address, sizeof address) == NULL) continue;
                prefix = "IP:";
                data = (const unsigned char *)address;
                length = (int)strlen(address);
            } else {
                continue;
            }
            if (data == NULL || length < 0 || memchr(data, '\n', (size_t)length) != NULL) continue;
            size_t prefixLength = strlen(prefix);
            long needed = (long)prefixLength + length + 1;
            if ((size_t)(used + needed) <= capacity) {
                memcpy(buffer + used, prefix, prefixLength);
                memcpy(buffer + used + prefixLength, data, (size_t)length);
                buffer[used + needed - 1] = '\n';
            }
            used += needed;
        }
        GENERAL_NAMES_free(names);
    }
    return used;
}

/// Refuses to decrypt: an encrypted private key fails to load instead of prompting on the
/// terminal, OpenSSL's default.
static inline int meshkit_pem_no_password(char *buffer, int size, int rwflag, void *userdata) {
    (void)buffer; (void)size; (void)rwflag; (void)userdata;
    return -1;
}

/// Whether OpenSSL's last error is the end of the PEM blocks (no further start line) rather
/// than a malformed one.
static inline int meshkit_pem_ended_cleanly(void) {
    unsigned long error = ERR_peek_last_error();
    return ERR_GET_LIB(error) == ERR_LIB_PEM && ERR_GET_REASON(error) == PEM_R_NO_START_LINE;
}

/// The number of PEM certificates in `data`, as OpenSSL (and so libcurl) reads them; -1 when one
/// of them is malformed. Clears OpenSSL's error queue of this thread.
static inline long meshkit_pem_certificate_count(const void *data, size_t length) {
    if (length > INT_MAX) return -1;
    BIO *bio = BIO_new_mem_buf(data, (int)length);
    if (bio == NULL) return -1;
    ERR_clear_error();
    long count = 0;
    X509 *certificate;
    while ((certificate = PEM_read_bio_X509(bio, NULL, meshkit_pem_no_password, NULL)) != NULL) {
        X509_free(certificate);
        count++;
    }
    if (!meshkit_pem_ended_cleanly()) count = -1;
    ERR_clear_error();
    BIO_free(bio);
    return count;
}

/// Whether `data` starts with (after any text before it) a PEM private key OpenSSL reads
/// without a password. Clears OpenSSL's error queue of this thread.
static inline int meshkit_pem_has_private_key(const void *data, size_t length) {
    if (length > INT_MAX) return 0;
    BIO *bio = BIO_new_mem_buf(data, (int)length);
    if (bio == NULL) return 0;
    ERR_clear_error();
    EVP_PKEY *key = PEM_read_bio_PrivateKey(bio, NULL, meshkit_pem_no_password, NULL);
    int found = key != NULL;
    EVP_PKEY_free(key);
    ERR_clear_error();
    BIO_free(bio);
    return found;
}

#endif
