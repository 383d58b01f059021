// swift-tools-version:6.2
import Foundation
import PackageDescription

// The library is the parent folder; SwiftPM names a path dependency after its folder, which
// differs between checkouts, so read it rather than hard-coding it.
let meshKitPackage = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

let package = Package(
    name: "MeshKitBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    ],
    targets: [
        .executableTarget(
            name: "MeshKitBenchmarks",
            dependencies: [
                .product(name: "MeshKit", package: meshKitPackage),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/MeshKitBenchmarks",
            exclude: ["ab.sh"],
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark")
            ]
        ),
        .executableTarget(
            name: "PolicyBenchmarks",
            dependencies: [
                .product(name: "MeshKit", package: meshKitPackage),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/PolicyBenchmarks",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark")
            ]
        ),
        .target(
            name: "CurlBaseline",
            path: "Benchmarks/CurlBaseline",
            linkerSettings: [.linkedLibrary("curl")]
        ),
        .executableTarget(
            name: "TrafficBenchmarks",
            dependencies: [
                .product(name: "MeshKit", package: meshKitPackage),
                .product(name: "MeshKitHTTP", package: meshKitPackage),
                .product(name: "MeshKitTesting", package: meshKitPackage),
            ],
            path: "Benchmarks/TrafficBenchmarks",
            exclude: ["run.sh"]
        ),
        .executableTarget(
            name: "HTTPBenchmarks",
            dependencies: [
                "CurlBaseline",
                .product(name: "MeshKit", package: meshKitPackage),
                .product(name: "MeshKitHTTP", package: meshKitPackage),
            ],
            path: "Benchmarks/HTTPBenchmarks",
            exclude: ["run.sh"]
        ),
        .executableTarget(
            name: "SecurityBenchmarks",
            dependencies: [
                "CurlBaseline",
                .product(name: "MeshKit", package: meshKitPackage),
                .product(name: "MeshKitHTTP", package: meshKitPackage),
                .product(name: "MeshKitSecurity", package: meshKitPackage),
            ],
            path: "Benchmarks/SecurityBenchmarks",
            exclude: ["run.sh"]
        ),
        .executableTarget(
            name: "LoadBenchmarks",
            dependencies: [
                .product(name: "MeshKit", package: meshKitPackage),
                .product(name: "Yams", package: "Yams"),
            ],
            path: "Benchmarks/LoadBenchmarks",
            exclude: ["run.sh"]
        ),
        .executableTarget(
            name: "RedisBenchmarks",
            dependencies: [
                .product(name: "MeshKit", package: meshKitPackage),
                .product(name: "MeshKitRedis", package: meshKitPackage),
                .product(name: "MeshKitTesting", package: meshKitPackage),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/RedisBenchmarks",
            exclude: ["run.sh", "ab-cpu.sh"],
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark")
            ]
        ),
        .target(
            name: "RabbitMQBaseline",
            path: "Benchmarks/RabbitMQBaseline",
            linkerSettings: [.linkedLibrary("rabbitmq")]
        ),
        .executableTarget(
            name: "RabbitMQBenchmarks",
            dependencies: [
                "RabbitMQBaseline",
                .product(name: "MeshKit", package: meshKitPackage),
                .product(name: "MeshKitRabbitMQ", package: meshKitPackage),
                .product(name: "MeshKitTesting", package: meshKitPackage),
            ],
            path: "Benchmarks/RabbitMQBenchmarks",
            exclude: ["run.sh"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
