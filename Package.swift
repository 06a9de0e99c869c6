// swift-tools-version:6.0
import PackageDescription

let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    // A nonisolated async function runs on its caller's executor (SE-0461): no executor check per call on the
    // request path, where every function runs on the connection's event loop anyway.
    .enableUpcomingFeature("NonisolatedNonsendingByDefault"),
]

let package = Package(
    name: "weavr-gateway",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "weavr-gateway", targets: ["weavr-gateway"]),
        .library(name: "NIOFreeHTTP", targets: ["NIOFreeHTTP"]),
    ],
    dependencies: [
        // CLI parsing for `weavr-gateway serve|demo|simulator|tenant|audit|keys|migrate`.
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // Structured logging API; the JSON handler is ours (`Gateway/Observability/JSONLogHandler.swift`).
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // System libraries: OpenSSL 3 (libssl-dev), SQLite 3 (libsqlite3-dev) and libpq (libpq-dev).
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]
        ),
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        // PostgreSQL's client library (libpq-dev): the shared store of several instances.
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        // epoll, eventfd, accept4 and friends: Glibc does not export them.
        .target(name: "CSystem"),

        // The few things every layer shares: wall clocks, SHA-256 and hex, JSON string escaping, percent-decoding.
        .target(name: "GatewayCore", dependencies: ["COpenSSL"], swiftSettings: strict),
        .target(name: "NIOFreeHTTP", dependencies: ["COpenSSL", "CSystem", "GatewayCore"], swiftSettings: strict),
        // NIOFreeHTTP for its event loop: PostgreSQL's per-request reads run on it (`PostgresLoopReader`).
        .target(name: "Storage", dependencies: ["CSQLite", "CLibPQ", "CSystem", "GatewayCore", "NIOFreeHTTP"], swiftSettings: strict),
        .target(name: "Auth", dependencies: ["COpenSSL", "GatewayCore", "Storage"], swiftSettings: strict),
        .target(name: "Upstream", dependencies: ["NIOFreeHTTP"], swiftSettings: strict),
        // The hash-chained audit log and the durable quota ledger (DESIGN.md "Quotas and audit").
        .target(name: "Audit", dependencies: ["GatewayCore", "Storage"], exclude: ["README.md"], swiftSettings: strict),
        .target(name: "WeavrSimulator", dependencies: ["GatewayCore", "NIOFreeHTTP"], exclude: ["README.md"], swiftSettings: strict),
        .target(
            name: "Gateway",
            dependencies: [
                "GatewayCore", "NIOFreeHTTP", "Storage", "Auth", "Upstream", "Audit",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "weavr-gateway",
            dependencies: [
                "Gateway", "GatewayCore", "WeavrSimulator", "CSystem", "Auth", "Storage", "Audit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),

        // Benchmarks (bench/README.md), built by the bench/*.sh scripts.
        .executableTarget(
            name: "upstream-bench",
            dependencies: ["Upstream", "WeavrSimulator", "NIOFreeHTTP"],
            path: "bench/upstream-bench",
            swiftSettings: strict
        ),
        .executableTarget(
            name: "audited-block-bench",
            dependencies: ["Gateway", "Auth", "Storage", "NIOFreeHTTP"],
            path: "bench/audited-block-bench",
            swiftSettings: strict
        ),
        .executableTarget(
            name: "audit-bench",
            dependencies: ["Audit", "Storage"],
            path: "bench/audit-bench",
            swiftSettings: strict
        ),

        // One temporary directory, one wait-on-state helper, one raw HTTP client, a TCP socket-table reader, one
        // child-process runner and fresh PostgreSQL test databases for every test target.
        .target(name: "TestSupport", dependencies: ["CSystem", "Storage"], path: "Tests/TestSupport", swiftSettings: strict),

        .testTarget(
            name: "NIOFreeHTTPTests",
            dependencies: ["NIOFreeHTTP", "GatewayCore", "CSystem", "TestSupport"],
            swiftSettings: strict
        ),
        .testTarget(name: "UpstreamTests", dependencies: ["Upstream", "WeavrSimulator", "NIOFreeHTTP", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "CSQLite", "NIOFreeHTTP", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "GatewayTests",
            dependencies: [
                "Gateway", "GatewayCore", "NIOFreeHTTP", "WeavrSimulator", "Auth", "Storage", "Upstream", "Audit", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "WeavrSimulatorTests", dependencies: ["WeavrSimulator", "NIOFreeHTTP", "TestSupport"], swiftSettings: strict),
        // `weavr-gateway` (executable) for the command layers (`TenantCommands`, `KeyCommands`, `AuditCommands`).
        .testTarget(name: "AuthTests", dependencies: ["Auth", "GatewayCore", "Storage", "weavr-gateway", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "AuditTests", dependencies: ["Audit", "GatewayCore", "Storage", "CSQLite", "weavr-gateway", "TestSupport"], swiftSettings: strict
        ),
    ]
)
