// swift-tools-version:6.2
import Foundation
import PackageDescription

// libFuzzer targets for MeshKit's parsers of outside input. Built and run only by
// scripts/fuzz.sh (with `-sanitize=fuzzer,address`); users of the library never build them.
// The library is the parent folder; SwiftPM names a path dependency after its folder.
let meshKitPackage = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

func fuzzTarget(_ name: String, _ products: [String]) -> Target {
    .executableTarget(
        name: name,
        dependencies: ["FuzzSupport"] + products.map { .product(name: $0, package: meshKitPackage) },
        swiftSettings: [.unsafeFlags(["-parse-as-library"])]
    )
}

let package = Package(
    name: "MeshKitFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(path: "..")],
    targets: [
        .target(name: "CFuzzDriver"),
        .target(name: "FuzzSupport", dependencies: ["CFuzzDriver"]),
        fuzzTarget("FuzzResources", ["MeshKit"]),
        fuzzTarget("FuzzDuration", ["MeshKit"]),
        fuzzTarget("FuzzExpression", ["MeshKit"]),
        fuzzTarget("FuzzCloudEvent", ["MeshKit"]),
        fuzzTarget("FuzzRedisEntry", ["MeshKit", "MeshKitRedis"]),
        fuzzTarget("FuzzHTTPHead", ["MeshKit", "MeshKitHTTP"]),
    ],
    swiftLanguageModes: [.v6]
)
