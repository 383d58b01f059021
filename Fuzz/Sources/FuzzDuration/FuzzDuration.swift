import Foundation
import FuzzSupport
@testable import MeshKit

/// Go durations and numeric metadata: a value or an error, never a trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDuration(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
    let text = fuzzText(bytes, count)
    _ = GoDuration.parse(text)
    let metadata = ComponentMetadata(["value": text], componentName: "fuzz")
    _ = try? metadata.duration("value", default: .zero)
    _ = try? metadata.int("value", default: 0)
    _ = try? metadata.bool("value", default: false)
    return 0
}

@_cdecl("FuzzDuration_main")
public func fuzzDurationMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runLibFuzzer(argc, argv, fuzzDuration)
}
