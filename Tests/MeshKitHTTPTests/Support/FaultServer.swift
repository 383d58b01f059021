import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A tiny HTTP/1.1 server on a raw loopback socket that misbehaves on purpose, one thread per
/// connection. Every connection ends when the client closes it or the server stops.
final class FaultServer: Sendable {
    enum Behavior: Sendable {
        /// Answers every request on the connection (keep-alive) with this response.
        case respond(status: Int, reason: String, headers: [String: String], body: String)
        /// Reads the request and never answers.
        case stall
        /// Promises a 100-byte body, sends a few bytes, and closes the connection.
        case closeMidResponse
        /// Answers the first request of a connection with 200 and stalls on the next.
        case respondOnceThenStall
        /// Answers the requests of a connection with these bytes, as they are, in turn; the last
        /// answers every request after it.
        case raw([String])
    }

    let port: Int
    private let listener: Int32
    private let behavior: Behavior
    private let state = Mutex<(connections: Int, open: [Int32], stopped: Bool)>((0, [], false))

    init(_ behavior: Behavior) throws {
        (listener, port) = try LoopbackSocket.listen()
        self.behavior = behavior
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    /// How many connections the server has accepted.
    var acceptedConnections: Int { state.withLock { $0.connections } }

    /// Wakes every thread of the server with `shutdown`; each thread closes its own descriptor,
    /// so no descriptor number is closed here and then reused by another test's socket.
    func stop() {
        state.withLock { state in
            state.stopped = true
            shutdown(listener, Int32(SHUT_RDWR))
            for descriptor in state.open { shutdown(descriptor, Int32(SHUT_RDWR)) }
        }
    }

    private func acceptLoop() {
        defer { close(listener) }
        while true {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { return }
            let accepted = state.withLock { state in
                guard !state.stopped else { return false }
                state.connections += 1
                state.open.append(connection)
                return true
            }
            guard accepted else {
                close(connection)
                return
            }
            let thread = Thread { [self] in
                serve(connection)
                state.withLock { state in
                    state.open.removeAll { $0 == connection }
                    close(connection)
                }
            }
            thread.start()
        }
    }

    private func serve(_ connection: Int32) {
        var buffered: [UInt8] = []
        var answered = 0
        while readRequest(connection, &buffered) {
            defer { answered += 1 }
            switch behavior {
            case .respondOnceThenStall where answered == 0:
                guard LoopbackSocket.send(connection, Array("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".utf8)) else { return }
            case .respondOnceThenStall:
                while LoopbackSocket.receive(connection) != nil {}
                return
            case .respond(let status, let reason, let headers, let body):
                var head = "HTTP/1.1 \(status) \(reason)\r\nContent-Length: \(body.utf8.count)\r\n"
                for (name, value) in headers.sorted(by: { $0.key < $1.key }) { head += "\(name): \(value)\r\n" }
                guard LoopbackSocket.send(connection, Array((head + "\r\n" + body).utf8)) else { return }
            case .raw(let answers):
                guard LoopbackSocket.send(connection, Array(answers[min(answered, answers.count - 1)].utf8)) else { return }
            case .stall:
                // Wait until the client gives up (or the server stops); never answer.
                while LoopbackSocket.receive(connection) != nil {}
                return
            case .closeMidResponse:
                LoopbackSocket.send(connection, Array("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial".utf8))
                return
            }
        }
    }

    /// Reads one request (head and content-length body); false at EOF.
    private func readRequest(_ connection: Int32, _ buffered: inout [UInt8]) -> Bool {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        while true {
            if let end = buffered.firstRange(of: separator) {
                let head = String(decoding: buffered[..<end.lowerBound], as: UTF8.self).lowercased()
                var length = 0
                for line in head.split(separator: "\r\n") where line.hasPrefix("content-length:") {
                    length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) ?? 0
                }
                while buffered.count < end.upperBound + length {
                    guard let chunk = LoopbackSocket.receive(connection) else { return false }
                    buffered += chunk
                }
                buffered.removeFirst(end.upperBound + length)
                return true
            }
            guard let chunk = LoopbackSocket.receive(connection) else { return false }
            buffered += chunk
        }
    }
}
