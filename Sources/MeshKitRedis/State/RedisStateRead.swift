import Foundation
import MeshKit

/// Reads items in Dapr's layout: the pipelined `HGETALL` and `PTTL` of a key, turned into a
/// ``StateItem`` with its ETag and `ttlExpireTime`.
enum RedisStateRead {
    /// The commands that read `key`.
    static func commands(for key: String) -> [RedisCommand] {
        [RedisCommand("HGETALL", [.string(key)]), RedisCommand("PTTL", [.string(key)])]
    }

    /// What the replies say.
    enum Outcome {
        /// The item, or `nil` when the key does not exist.
        case item(StateItem?)
        /// The key holds something other than a hash: read it as Dapr reads legacy values.
        case notAHash
    }

    /// Decodes the replies of ``commands(for:)``.
    static func decode(key: String, hash: RedisReply, ttl: RedisReply, now: Date) throws(MeshError) -> Outcome {
        if hash.errorPrefix == "WRONGTYPE" { return .notAHash }
        if let message = hash.errorMessage {
            throw RedisFailure.reply(message, command: "HGETALL", code: .stateGet, subject: key)
        }
        guard let fields = hash.elements else {
            throw MeshError(.stateGet, "Redis answered HGETALL with \(hash)", context: .init(subject: key))
        }
        if fields.isEmpty { return .item(nil) }
        var data: Data?
        var version: String?
        var index = 0
        while index + 1 < fields.count {
            switch fields[index].string {
            case "data":
                if case .data(let value) = fields[index + 1] { data = value }
            case "version":
                version = fields[index + 1].string
            default:
                break
            }
            index += 2
        }
        guard let data else {
            throw MeshError(
                .stateGet,
                "the key holds a hash without a 'data' field, so it is not a state item",
                context: .init(subject: key)
            )
        }
        return .item(StateItem(key: key, value: data, etag: version.map { ETag($0) }, metadata: metadata(ttl: ttl, now: now)))
    }

    /// Decodes `GET` and `PTTL` for a key that is not a hash: a string is a legacy value without an
    /// ETag, as in Dapr; any other type is an error.
    static func decodeLegacy(key: String, value: RedisReply, ttl: RedisReply, now: Date) throws(MeshError) -> StateItem? {
        switch value {
        case .data(let data):
            return StateItem(key: key, value: data, etag: nil, metadata: metadata(ttl: ttl, now: now))
        case .null:
            return nil
        case .error(let message) where message.hasPrefix("WRONGTYPE"):
            throw MeshError(
                .stateGet,
                "the key holds a Redis value that is neither a hash nor a string, so it is not a state item",
                context: .init(subject: key)
            )
        default:
            throw MeshError(.stateGet, "Redis answered GET with \(value)", context: .init(subject: key))
        }
    }

    /// `ttlExpireTime` (RFC 3339) when the key expires.
    private static func metadata(ttl: RedisReply, now: Date) -> [String: String] {
        guard case .integer(let milliseconds) = ttl, milliseconds >= 0 else { return [:] }
        let expiry = now.addingTimeInterval(TimeInterval(milliseconds) / 1000)
        return ["ttlExpireTime": expiry.formatted(Date.ISO8601FormatStyle())]
    }
}
