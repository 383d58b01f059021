#ifndef CHIREDIS_SHIM_H
#define CHIREDIS_SHIM_H

#include <errno.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <hiredis/hiredis.h>

/* The context's error text; `errstr` is a fixed array that Swift imports as a tuple. */
static inline const char *chiredis_errstr(const redisContext *c) {
    return c->errstr;
}

/* Whether the last failed read or write on this thread ran out of time (SO_RCVTIMEO/SO_SNDTIMEO). */
static inline int chiredis_last_error_was_timeout(void) {
    return errno == EAGAIN || errno == EWOULDBLOCK || errno == ETIMEDOUT;
}

static inline struct timeval chiredis_timeval(long milliseconds) {
    struct timeval tv;
    tv.tv_sec = milliseconds / 1000;
    tv.tv_usec = (milliseconds % 1000) * 1000;
    return tv;
}

/* Sets the read and write timeouts of the context's socket separately (redisSetTimeout sets both). */
static inline int chiredis_set_socket_timeouts(redisContext *c, long read_ms, long write_ms) {
    struct timeval rtv = chiredis_timeval(read_ms);
    struct timeval wtv = chiredis_timeval(write_ms);
    if (setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &rtv, sizeof(rtv)) != 0) return -1;
    if (setsockopt(c->fd, SOL_SOCKET, SO_SNDTIMEO, &wtv, sizeof(wtv)) != 0) return -1;
    return 0;
}

/* Connects over TCP, giving up after `timeout_ms`. */
static inline redisContext *chiredis_connect(const char *host, int port, long timeout_ms) {
    return redisConnectWithTimeout(host, port, chiredis_timeval(timeout_ms));
}

/* Connects to a Unix socket, giving up after `timeout_ms`. */
static inline redisContext *chiredis_connect_unix(const char *path, long timeout_ms) {
    return redisConnectUnixWithTimeout(path, chiredis_timeval(timeout_ms));
}

#endif
