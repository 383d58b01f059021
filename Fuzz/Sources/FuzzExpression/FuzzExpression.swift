import Foundation
import FuzzSupport
@testable import MeshKit

/// Routing `match` and breaker `trip` expressions: parsed and evaluated, or refused with an error.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzExpression(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
    let text = fuzzText(bytes, count)
    if let expression = try? Expression(parsing: text) {
        _ = expression.variables
        _ = expression.matches { path in path.count.isMultiple(of: 2) ? .number(Double(path.count)) : .string(path.joined()) }
    }
    _ = try? RoutingRule(match: text, route: "/fuzz")
    _ = try? CircuitBreakerPolicy(trip: text)
    return 0
}

@_cdecl("FuzzExpression_main")
public func fuzzExpressionMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runLibFuzzer(argc, argv, fuzzExpression)
}
