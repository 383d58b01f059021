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

/// MeshKit on a Hummingbird server, and MeshKit's metrics for Prometheus, in a package of its own
/// so that users of MeshKit never build Hummingbird or swift-prometheus.
let package = Package(
    name: "MeshKitHummingbird",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "MeshKitHummingbird", targets: ["MeshKitHummingbird"]),
        .library(name: "MeshKitPrometheus", targets: ["MeshKitPrometheus"]),
        .executable(name: "hummingbird-shop", targets: ["HummingbirdShop"]),
    ],
    dependencies: [
        .package(path: "../.."),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
    ],
    targets: [
        .target(
            name: "MeshKitHummingbird",
            dependencies: [
                .product(name: "MeshKit", package: meshKitPackage),
                .product(name: "MeshKitHTTP", package: meshKitPackage),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "MeshKitPrometheus",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "HummingbirdShop",
            dependencies: [
                "MeshKitHummingbird",
                "MeshKitPrometheus",
                .product(name: "MeshKit", package: meshKitPackage),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "MeshKitHummingbirdTests",
            dependencies: [
                "MeshKitHummingbird",
                "MeshKitPrometheus",
                .product(name: "MeshKit", package: meshKitPackage),
                .product(name: "MeshKitTesting", package: meshKitPackage),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
