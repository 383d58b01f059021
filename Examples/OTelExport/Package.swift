// swift-tools-version:6.1
import Foundation
import PackageDescription

// MeshKit is two folders up; SwiftPM names a path dependency after its folder, which differs
// between checkouts, so read it rather than hard-coding it.
let meshKitPackage = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

/// OTLP export of MeshKit's traces, metrics and logs with swift-otel, in a package of its own so
/// that users of MeshKit never build swift-otel. Only the OTLP/HTTP exporter is built (the
/// `OTLPHTTP` trait), not gRPC's.
let package = Package(
    name: "MeshKitOTelExport",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "MeshKitOTel", targets: ["MeshKitOTel"]),
        .executable(name: "tracing-cost", targets: ["TracingCost"]),
    ],
    dependencies: [
        .package(path: "../.."),
        .package(url: "https://github.com/swift-otel/swift-otel.git", from: "1.6.0", traits: ["OTLPHTTP"]),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    ],
    targets: [
        .target(
            name: "MeshKitOTel",
            dependencies: [
                .product(name: "MeshKit", package: meshKitPackage),
                .product(name: "OTel", package: "swift-otel"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "TracingCost",
            dependencies: [
                "MeshKitOTel",
                .product(name: "MeshKit", package: meshKitPackage),
                .product(name: "OTel", package: "swift-otel"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "MeshKitOTelTests",
            dependencies: [
                "MeshKitOTel",
                .product(name: "MeshKit", package: meshKitPackage),
                .product(name: "MeshKitTesting", package: meshKitPackage),
                .product(name: "OTel", package: "swift-otel"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
