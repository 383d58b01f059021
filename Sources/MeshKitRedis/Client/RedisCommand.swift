import Foundation

/// One command as hiredis's `redisAppendCommandArgv` takes it: every argument's bytes in one buffer,
/// binary-safe, built by the caller so that the connection thread only copies pointers.
struct RedisCommand: Sendable {
    /// The arguments' bytes, back to back.
    private(set) var bytes: [UInt8] = []
    /// Where each argument ends in ``bytes``.
    private(set) var ends: [Int] = []

    /// Creates a command from its name and arguments, with room for the bytes and arguments the
    /// caller will append.
    init(_ name: String, _ arguments: [RedisArgument] = [], appending: (bytes: Int, arguments: Int) = (0, 0)) {
        bytes.reserveCapacity(name.utf8.count + arguments.reduce(0) { $0 + $1.byteCount } + appending.bytes)
        ends.reserveCapacity(arguments.count + 1 + appending.arguments)
        append(.string(name))
        for argument in arguments { append(argument) }
    }

    /// Adds one argument.
    mutating func append(_ argument: RedisArgument) {
        switch argument {
        case .string(let text): bytes.append(contentsOf: text.utf8)
        case .data(let data): bytes.append(contentsOf: data)
        }
        ends.append(bytes.count)
    }

    /// The number of arguments, the name included.
    var count: Int { ends.count }

    /// The command's name, for error messages (its arguments may hold secrets or user data).
    var name: String {
        String(decoding: bytes[0..<(ends.first ?? 0)], as: UTF8.self)
    }

    /// Calls `body` with hiredis's `argv` and `argvlen` arrays, valid only during the call.
    func withArgv<Result>(
        _ body: (Int32, UnsafeMutablePointer<UnsafePointer<CChar>?>, UnsafeMutablePointer<Int>) -> Result
    ) -> Result {
        bytes.withUnsafeBufferPointer { buffer in
            let base = UnsafeRawPointer(buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!)
            return withUnsafeTemporaryAllocation(of: UnsafePointer<CChar>?.self, capacity: ends.count) { argv in
                withUnsafeTemporaryAllocation(of: Int.self, capacity: ends.count) { lengths in
                    var start = 0
                    for (index, end) in ends.enumerated() {
                        argv[index] = (base + start).assumingMemoryBound(to: CChar.self)
                        lengths[index] = end - start
                        start = end
                    }
                    return body(Int32(ends.count), argv.baseAddress!, lengths.baseAddress!)
                }
            }
        }
    }
}

/// One argument of a ``RedisCommand``.
enum RedisArgument: Sendable, ExpressibleByStringLiteral {
    /// Text, sent as UTF-8.
    case string(String)
    /// Raw bytes.
    case data(Data)

    init(stringLiteral value: String) {
        self = .string(value)
    }

    /// A whole number, sent as its decimal text.
    static func int(_ value: some BinaryInteger) -> RedisArgument {
        .string(String(value))
    }

    var byteCount: Int {
        switch self {
        case .string(let text): text.utf8.count
        case .data(let data): data.count
        }
    }
}
