import Foundation
import FuzzSupport

@testable import MeshKit
@testable import MeshKitHTTP

/// The parts of an HTTP request head MeshKit reads itself: the invocation path (with and without
/// `dapr-app-id`) and query of the request target, `x-meshkit-deadline` and `Retry-After`. The
/// input is a request head (`GET /target HTTP/1.1`, then `name: value` lines); NIO's llhttp
/// parses the framing.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPHead(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
    let text = fuzzText(bytes, count)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    let requestLine = lines.first.map { $0.split(separator: " ", omittingEmptySubsequences: false) } ?? []
    let target = requestLine.count > 1 ? String(requestLine[1]) : text
    _ = InvocationPath(target: target)
    _ = InvocationPath(target: target, appIDHeader: "fuzz")
    _ = InvocationPath.queryItems(target: target)
    for line in lines.dropFirst() {
        guard let colon = line.firstIndex(of: ":") else { continue }
        let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        switch line[..<colon].lowercased() {
        case "x-meshkit-deadline":
            if let remaining = DeadlineHeader.remaining(value) { _ = DeadlineHeader.value(remaining) }
        case "retry-after":
            _ = InvocationVerdict.retryAfter(value, now: Date(timeIntervalSince1970: 0))
        default:
            break
        }
    }
    return 0
}

@_cdecl("FuzzHTTPHead_main")
public func fuzzHTTPHeadMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runLibFuzzer(argc, argv, fuzzHTTPHead)
}
