import Foundation
import MeshKitTestSupport
import MeshKitTesting

/// Python's `pika` client acting as a Dapr app, in a ``PythonVenv``.
enum PikaClient {
    /// A Python with pika, or `nil` when pip cannot reach PyPI (the interop tests then skip, saying so).
    static func python() async throws -> PythonVenv? {
        try await PythonVenv.with("pika>=1.3,<2", importing: "pika", name: "pika")
    }

    /// Runs the script with `arguments` and returns its output.
    @discardableResult
    static func run(_ python: PythonVenv, _ arguments: [String]) async throws -> String {
        try await python.run(source: source, arguments)
    }

    /// Starts the script's `hold` command, which detaches (a new session, no descriptor of ours
    /// kept open) and runs until killed; returns its process ID.
    static func startHolding(_ python: PythonVenv, _ arguments: [String]) async throws -> Int32 {
        let output = try await run(python, arguments)
        guard let pid = Int32(output) else { throw TestServerError(message: "no process ID from the script: \(output)") }
        return pid
    }

    /// What a Dapr app does on the wire, with the flags components-contrib uses: a durable fanout
    /// exchange named after the topic, never auto-deleted; a queue `{appID}-{topic}` with the
    /// default `durable: false`, `deletedWhenUnused: true`. RabbitMQ refuses a redeclaration with
    /// other flags, so this also checks that MeshKit declares the same.
    static let source = #"""
        import json, sys, pika

        import os

        url, command, topic = sys.argv[1], sys.argv[2], sys.argv[3]
        if command == "hold":  # detach, print the process ID, and go on in the background
            child = os.fork()
            if child:
                print(child)
                sys.exit(0)
            os.setsid()
            devnull = os.open(os.devnull, os.O_RDWR)
            for descriptor in (0, 1, 2):
                os.dup2(devnull, descriptor)
            os.closerange(3, 4096)
        connection = pika.BlockingConnection(pika.URLParameters(url))
        channel = connection.channel()
        channel.exchange_declare(exchange=topic, exchange_type="fanout", durable=True, auto_delete=False)
        if command == "bind":  # bind the queue a Dapr app with this ID would consume
            queue = sys.argv[4] + "-" + topic
            channel.queue_declare(queue=queue, durable=False, auto_delete=True)
            channel.queue_bind(queue=queue, exchange=topic, routing_key="")
        elif command == "get":  # read and acknowledge `count` messages
            queue, count, messages = sys.argv[4] + "-" + topic, int(sys.argv[5]), []
            for method, properties, body in channel.consume(queue, inactivity_timeout=20):
                if method is None:
                    break
                messages.append({"contentType": properties.content_type, "body": json.loads(body)})
                channel.basic_ack(method.delivery_tag)
                if len(messages) == count:
                    break
            print(json.dumps(messages))
        elif command == "hold":  # consume `{appID}-{topic}` and acknowledge nothing, until killed
            channel.basic_qos(prefetch_count=100)
            for _ in channel.consume(sys.argv[4] + "-" + topic, inactivity_timeout=1):
                pass
        elif command == "publish":  # what daprd sends for POST /v1.0/publish/pubsub/{topic}
            event = {
                "specversion": "1.0", "id": sys.argv[4], "source": "dapr-app", "type": "com.dapr.event.sent",
                "datacontenttype": "application/json", "topic": topic, "pubsubname": "pubsub",
                "traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "tracestate": "",
                "time": "2026-11-29T12:00:00Z", "data": {"orderId": 7},
            }
            channel.basic_publish(
                exchange=topic, routing_key="", body=json.dumps(event),
                properties=pika.BasicProperties(content_type="application/cloudevents+json", delivery_mode=2))
        connection.close()
        """#
}
