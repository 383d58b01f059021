import CHiredis
import Foundation
import MeshKit

/// One hiredis connection. It is confined to the thread of the ``RedisConnection`` that owns it:
/// its pointer never leaves this file, and every call blocks at most for the configured timeouts.
final class HiredisContext {
    private let context: UnsafeMutablePointer<redisContext>
    private let options: RedisConnectionOptions

    /// Why a connect failed, and whether trying again may help (a refused password will not).
    struct ConnectError: Error {
        let error: MeshError
        let isRetryable: Bool
    }

    /// Connects and authenticates, or throws an error naming the server.
    init(options: RedisConnectionOptions, readTimeout: Duration) throws(ConnectError) {
        self.options = options
        let dial = options.dialTimeout.wholeMilliseconds
        let connected: UnsafeMutablePointer<redisContext>? =
            if let path = options.endpoint.socketPath {
                chiredis_connect_unix(path, dial)
            } else {
                chiredis_connect(options.endpoint.host, Int32(options.endpoint.port), dial)
            }
        guard let connected else {
            throw ConnectError(
                error: RedisFailure.unreachable(options.endpoint, reason: "cannot allocate a connection"),
                isRetryable: false
            )
        }
        if connected.pointee.err != 0 {
            let reason = String(cString: chiredis_errstr(connected))
            redisFree(connected)
            throw ConnectError(error: RedisFailure.unreachable(options.endpoint, reason: reason), isRetryable: true)
        }
        // From here on the object is whole, so a throw runs deinit, which frees the context.
        self.context = connected
        if options.endpoint.socketPath == nil {
            _ = redisEnableKeepAlive(connected)
        }
        guard chiredis_set_socket_timeouts(connected, readTimeout.wholeMilliseconds, options.writeTimeout.wholeMilliseconds) == 0 else {
            throw ConnectError(
                error: RedisFailure.unreachable(options.endpoint, reason: "cannot set the socket timeouts"),
                isRetryable: true
            )
        }
        try handshake()
    }

    deinit {
        redisFree(context)
    }

    /// Sends `AUTH` and `SELECT` as the metadata asks.
    private func handshake() throws(ConnectError) {
        var commands: [RedisCommand] = []
        if let password = options.password, !password.isEmpty {
            if let username = options.username, !username.isEmpty {
                commands.append(RedisCommand("AUTH", [.string(username), .string(password)]))
            } else {
                commands.append(RedisCommand("AUTH", [.string(password)]))
            }
        }
        if options.database != 0 {
            commands.append(RedisCommand("SELECT", [.int(options.database)]))
        }
        guard !commands.isEmpty else { return }
        for command in commands { append(command) }
        for command in commands {
            let reply: RedisReply
            do {
                reply = try readReply()
            } catch {
                throw ConnectError(error: error, isRetryable: true)
            }
            if let message = reply.errorMessage {
                let error =
                    command.name == "AUTH"
                    ? RedisFailure.authentication(options.endpoint, reply: message)
                    : RedisFailure.unreachable(options.endpoint, reason: "\(command.name) failed: \(message)")
                throw ConnectError(error: error, isRetryable: false)
            }
        }
    }

    /// Queues a command in the output buffer; nothing is sent until ``readReply()``.
    func append(_ command: RedisCommand) {
        _ = command.withArgv { argc, argv, lengths in
            redisAppendCommandArgv(context, argc, argv, lengths)
        }
    }

    /// Sends whatever is queued, then reads the next reply. After a thrown error the context is
    /// unusable, as hiredis documents.
    func readReply() throws(MeshError) -> RedisReply {
        var raw: UnsafeMutableRawPointer?
        guard redisGetReply(context, &raw) == REDIS_OK, let raw else {
            throw failure()
        }
        defer { freeReplyObject(raw) }
        return Self.convert(raw.assumingMemoryBound(to: redisReply.self))
    }

    /// The error describing the context's failure.
    private func failure() -> MeshError {
        let timedOut = chiredis_last_error_was_timeout() != 0
        let reason = String(cString: chiredis_errstr(context))
        switch context.pointee.err {
        case REDIS_ERR_IO where timedOut:
            return RedisFailure.timeout(options.endpoint)
        case REDIS_ERR_PROTOCOL:
            return RedisFailure.unreachable(options.endpoint, reason: "the server does not speak the Redis protocol (\(reason))")
        default:
            return RedisFailure.unreachable(options.endpoint, reason: reason.isEmpty ? "the connection failed" : reason)
        }
    }

    private static func convert(_ reply: UnsafeMutablePointer<redisReply>) -> RedisReply {
        let value = reply.pointee
        switch value.type {
        case REDIS_REPLY_STRING:
            return .data(value.str.map { Data(bytes: $0, count: value.len) } ?? Data())
        case REDIS_REPLY_STATUS:
            return .status(text(value))
        case REDIS_REPLY_ERROR:
            return .error(text(value))
        case REDIS_REPLY_INTEGER:
            return .integer(Int64(value.integer))
        case REDIS_REPLY_ARRAY:
            guard let elements = value.element else { return .array([]) }
            return .array(
                (0..<value.elements).map { index in
                    elements[index].map(convert) ?? .null
                }
            )
        default:
            return .null
        }
    }

    private static func text(_ value: redisReply) -> String {
        guard let str = value.str else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: str, count: value.len), as: UTF8.self)
    }
}
