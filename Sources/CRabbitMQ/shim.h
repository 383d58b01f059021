#ifndef CRABBITMQ_SHIM_H
#define CRABBITMQ_SHIM_H

/* Typed helpers over librabbitmq (rabbitmq-c 0.11): Swift passes strings and numbers, never
   builds an amqp_table_t or amqp_basic_properties_t itself. One connection per thread: none of
   these may be called on the same connection from two threads at once. */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <amqp.h>
#include <amqp_framing.h>
#include <amqp_tcp_socket.h>

/* The results of the calls below that wait or talk to the broker. */
#define CRABBITMQ_OK 0
#define CRABBITMQ_ERR (-1)     /* failed: the message buffer says why */
#define CRABBITMQ_TIMEOUT (-2) /* nothing happened within the timeout */
#define CRABBITMQ_WOKEN (-3)   /* the wake descriptor became readable first */

/* Writes what `reply` says went wrong into `message`; returns CRABBITMQ_OK for a normal reply. */
static inline int crabbitmq_check(amqp_rpc_reply_t reply, const char *what, char *message, size_t size) {
    switch (reply.reply_type) {
    case AMQP_RESPONSE_NORMAL:
        return CRABBITMQ_OK;
    case AMQP_RESPONSE_NONE:
        snprintf(message, size, "%s: no reply from the broker", what);
        return CRABBITMQ_ERR;
    case AMQP_RESPONSE_LIBRARY_EXCEPTION:
        if (reply.library_error == AMQP_STATUS_TIMEOUT) return CRABBITMQ_TIMEOUT;
        snprintf(message, size, "%s: %s", what, amqp_error_string2(reply.library_error));
        return CRABBITMQ_ERR;
    case AMQP_RESPONSE_SERVER_EXCEPTION:
        if (reply.reply.id == AMQP_CONNECTION_CLOSE_METHOD) {
            amqp_connection_close_t *close = (amqp_connection_close_t *)reply.reply.decoded;
            snprintf(message, size, "%s: the broker closed the connection (%u %.*s)", what, close->reply_code,
                     (int)close->reply_text.len, (const char *)close->reply_text.bytes);
        } else if (reply.reply.id == AMQP_CHANNEL_CLOSE_METHOD) {
            amqp_channel_close_t *close = (amqp_channel_close_t *)reply.reply.decoded;
            snprintf(message, size, "%s: the broker closed the channel (%u %.*s)", what, close->reply_code,
                     (int)close->reply_text.len, (const char *)close->reply_text.bytes);
        } else {
            snprintf(message, size, "%s: unexpected method 0x%08X from the broker", what, reply.reply.id);
        }
        return CRABBITMQ_ERR;
    }
    snprintf(message, size, "%s: unknown reply", what);
    return CRABBITMQ_ERR;
}

static inline int crabbitmq_last(amqp_connection_state_t c, const char *what, char *message, size_t size) {
    return crabbitmq_check(amqp_get_rpc_reply(c), what, message, size);
}

static inline amqp_bytes_t crabbitmq_bytes(const char *text) {
    return text != NULL ? amqp_cstring_bytes(text) : amqp_empty_bytes;
}

/* Opens a connection, logs in (PLAIN) on `vhost` with `heartbeat_s`, the largest frame
   `frame_max` (librabbitmq keeps a receive buffer that size per connection) and the connection
   name `client_name` (may be NULL), and opens channel 1, each step within `timeout_ms`. Returns NULL
   with `message` set on failure. */
static inline amqp_connection_state_t crabbitmq_connect(const char *host, int port, const char *vhost, const char *user,
                                                        const char *password, int heartbeat_s, int frame_max,
                                                        const char *client_name, long timeout_ms, char *message,
                                                        size_t size) {
    amqp_connection_state_t c = amqp_new_connection();
    if (c == NULL) {
        snprintf(message, size, "out of memory");
        return NULL;
    }
    amqp_socket_t *socket = amqp_tcp_socket_new(c);
    if (socket == NULL) {
        snprintf(message, size, "cannot create a socket");
        amqp_destroy_connection(c);
        return NULL;
    }
    struct timeval timeout = {timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    /* A broker that accepts but never answers must not hold the thread: bound the handshake and
       every RPC (declare, bind, consume...) by the same timeout. */
    amqp_set_handshake_timeout(c, &timeout);
    amqp_set_rpc_timeout(c, &timeout);
    int status = amqp_socket_open_noblock(socket, host, port, &timeout);
    if (status != AMQP_STATUS_OK) {
        snprintf(message, size, "cannot connect to %s:%d: %s", host, port, amqp_error_string2(status));
        amqp_destroy_connection(c);
        return NULL;
    }
    amqp_table_entry_t entry;
    entry.key = amqp_cstring_bytes("connection_name");
    entry.value.kind = AMQP_FIELD_KIND_UTF8;
    entry.value.value.bytes = crabbitmq_bytes(client_name);
    amqp_table_t properties = {client_name != NULL ? 1 : 0, &entry};
    amqp_rpc_reply_t reply = amqp_login_with_properties(c, vhost, 0, frame_max, heartbeat_s, &properties,
                                                        AMQP_SASL_METHOD_PLAIN, user, password);
    if (crabbitmq_check(reply, "login", message, size) != CRABBITMQ_OK) {
        amqp_destroy_connection(c);
        return NULL;
    }
    amqp_channel_open(c, 1);
    if (crabbitmq_last(c, "channel.open", message, size) != CRABBITMQ_OK) {
        amqp_destroy_connection(c);
        return NULL;
    }
    return c;
}

/* Closes the channel and the connection politely when `polite`, then frees it. */
static inline void crabbitmq_close(amqp_connection_state_t c, int polite) {
    if (polite) {
        amqp_channel_close(c, 1, AMQP_REPLY_SUCCESS);
        amqp_connection_close(c, AMQP_REPLY_SUCCESS);
    }
    amqp_destroy_connection(c);
}

/* exchange.declare with no arguments. */
static inline int crabbitmq_exchange_declare(amqp_connection_state_t c, const char *exchange, const char *kind, int durable,
                                             int auto_delete, char *message, size_t size) {
    amqp_exchange_declare(c, 1, amqp_cstring_bytes(exchange), amqp_cstring_bytes(kind), 0, durable, auto_delete, 0,
                          amqp_empty_table);
    return crabbitmq_last(c, "exchange.declare", message, size);
}

/* queue.declare with Dapr's optional arguments: NULL leaves x-dead-letter-exchange or
   x-queue-mode unset, and a negative number x-max-length or x-max-length-bytes. */
static inline int crabbitmq_queue_declare(amqp_connection_state_t c, const char *queue, int durable, int auto_delete,
                                          const char *dead_letter_exchange, const char *queue_mode, int64_t max_length,
                                          int64_t max_length_bytes, char *message, size_t size) {
    amqp_table_entry_t entries[4];
    int count = 0;
    const char *texts[2] = {dead_letter_exchange, queue_mode};
    const char *text_names[2] = {"x-dead-letter-exchange", "x-queue-mode"};
    for (int i = 0; i < 2; i++) {
        if (texts[i] == NULL) continue;
        entries[count].key = amqp_cstring_bytes(text_names[i]);
        entries[count].value.kind = AMQP_FIELD_KIND_UTF8;
        entries[count].value.value.bytes = amqp_cstring_bytes(texts[i]);
        count++;
    }
    const char *names[2] = {"x-max-length", "x-max-length-bytes"};
    int64_t values[2] = {max_length, max_length_bytes};
    for (int i = 0; i < 2; i++) {
        if (values[i] < 0) continue;
        entries[count].key = amqp_cstring_bytes(names[i]);
        entries[count].value.kind = AMQP_FIELD_KIND_I64;
        entries[count].value.value.i64 = values[i];
        count++;
    }
    amqp_table_t arguments = {count, entries};
    amqp_queue_declare(c, 1, amqp_cstring_bytes(queue), 0, durable, 0, auto_delete, arguments);
    return crabbitmq_last(c, "queue.declare", message, size);
}

/* queue.bind with no arguments. */
static inline int crabbitmq_queue_bind(amqp_connection_state_t c, const char *queue, const char *exchange,
                                       const char *routing_key, char *message, size_t size) {
    amqp_queue_bind(c, 1, amqp_cstring_bytes(queue), amqp_cstring_bytes(exchange), amqp_cstring_bytes(routing_key),
                    amqp_empty_table);
    return crabbitmq_last(c, "queue.bind", message, size);
}

/* basic.qos (when `prefetch` > 0), then basic.consume. */
static inline int crabbitmq_consume(amqp_connection_state_t c, const char *queue, int prefetch, int no_ack, char *message,
                                    size_t size) {
    if (prefetch > 0) {
        amqp_basic_qos(c, 1, 0, (uint16_t)prefetch, 0);
        if (crabbitmq_last(c, "basic.qos", message, size) != CRABBITMQ_OK) return CRABBITMQ_ERR;
    }
    amqp_basic_consume(c, 1, amqp_cstring_bytes(queue), amqp_empty_bytes, 0, no_ack, 0, amqp_empty_table);
    return crabbitmq_last(c, "basic.consume", message, size);
}

/* confirm.select: from now on the broker acknowledges each publish by its sequence number. */
static inline int crabbitmq_confirm_select(amqp_connection_state_t c, char *message, size_t size) {
    amqp_confirm_select(c, 1);
    return crabbitmq_last(c, "confirm.select", message, size);
}

/* basic.publish of `body`. NULL strings and a zero `delivery_mode` or negative `priority` leave
   those properties unset. */
static inline int crabbitmq_publish(amqp_connection_state_t c, const char *exchange, const char *routing_key,
                                    const void *body, size_t length, const char *content_type, int delivery_mode,
                                    const char *expiration, int priority, char *message, size_t size) {
    amqp_basic_properties_t properties;
    memset(&properties, 0, sizeof(properties));
    if (content_type != NULL) {
        properties._flags |= AMQP_BASIC_CONTENT_TYPE_FLAG;
        properties.content_type = amqp_cstring_bytes(content_type);
    }
    if (delivery_mode > 0) {
        properties._flags |= AMQP_BASIC_DELIVERY_MODE_FLAG;
        properties.delivery_mode = (uint8_t)delivery_mode;
    }
    if (expiration != NULL) {
        properties._flags |= AMQP_BASIC_EXPIRATION_FLAG;
        properties.expiration = amqp_cstring_bytes(expiration);
    }
    if (priority >= 0) {
        properties._flags |= AMQP_BASIC_PRIORITY_FLAG;
        properties.priority = (uint8_t)priority;
    }
    amqp_bytes_t bytes = {length, (void *)body};
    int status = amqp_basic_publish(c, 1, amqp_cstring_bytes(exchange), amqp_cstring_bytes(routing_key), 0, 0,
                                    &properties, bytes);
    if (status != AMQP_STATUS_OK) {
        snprintf(message, size, "basic.publish: %s", amqp_error_string2(status));
        return CRABBITMQ_ERR;
    }
    return CRABBITMQ_OK;
}

/* What crabbitmq_wait_confirm read. */
#define CRABBITMQ_CONFIRM_ACK 1
#define CRABBITMQ_CONFIRM_NACK 2
#define CRABBITMQ_CONFIRM_OTHER 3 /* another frame, ignored */

/* Reads one frame within `timeout_ms`: a publisher confirm sets `*tag` and `*multiple`. */
static inline int crabbitmq_wait_confirm(amqp_connection_state_t c, long timeout_ms, uint64_t *tag, int *multiple,
                                         char *message, size_t size) {
    amqp_frame_t frame;
    struct timeval timeout = {timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    int status = amqp_simple_wait_frame_noblock(c, &frame, &timeout);
    if (status == AMQP_STATUS_TIMEOUT) return CRABBITMQ_TIMEOUT;
    if (status != AMQP_STATUS_OK) {
        snprintf(message, size, "waiting for confirms: %s", amqp_error_string2(status));
        return CRABBITMQ_ERR;
    }
    if (frame.frame_type != AMQP_FRAME_METHOD) return CRABBITMQ_CONFIRM_OTHER;
    switch (frame.payload.method.id) {
    case AMQP_BASIC_ACK_METHOD: {
        amqp_basic_ack_t *ack = (amqp_basic_ack_t *)frame.payload.method.decoded;
        *tag = ack->delivery_tag;
        *multiple = ack->multiple;
        return CRABBITMQ_CONFIRM_ACK;
    }
    case AMQP_BASIC_NACK_METHOD: {
        amqp_basic_nack_t *nack = (amqp_basic_nack_t *)frame.payload.method.decoded;
        *tag = nack->delivery_tag;
        *multiple = nack->multiple;
        return CRABBITMQ_CONFIRM_NACK;
    }
    case AMQP_CHANNEL_CLOSE_METHOD:
    case AMQP_CONNECTION_CLOSE_METHOD:
        snprintf(message, size, "the broker closed the %s while confirms were pending",
                 frame.payload.method.id == AMQP_CHANNEL_CLOSE_METHOD ? "channel" : "connection");
        return CRABBITMQ_ERR;
    default:
        return CRABBITMQ_CONFIRM_OTHER;
    }
}

/* One delivery, copied out of librabbitmq's buffers by the caller before the next call. */
typedef struct {
    uint64_t delivery_tag;
    int redelivered;
    const void *body;
    size_t body_length;
    const char *content_type; /* not NUL-terminated */
    size_t content_type_length;
} crabbitmq_delivery;

/* Reads the next delivery within `timeout_ms` into `*envelope` (free it with
   crabbitmq_envelope_free) and `*delivery`, which points into it. A frame that is not a delivery
   (a heartbeat is handled inside) is skipped and reported as CRABBITMQ_TIMEOUT. */
static inline int crabbitmq_next_delivery(amqp_connection_state_t c, amqp_envelope_t *envelope, crabbitmq_delivery *delivery,
                                          long timeout_ms, char *message, size_t size) {
    amqp_maybe_release_buffers(c);
    struct timeval timeout = {timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    amqp_rpc_reply_t reply = amqp_consume_message(c, envelope, &timeout, 0);
    if (reply.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION && reply.library_error == AMQP_STATUS_UNEXPECTED_STATE) {
        amqp_frame_t frame;
        int status = amqp_simple_wait_frame(c, &frame);
        if (status != AMQP_STATUS_OK) {
            snprintf(message, size, "reading a frame: %s", amqp_error_string2(status));
            return CRABBITMQ_ERR;
        }
        if (frame.frame_type == AMQP_FRAME_METHOD && (frame.payload.method.id == AMQP_CHANNEL_CLOSE_METHOD ||
                                                      frame.payload.method.id == AMQP_CONNECTION_CLOSE_METHOD ||
                                                      frame.payload.method.id == AMQP_BASIC_CANCEL_METHOD)) {
            snprintf(message, size, "the broker ended the consumer (method 0x%08X)", frame.payload.method.id);
            return CRABBITMQ_ERR;
        }
        return CRABBITMQ_TIMEOUT;
    }
    int result = crabbitmq_check(reply, "basic.consume", message, size);
    if (result != CRABBITMQ_OK) return result;
    delivery->delivery_tag = envelope->delivery_tag;
    delivery->redelivered = envelope->redelivered;
    delivery->body = envelope->message.body.bytes;
    delivery->body_length = envelope->message.body.len;
    int typed = (envelope->message.properties._flags & AMQP_BASIC_CONTENT_TYPE_FLAG) != 0;
    delivery->content_type = typed ? (const char *)envelope->message.properties.content_type.bytes : NULL;
    delivery->content_type_length = typed ? envelope->message.properties.content_type.len : 0;
    return CRABBITMQ_OK;
}

static inline void crabbitmq_envelope_free(amqp_envelope_t *envelope) {
    amqp_destroy_envelope(envelope);
}

/* basic.ack, or basic.nack with `requeue`. */
static inline int crabbitmq_settle(amqp_connection_state_t c, uint64_t tag, int ack, int requeue, char *message, size_t size) {
    int status = ack ? amqp_basic_ack(c, 1, tag, 0) : amqp_basic_nack(c, 1, tag, 0, requeue);
    if (status != AMQP_STATUS_OK) {
        snprintf(message, size, "%s: %s", ack ? "basic.ack" : "basic.nack", amqp_error_string2(status));
        return CRABBITMQ_ERR;
    }
    return CRABBITMQ_OK;
}

static inline long crabbitmq_now_ms(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

/* Waits at most `timeout_ms` until the connection has something to read (a negative `c` is
   skipped: NULL) or `wake_fd` is readable. A wake-up wins; buffered frames count as readable. */
static inline int crabbitmq_wait(amqp_connection_state_t c, int wake_fd, long timeout_ms) {
    if (c != NULL && (amqp_frames_enqueued(c) || amqp_data_in_buffer(c))) return CRABBITMQ_OK;
    struct pollfd fds[2] = {{c != NULL ? amqp_get_sockfd(c) : -1, POLLIN, 0}, {wake_fd, POLLIN, 0}};
    long deadline = crabbitmq_now_ms() + timeout_ms;
    for (;;) {
        long remaining = deadline - crabbitmq_now_ms();
        int n = poll(fds, 2, remaining > 0 ? (int)remaining : 0);
        if (n > 0) return fds[1].revents != 0 ? CRABBITMQ_WOKEN : CRABBITMQ_OK;
        if (n == 0) return CRABBITMQ_TIMEOUT;
        if (errno != EINTR) return CRABBITMQ_ERR;
    }
}


#endif
