import CHiredis
import Foundation
import MeshKit

/// One hiredis connection. It is confined to the thread of the ``RedisConnection`` that owns it:
/// its pointer never leaves this file.
///
/// The socket is non-blocking once connected: every wait for it is a `poll(2)` that also watches
/// the connection's ``ThreadWakeup``, so a cancelled caller or a shutdown interrupts it at once.
/// Only the connect itself blocks, for at most `dialTimeout`.
final class HiredisContext {
    private let context: UnsafeMutablePointer<redisContext>
    private let options: RedisConnectionOptions
    private let readTimeout: Int
    private let wakeup: ThreadWakeup

    /// Why a connect failed, and whether trying again may help (a refused password will not).
    struct ConnectError: Error {
        let error: MeshError
        let isRetryable: Bool
    }

    /// Why a send or a read stopped.
    enum IOFailure: Error {
        /// The context failed (timeout, broken connection, protocol error, closed): it is unusable.
        case failed(MeshError)
        /// The wakeup was nudged: the context is intact, and the call may be made again.
        case interrupted
    }

    /// Connects and authenticates, or throws an error naming the server.
    init(options: RedisConnectionOptions, readTimeout: Duration, wakeup: ThreadWakeup) throws(ConnectError) {
        self.options = options
        self.readTimeout = readTimeout.wholeMilliseconds
        self.wakeup = wakeup
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
        guard chiredis_set_nonblocking(connected) == CHIREDIS_OK else {
            throw ConnectError(
                error: RedisFailure.unreachable(options.endpoint, reason: "cannot make the socket non-blocking"),
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
        do {
            try retryingInterruptions(flush)
        } catch {
            throw ConnectError(error: error, isRetryable: !wakeup.isClosed)
        }
        for command in commands {
            let reply: RedisReply
            do {
                reply = try retryingInterruptions(readReply)
            } catch {
                throw ConnectError(error: error, isRetryable: !wakeup.isClosed)
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

    /// Runs `body` again after each interruption: the handshake serves no caller in particular, so
    /// only a close stops it.
    private func retryingInterruptions<Result>(_ body: () throws(IOFailure) -> Result) throws(MeshError) -> Result {
        while true {
            do throws(IOFailure) {
                return try body()
            } catch {
                guard case .failed(let error) = error else { continue }
                throw error
            }
        }
    }

    /// Queues a command in the output buffer; nothing is sent until ``flush()``.
    func append(_ command: RedisCommand) {
        _ = command.withArgv { argc, argv, lengths in
            redisAppendCommandArgv(context, argc, argv, lengths)
        }
    }

    /// Sends whatever is queued, waiting at most `writeTimeout` whenever the socket is full.
    func flush() throws(IOFailure) {
        try check(chiredis_flush(context, wakeup.readFD, options.writeTimeout.wholeMilliseconds))
    }

    /// Reads the next reply, waiting at most the read timeout while no byte arrives. After a
    /// ``IOFailure/failed(_:)`` the context is unusable, as hiredis documents.
    func readReply() throws(IOFailure) -> RedisReply {
        var raw: UnsafeMutableRawPointer?
        try check(chiredis_read_reply(context, &raw, wakeup.readFD, readTimeout))
        guard let raw else { throw .failed(failure()) }
        defer { freeReplyObject(raw) }
        return Self.convert(raw.assumingMemoryBound(to: redisReply.self))
    }

    private func check(_ result: Int32) throws(IOFailure) {
        switch result {
        case CHIREDIS_OK:
            return
        case CHIREDIS_WOKEN:
            guard !wakeup.isClosed else { throw .failed(RedisFailure.closed(options.endpoint)) }
            wakeup.drain()
            throw .interrupted
        case CHIREDIS_TIMEOUT:
            throw .failed(RedisFailure.timeout(options.endpoint))
        default:
            throw .failed(failure())
        }
    }

    /// The error describing the context's failure.
    private func failure() -> MeshError {
        let reason = String(cString: chiredis_errstr(context))
        switch context.pointee.err {
        case REDIS_ERR_PROTOCOL:
            return RedisFailure.unreachable(options.endpoint, reason: "the server does not speak the Redis protocol (\(reason))")
        case 0:
            return RedisFailure.unreachable(options.endpoint, reason: "waiting for the socket failed (errno \(errno))")
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
