import Foundation
import FuzzSupport
@testable import MeshKit
@testable import MeshKitRedis

/// Redis replies as a shared (and possibly hostile) Redis sends them: stream entries of an
/// `XREADGROUP` or `XAUTOCLAIM` reply, and registry members. The input is RESP2.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRedisEntry(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
    guard let bytes else { return 0 }
    var reader = RESPReader(bytes: Array(UnsafeBufferPointer(start: bytes, count: count)))
    while let reply = reader.next(depth: 0) {
        _ = RedisStreamEntry.entries(ofRead: reply, topic: "orders")
        _ = RedisStreamEntry.entries(reply, topic: "orders")
        _ = reply.int
        _ = reply.errorPrefix
        for element in reply.elements ?? [] {
            if case .data(let member) = element { _ = RegisteredEndpoint.endpoint(from: member) }
        }
    }
    return 0
}

/// A small RESP2 reader, bounded like hiredis (nesting at most 7 levels).
struct RESPReader {
    let bytes: [UInt8]
    var position = 0

    mutating func next(depth: Int) -> RedisReply? {
        guard depth < 8, position < bytes.count else { return nil }
        let kind = bytes[position]
        position += 1
        guard let line = readLine() else { return nil }
        switch kind {
        case UInt8(ascii: "+"): return .status(String(decoding: line, as: UTF8.self))
        case UInt8(ascii: "-"): return .error(String(decoding: line, as: UTF8.self))
        case UInt8(ascii: ":"): return Int64(String(decoding: line, as: UTF8.self)).map(RedisReply.integer)
        case UInt8(ascii: "$"):
            guard let length = Int(String(decoding: line, as: UTF8.self)) else { return nil }
            if length < 0 { return .null }
            guard length <= bytes.count - position else { return nil }
            defer { position += length + 2 }
            return .data(Data(bytes[position..<position + length]))
        case UInt8(ascii: "*"):
            guard let length = Int(String(decoding: line, as: UTF8.self)) else { return nil }
            if length < 0 { return .null }
            var elements: [RedisReply] = []
            for _ in 0..<min(length, bytes.count) {
                guard let element = next(depth: depth + 1) else { return nil }
                elements.append(element)
            }
            return .array(elements)
        default:
            return nil
        }
    }

    private mutating func readLine() -> ArraySlice<UInt8>? {
        guard let end = bytes[position...].firstIndex(of: UInt8(ascii: "\r")) else { return nil }
        defer { position = end + 2 }
        return bytes[position..<end]
    }
}

@_cdecl("FuzzRedisEntry_main")
public func fuzzRedisEntryMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runLibFuzzer(argc, argv, fuzzRedisEntry)
}
