// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "gusp",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "gusp", targets: ["GUSPCLI"])
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-openapi-generator.git", from: "1.14.3"),
        .package(url: "https://github.com/apple/swift-openapi-runtime.git", from: "1.13.4"),
        .package(url: "https://github.com/swift-server/swift-openapi-hummingbird.git", from: "2.1.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/jpsim/Yams.git", "5.0.1"..<"7.0.0"),
    ],
    targets: [
        // The storage engines: SQLite (SQLKit and the direct connection), PostgreSQL, the group
        // commit. No domain type.
        .target(
            name: "GUSPDatabase",
            dependencies: [
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // An SMTP client and the messages it sends (RFC 5321, 5322, 2047, 8058). No domain type.
        .target(
            name: "GUSPMail",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // Domain, storage and workers, by feature. Never imports an HTTP framework.
        .target(
            name: "GUSPCore",
            dependencies: [
                "GUSPDatabase",
                "GUSPMail",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            resources: [.copy("Identity/Resources/common-passwords.txt")]
        ),
        // Benchmarks and history seeding: used by `gusp demo --signalements` and the hidden bench
        // commands, never by the server.
        .target(
            name: "GUSPBench",
            dependencies: ["GUSPCore", "GUSPDatabase", .product(name: "SQLKit", package: "sql-kit")]
        ),
        .target(
            name: "GUSPAPI",
            dependencies: [
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime")
            ],
            plugins: [
                .plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")
            ]
        ),
        .target(
            name: "GUSPServer",
            dependencies: [
                "GUSPCore",
                "GUSPDatabase",
                "GUSPAPI",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIHummingbird", package: "swift-openapi-hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
            ],
            plugins: ["ContractResource"]
        ),
        .plugin(name: "ContractResource", capability: .buildTool()),
        .executableTarget(
            name: "GUSPCLI",
            dependencies: [
                "GUSPServer",
                "GUSPCore",
                "GUSPDatabase",
                "GUSPBench",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "GUSPTestSupport",
            dependencies: ["GUSPCore", "GUSPDatabase", "GUSPMail", .product(name: "SQLKit", package: "sql-kit")],
            path: "Tests/GUSPTestSupport"
        ),
        .testTarget(
            name: "GUSPMailTests",
            dependencies: [
                "GUSPMail", "GUSPTestSupport", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "GUSPCoreTests",
            dependencies: [
                "GUSPCore", "GUSPDatabase", "GUSPBench", "GUSPMail", "GUSPTestSupport",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "PostgresKit", package: "postgres-kit"),
            ]
        ),
        .testTarget(
            name: "GUSPServerTests",
            dependencies: [
                "GUSPServer",
                "GUSPAPI",
                "GUSPCore",
                "GUSPDatabase",
                "GUSPTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
    ]
)
