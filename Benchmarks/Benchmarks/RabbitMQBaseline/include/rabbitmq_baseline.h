#ifndef RABBITMQ_BASELINE_H
#define RABBITMQ_BASELINE_H

/* Bare librabbitmq loops, the anchors of the RabbitMQ benchmarks. Each returns the seconds the
   loop took, or a negative number on failure. */

/* Declares the fanout exchange `exchange` and the queue `queue` bound to it, then publishes
   `count` messages of `size` bytes persistently, waiting for each one's publisher confirm. */
double rmq_baseline_publish_confirmed(const char *host, int port, const char *exchange, const char *queue, int count, int size);

/* Consumes `count` messages from `queue`, acknowledging each (basic.ack). */
double rmq_baseline_consume(const char *host, int port, const char *queue, int count);

#endif
