#include "rabbitmq_baseline.h"

#include <amqp.h>
#include <amqp_framing.h>
#include <amqp_tcp_socket.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static amqp_connection_state_t open_channel(const char *host, int port) {
    amqp_connection_state_t c = amqp_new_connection();
    amqp_socket_t *socket = amqp_tcp_socket_new(c);
    if (amqp_socket_open(socket, host, port) != AMQP_STATUS_OK) return NULL;
    if (amqp_login(c, "/", 0, AMQP_DEFAULT_FRAME_SIZE, 10, AMQP_SASL_METHOD_PLAIN, "guest", "guest").reply_type != AMQP_RESPONSE_NORMAL)
        return NULL;
    amqp_channel_open(c, 1);
    if (amqp_get_rpc_reply(c).reply_type != AMQP_RESPONSE_NORMAL) return NULL;
    return c;
}

static void finish(amqp_connection_state_t c) {
    amqp_channel_close(c, 1, AMQP_REPLY_SUCCESS);
    amqp_connection_close(c, AMQP_REPLY_SUCCESS);
    amqp_destroy_connection(c);
}

double rmq_baseline_publish_confirmed(const char *host, int port, const char *exchange, const char *queue, int count, int size) {
    amqp_connection_state_t c = open_channel(host, port);
    if (c == NULL) return -1;
    amqp_exchange_declare(c, 1, amqp_cstring_bytes(exchange), amqp_cstring_bytes("fanout"), 0, 0, 1, 0, amqp_empty_table);
    amqp_queue_declare(c, 1, amqp_cstring_bytes(queue), 0, 0, 0, 1, amqp_empty_table);
    amqp_queue_bind(c, 1, amqp_cstring_bytes(queue), amqp_cstring_bytes(exchange), amqp_empty_bytes, amqp_empty_table);
    amqp_confirm_select(c, 1);
    if (amqp_get_rpc_reply(c).reply_type != AMQP_RESPONSE_NORMAL) return -2;
    char *body = malloc(size);
    memset(body, 'x', size);
    amqp_bytes_t bytes = {size, body};
    amqp_basic_properties_t properties;
    properties._flags = AMQP_BASIC_CONTENT_TYPE_FLAG | AMQP_BASIC_DELIVERY_MODE_FLAG;
    properties.content_type = amqp_cstring_bytes("application/cloudevents+json");
    properties.delivery_mode = 2;
    double start = now();
    for (int i = 0; i < count; i++) {
        if (amqp_basic_publish(c, 1, amqp_cstring_bytes(exchange), amqp_empty_bytes, 0, 0, &properties, bytes) != AMQP_STATUS_OK) return -3;
        for (;;) {
            amqp_frame_t frame;
            if (amqp_simple_wait_frame(c, &frame) != AMQP_STATUS_OK) return -4;
            if (frame.frame_type == AMQP_FRAME_METHOD && frame.payload.method.id == AMQP_BASIC_ACK_METHOD) break;
        }
    }
    double took = now() - start;
    free(body);
    finish(c);
    return took;
}

double rmq_baseline_consume(const char *host, int port, const char *queue, int count) {
    amqp_connection_state_t c = open_channel(host, port);
    if (c == NULL) return -1;
    amqp_basic_qos(c, 1, 0, 100, 0);
    amqp_basic_consume(c, 1, amqp_cstring_bytes(queue), amqp_empty_bytes, 0, 0, 0, amqp_empty_table);
    if (amqp_get_rpc_reply(c).reply_type != AMQP_RESPONSE_NORMAL) return -2;
    double start = now();
    for (int i = 0; i < count; i++) {
        amqp_envelope_t envelope;
        amqp_maybe_release_buffers(c);
        if (amqp_consume_message(c, &envelope, NULL, 0).reply_type != AMQP_RESPONSE_NORMAL) return -3;
        amqp_basic_ack(c, 1, envelope.delivery_tag, 0);
        amqp_destroy_envelope(&envelope);
    }
    double took = now() - start;
    finish(c);
    return took;
}
