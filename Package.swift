// swift-tools-version:6.2
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "MeshKit",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "MeshKit", targets: ["MeshKit"]),
        .library(name: "MeshKitTesting", targets: ["MeshKitTesting"]),
        .executable(name: "order-flow", targets: ["OrderFlow"]),
        .library(name: "MeshKitHTTP", targets: ["MeshKitHTTP"]),
        .executable(name: "product-service", targets: ["ProductService"]),
        .library(name: "MeshKitRedis", targets: ["MeshKitRedis"]),
        .library(name: "MeshKitRabbitMQ", targets: ["MeshKitRabbitMQ"]),
        .library(name: "MeshKitSecurity", targets: ["MeshKitSecurity"]),
        .executable(name: "meshkit-ca", targets: ["MeshKitCA"]),
        .executable(name: "demo-order-service", targets: ["DemoOrderService"]),
        .executable(name: "demo-product-service", targets: ["DemoProductService"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
    ],
    targets: [
        .target(
            name: "MeshKit",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "MeshKitTesting",
            dependencies: [
                "MeshKit",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "MeshKitTestSupport",
            dependencies: ["MeshKitTesting"],
            path: "Tests/Support",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "OrderFlow",
            dependencies: [
                "MeshKit",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Examples/OrderFlow",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "MeshKitTests",
            dependencies: [
                "MeshKit",
                "MeshKitTesting",
                "MeshKitTestSupport",
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: strictSettings
        ),
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev", "libssl-dev"])]
        ),
        .target(
            name: "MeshKitSecurity",
            dependencies: [
                "MeshKit",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "MeshKitCA",
            dependencies: [
                "MeshKit",
                "MeshKitSecurity",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "MeshKitSecurityTests",
            dependencies: [
                "MeshKit",
                "MeshKitSecurity",
                "MeshKitTesting",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "MeshKitHTTP",
            dependencies: [
                "MeshKit",
                "MeshKitSecurity",
                "CCurl",
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "ProductService",
            dependencies: [
                "MeshKit",
                "MeshKitHTTP",
                "MeshKitRedis",
                "MeshKitSecurity",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Examples/ProductService",
            swiftSettings: strictSettings
        ),
        .target(
            name: "TwoProcessShop",
            dependencies: [
                "MeshKit",
                "MeshKitHTTP",
                "MeshKitRedis",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Examples/TwoProcess/Shared",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "DemoOrderService",
            dependencies: [
                "MeshKit",
                "TwoProcessShop",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Examples/TwoProcess/OrderService",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "DemoProductService",
            dependencies: [
                "MeshKit",
                "MeshKitHTTP",
                "TwoProcessShop",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Examples/TwoProcess/ProductService",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "MeshKitHTTPTests",
            dependencies: [
                "MeshKit",
                "MeshKitHTTP",
                "MeshKitRedis",
                "MeshKitTesting",
                "MeshKitSecurity",
                "MeshKitTestSupport",
                "ProductService",
                "DemoOrderService",
                "DemoProductService",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .systemLibrary(
            name: "CHiredis",
            pkgConfig: "hiredis",
            providers: [.apt(["libhiredis-dev"])]
        ),
        .target(
            name: "MeshKitRedis",
            dependencies: [
                "MeshKit",
                "CHiredis",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "MeshKitRedisTests",
            dependencies: [
                "MeshKit",
                "MeshKitRedis",
                "MeshKitTesting",
                "MeshKitTestSupport",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .systemLibrary(
            name: "CRabbitMQ",
            pkgConfig: "librabbitmq",
            providers: [.apt(["librabbitmq-dev"])]
        ),
        .target(
            name: "MeshKitRabbitMQ",
            dependencies: [
                "MeshKit",
                "CRabbitMQ",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "MeshKitRabbitMQTests",
            dependencies: [
                "MeshKit",
                "MeshKitRabbitMQ",
                "MeshKitTesting",
                "MeshKitTestSupport",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
