import Foundation
import MeshKit

/// One entry of a Redis stream as MeshKit and Dapr write it: the field `data` holds the message
/// bytes (the CloudEvent JSON), and `metadata`, when present, the message metadata as JSON.
struct RedisStreamEntry: Sendable {
    /// The entry ID, such as `1700000000000-0`.
    var id: String
    /// The message.
    var message: PubSubMessage

    /// The `XADD` of a message.
    static func add(_ message: PubSubMessage, maxLenApprox: Int?) -> RedisCommand {
        // MAXLEN ~ <n> * data <bytes> metadata <json>: the payload, and some room for the rest.
        var command = RedisCommand("XADD", [.string(message.topic)], appending: (message.data.count + 64, 8))
        if let maxLenApprox {
            command.append("MAXLEN")
            command.append("~")
            command.append(.int(maxLenApprox))
        }
        command.append("*")
        command.append("data")
        command.append(.data(message.data))
        if !message.metadata.isEmpty, let json = try? JSONEncoder().encode(message.metadata) {
            command.append("metadata")
            command.append(.data(json))
        }
        return command
    }

    /// The entries of an `XREADGROUP` reply (`[[stream, [[id, fields], ...]]]`, or null).
    static func entries(ofRead reply: RedisReply, topic: String) -> [RedisStreamEntry] {
        guard let streams = reply.elements else { return [] }
        return streams.flatMap { stream in
            guard let parts = stream.elements, parts.count == 2 else { return [RedisStreamEntry]() }
            return entries(parts[1], topic: topic)
        }
    }

    /// The entries of a list such as `XAUTOCLAIM`'s second element; deleted entries are skipped.
    static func entries(_ list: RedisReply, topic: String) -> [RedisStreamEntry] {
        (list.elements ?? []).compactMap { entry in
            guard let parts = entry.elements, parts.count == 2, let id = parts[0].string, let fields = parts[1].elements,
                !fields.isEmpty
            else { return nil }
            return RedisStreamEntry(id: id, fields: fields, topic: topic)
        }
    }

    private init(id: String, fields: [RedisReply], topic: String) {
        var data = Data()
        var metadata: [String: String] = [:]
        var index = 0
        while index + 1 < fields.count {
            if case .data(let value) = fields[index + 1] {
                switch fields[index].string {
                case "data": data = value
                case "metadata": metadata = (try? JSONDecoder().decode([String: String].self, from: value)) ?? [:]
                default: break
                }
            }
            index += 2
        }
        self.id = id
        self.message = PubSubMessage(topic: topic, data: data, metadata: metadata)
    }
}
