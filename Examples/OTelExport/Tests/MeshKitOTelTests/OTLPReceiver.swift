import Foundation
import MeshKitTesting

/// A real OTLP/HTTP receiver: a small Python server on the `opentelemetry-proto` package from
/// PyPI that decodes what swift-otel exports (protobuf, possibly gzipped) and answers
/// `GET /received` with what it got, as JSON.
struct OTLPReceiver {
    struct Span: Decodable, Sendable {
        var name: String
        var kind: Int
        var traceID: String
        var spanID: String
        var parentSpanID: String
        var service: String?
        var attributes: [String: String]
    }

    struct LogRecord: Decodable, Sendable {
        var body: String
        var traceID: String
    }

    struct Received: Decodable, Sendable {
        var spans: [Span]
        var metrics: [String]
        var logs: [LogRecord]
    }

    /// OTLP's `SpanKind` values.
    enum Kind {
        static let server = 2
        static let client = 3
        static let producer = 4
        static let consumer = 5
    }

    let process: HTTPTestProcess
    var endpoint: String { "http://127.0.0.1:\(process.port)" }

    /// Starts the receiver; `nil` when pip cannot install `opentelemetry-proto`.
    static func start() async throws -> OTLPReceiver? {
        guard let python = try await PythonVenv.with("opentelemetry-proto>=1.20,<2", importing: "opentelemetry.proto", name: "otlp") else {
            return nil
        }
        let folder = try ResourceFolder()
        let script = try folder.write("otlp_receiver.py", source)
        let process = try await HTTPTestProcess.start(
            executable: URL(fileURLWithPath: python.executable),
            arguments: python.leadingArguments + [script],
            readyPattern: #"LISTENING (\d+)"#
        )
        return OTLPReceiver(process: process)
    }

    /// What the receiver has got so far.
    func received() async throws -> Received {
        let output = try await TestCommand.run("/usr/bin/env", ["curl", "-sS", "\(endpoint)/received"])
        return try JSONDecoder().decode(Received.self, from: Data(output.utf8))
    }

    static let source = #"""
        import gzip, json, sys, threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
        from opentelemetry.proto.collector.trace.v1 import trace_service_pb2 as traces
        from opentelemetry.proto.collector.metrics.v1 import metrics_service_pb2 as metrics
        from opentelemetry.proto.collector.logs.v1 import logs_service_pb2 as logs

        received = {"spans": [], "metrics": [], "logs": []}
        lock = threading.Lock()

        def value(v):
            kind = v.WhichOneof("value")
            return str(getattr(v, kind)) if kind else ""

        def attributes(kvs):
            return {kv.key: value(kv.value) for kv in kvs}

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                if self.headers.get("Content-Encoding") == "gzip":
                    body = gzip.decompress(body)
                if self.path == "/v1/traces":
                    request = traces.ExportTraceServiceRequest.FromString(body)
                    response = traces.ExportTraceServiceResponse()
                    with lock:
                        for resource in request.resource_spans:
                            service = attributes(resource.resource.attributes).get("service.name")
                            for scope in resource.scope_spans:
                                for span in scope.spans:
                                    received["spans"].append({
                                        "name": span.name, "kind": span.kind, "service": service,
                                        "traceID": span.trace_id.hex(), "spanID": span.span_id.hex(),
                                        "parentSpanID": span.parent_span_id.hex(),
                                        "attributes": attributes(span.attributes)})
                elif self.path == "/v1/metrics":
                    request = metrics.ExportMetricsServiceRequest.FromString(body)
                    response = metrics.ExportMetricsServiceResponse()
                    with lock:
                        for resource in request.resource_metrics:
                            for scope in resource.scope_metrics:
                                for metric in scope.metrics:
                                    received["metrics"].append(metric.name)
                elif self.path == "/v1/logs":
                    request = logs.ExportLogsServiceRequest.FromString(body)
                    response = logs.ExportLogsServiceResponse()
                    with lock:
                        for resource in request.resource_logs:
                            for scope in resource.scope_logs:
                                for record in scope.log_records:
                                    received["logs"].append({"body": value(record.body), "traceID": record.trace_id.hex()})
                else:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                payload = response.SerializeToString()
                self.send_response(200)
                self.send_header("Content-Type", "application/x-protobuf")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def do_GET(self):
                with lock:
                    payload = json.dumps(received).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        print("LISTENING", server.server_port, flush=True)
        server.serve_forever()
        """#
}
