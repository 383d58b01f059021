import Foundation
import FuzzSupport
import MeshKit

/// Resource YAML of every kind: whatever the bytes, loading returns resources or a `MeshError`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzResources(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
    let text = fuzzText(bytes, count)
    _ = try? ResourceLoader.parse(yaml: text, file: "fuzz.yaml")
    return 0
}

@_cdecl("FuzzResources_main")
public func fuzzResourcesMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runLibFuzzer(argc, argv, fuzzResources)
}
