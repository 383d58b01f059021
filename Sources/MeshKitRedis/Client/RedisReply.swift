import Foundation

/// A reply from Redis, copied out of hiredis so that no C memory outlives the connection thread.
enum RedisReply: Sendable, Hashable {
    /// A bulk string.
    case data(Data)
    /// A status reply such as `OK`.
    case status(String)
    /// An error reply such as `WRONGTYPE ...`.
    case error(String)
    /// An integer reply.
    case integer(Int64)
    /// An array reply.
    case array([RedisReply])
    /// The null bulk string or null array.
    case null

    /// The reply as text, for bulk strings, statuses and integers.
    var string: String? {
        switch self {
        case .data(let data): String(decoding: data, as: UTF8.self)
        case .status(let text): text
        case .integer(let value): String(value)
        default: nil
        }
    }

    /// The reply as an integer, for integer replies and bulk strings holding one.
    var int: Int64? {
        switch self {
        case .integer(let value): value
        case .data, .status: string.flatMap { Int64($0) }
        default: nil
        }
    }

    /// The elements of an array reply; empty for a null reply.
    var elements: [RedisReply]? {
        switch self {
        case .array(let elements): elements
        case .null: []
        default: nil
        }
    }

    /// The message of an error reply.
    var errorMessage: String? {
        if case .error(let message) = self { return message }
        return nil
    }

    /// The first word of an error reply, such as `NOSCRIPT`, `WRONGTYPE` or `BUSYGROUP`.
    var errorPrefix: Substring? {
        errorMessage?.split(separator: " ", maxSplits: 1).first
    }
}
