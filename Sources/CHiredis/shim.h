#ifndef CHIREDIS_SHIM_H
#define CHIREDIS_SHIM_H

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <hiredis/hiredis.h>
#ifdef __linux__
#else
#include <pthread.h>
#endif

/* The results of the waiting calls below. */
#define CHIREDIS_OK 0
#define CHIREDIS_ERR (-1)     /* the context failed: see c->err and c->errstr */
#define CHIREDIS_TIMEOUT (-2) /* nothing happened within the timeout */
#define CHIREDIS_WOKEN (-3)   /* `wake_fd` became readable first; the context is intact */

/* The context's error text; `errstr` is a fixed array that Swift imports as a tuple. */
static inline const char *chiredis_errstr(const redisContext *c) {
    return c->errstr;
}

static inline struct timeval chiredis_timeval(long milliseconds) {
    struct timeval tv;
    tv.tv_sec = milliseconds / 1000;
    tv.tv_usec = (milliseconds % 1000) * 1000;
    return tv;
}

/* Connects over TCP, giving up after `timeout_ms`. */
static inline redisContext *chiredis_connect(const char *host, int port, long timeout_ms) {
    return redisConnectWithTimeout(host, port, chiredis_timeval(timeout_ms));
}

/* Connects to a Unix socket, giving up after `timeout_ms`. */
static inline redisContext *chiredis_connect_unix(const char *path, long timeout_ms) {
    return redisConnectUnixWithTimeout(path, chiredis_timeval(timeout_ms));
}

/* Puts a connected context in non-blocking mode: redisBufferRead and redisBufferWrite then return
   at once, and the calls below wait with poll(2), which a wake-up descriptor can interrupt. */
static inline int chiredis_set_nonblocking(redisContext *c) {
    int flags = fcntl(c->fd, F_GETFL);
    if (flags == -1 || fcntl(c->fd, F_SETFL, flags | O_NONBLOCK) == -1) return CHIREDIS_ERR;
    c->flags &= ~REDIS_BLOCK;
    return CHIREDIS_OK;
}

static inline long chiredis_now_ms(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

/* Waits until `fd` is ready for `events` (a negative `fd` is ignored) or `wake_fd` is readable,
   at most `timeout_ms`. A wake-up wins over readiness. */
static inline int chiredis_wait(int fd, short events, int wake_fd, long timeout_ms) {
    struct pollfd fds[2] = {{fd, events, 0}, {wake_fd, POLLIN, 0}};
    long deadline = chiredis_now_ms() + timeout_ms;
    for (;;) {
        long remaining = deadline - chiredis_now_ms();
        int n = poll(fds, 2, remaining > 0 ? (int)remaining : 0);
        if (n > 0) return fds[1].revents != 0 ? CHIREDIS_WOKEN : CHIREDIS_OK;
        if (n == 0) return CHIREDIS_TIMEOUT;
        if (errno != EINTR) return CHIREDIS_ERR;
    }
}

/* Sends everything queued with redisAppendCommandArgv, waiting at most `timeout_ms` each time the
   socket cannot take more. */
static inline int chiredis_flush(redisContext *c, int wake_fd, long timeout_ms) {
    int done = 0;
    for (;;) {
        if (redisBufferWrite(c, &done) == REDIS_ERR) return CHIREDIS_ERR;
        if (done) return CHIREDIS_OK;
        int waited = chiredis_wait(c->fd, POLLOUT, wake_fd, timeout_ms);
        if (waited != CHIREDIS_OK) return waited;
    }
}

/* Reads the next reply into `*reply` (free it with freeReplyObject), waiting at most `timeout_ms`
   each time no byte is there to read. */
static inline int chiredis_read_reply(redisContext *c, void **reply, int wake_fd, long timeout_ms) {
    *reply = NULL;
    for (;;) {
        if (redisGetReplyFromReader(c, reply) == REDIS_ERR) return CHIREDIS_ERR;
        if (*reply != NULL) return CHIREDIS_OK;
        int waited = chiredis_wait(c->fd, POLLIN, wake_fd, timeout_ms);
        if (waited != CHIREDIS_OK) return waited;
        if (redisBufferRead(c) == REDIS_ERR) return CHIREDIS_ERR;
    }
}



#endif
