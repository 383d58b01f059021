import Foundation
import MeshKit

/// Turns state operations into a call of ``RedisStateScripts/write`` and its answer into an error.
struct RedisStateWrite {
    /// The TTL of a save that does not give one.
    let defaultTTL: StateTTL?

    /// The script call for `operations`, applied together; throws for a malformed ETag or TTL.
    func call(_ operations: [StateOperation]) throws(MeshError) -> RedisScript.Call {
        var call = RedisScript.Call(keys: [], arguments: [])
        call.keys.reserveCapacity(operations.count)
        call.arguments.reserveCapacity(operations.count * 6)
        for operation in operations {
            call.keys.append(operation.key)
            switch operation {
            case .upsert(let item):
                let (check, version) = try RedisWriteCheck.of(etag: item.etag, options: item.options, key: item.key)
                let ttl: String =
                    switch try item.ttl() ?? defaultTTL {
                    case .seconds(let seconds): String(seconds)
                    case .never: "-1"
                    case nil: ""  // the key keeps its TTL
                    }
                call.arguments += [
                    "set", .string(check.rawValue), .string(version), .data(item.value), .string(ttl),
                    item.options.concurrency == .firstWrite ? "1" : "0",
                ]
            case .delete(let item):
                let (check, version) = try RedisWriteCheck.of(etag: item.etag, options: item.options, key: item.key)
                call.arguments += ["del", .string(check.rawValue), .string(version), "", "", "0"]
            }
        }
        return call
    }

    /// Throws the error the script's reply reports, if any; `code` is for failures other than ETags.
    func verify(_ reply: RedisReply, of operations: [StateOperation], code: MeshError.Code) throws(MeshError) {
        if let message = reply.errorMessage {
            throw RedisFailure.reply(message, command: "the state write", code: code, subject: operations.first?.key)
        }
        guard let parts = reply.elements?.map({ $0.string ?? "" }), let reason = parts.first else {
            throw MeshError(code, "Redis answered the state write with \(reply)", context: .init(subject: operations.first?.key))
        }
        if reason == "ok" { return }
        // The script answers the 1-based position of the failed operation; any other text means the first.
        let index = parts.count > 1 ? max(Int(parts[1]) ?? 1, 1) - 1 : 0
        let operation = operations[min(max(index, 0), operations.count - 1)]
        let detail = parts.count > 2 ? parts[2] : ""
        let etag: ETag? =
            switch operation {
            case .upsert(let item): item.etag
            case .delete(let item): item.etag
            }
        let context = MeshError.Context(subject: operation.key)
        switch reason {
        case "missing":
            throw MeshError(.etagMismatch, "the ETag '\(etag?.value ?? "")' was given for a key that does not exist", context: context)
        case "mismatch":
            throw MeshError(
                .etagMismatch,
                detail == "false"
                    ? "the ETag '\(etag?.value ?? "")' was given for a value stored without a version"
                    : "the ETag '\(etag?.value ?? "")' does not match the stored item's ETag",
                context: context
            )
        case "exists":
            throw MeshError(
                .etagMismatch,
                "first-write concurrency without an ETag requires that the key does not exist yet",
                context: context
            )
        case "guarded":
            throw MeshError(
                .etagMismatch,
                "the item was saved with first-write concurrency: saving over it needs its ETag",
                context: context
            )
        case "wrongtype":
            throw MeshError(code, "the key holds a Redis \(detail), not a state item (a hash or a string)", context: context)
        case "badversion":
            throw MeshError(code, "the key's 'version' field holds '\(detail)', not a version number", context: context)
        default:
            throw MeshError(code, "Redis answered the state write with '\(reason)'", context: context)
        }
    }
}
