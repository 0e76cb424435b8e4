// swift-tools-version:6.0
import PackageDescription

let swiftSettings: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny")]

let package = Package(
    name: "tpgw",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "tpgw", targets: ["tpgw"]),
        .executable(name: "bce-sim", targets: ["bce-sim-main"]),
        .executable(name: "tpgw-bench-server", targets: ["tpgw-bench-server"]),
        .executable(name: "tencent-sim", targets: ["tencent-sim-main"]),
    ],
    targets: [
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .target(name: "CEpoll"),
        .target(name: "TPGWCore", swiftSettings: swiftSettings),
        .target(name: "TPGWCrypto", dependencies: ["CCrypto"], swiftSettings: swiftSettings),
        .target(name: "TPGWHTTP", dependencies: ["TPGWCore", "CEpoll"], swiftSettings: swiftSettings),
        .target(name: "TPGWHTTPClient", dependencies: ["TPGWCore", "CCurl"], swiftSettings: swiftSettings),
        .target(name: "TPGWStore", dependencies: ["TPGWCore", "CLibPQ"], swiftSettings: swiftSettings),
        .target(name: "TPGWBCE", dependencies: ["TPGWCore", "TPGWCrypto", "TPGWHTTPClient"], swiftSettings: swiftSettings),
        .target(name: "TPGWTencent", dependencies: ["TPGWCore", "TPGWCrypto", "TPGWHTTPClient"], swiftSettings: swiftSettings),
        .target(
            name: "TPGWGateway",
            dependencies: ["TPGWCore", "TPGWCrypto", "TPGWHTTP", "TPGWHTTPClient", "TPGWStore", "TPGWBCE", "TPGWTencent"],
            swiftSettings: swiftSettings),
        // What tests share, written once: manual clock and date, test database, webhook receiver, gateway harness,
        // raw HTTP client, outage proxy, the one polling wait, store fixtures and test-only reads. No production target depends on it.
        .target(
            name: "TPGWTestSupport",
            dependencies: ["TPGWCore", "TPGWHTTP", "TPGWHTTPClient", "TPGWStore", "TPGWGateway", "bce-sim"],
            swiftSettings: swiftSettings),
        .executableTarget(
            name: "tpgw", dependencies: ["TPGWCore", "TPGWHTTPClient", "TPGWGateway"], swiftSettings: swiftSettings),
        // The simulators are libraries (modules `bce_sim`, `tencent_sim`: tests and TPGWTestSupport start them in-process)
        // with a thin executable each (the `bce-sim` and `tencent-sim` products).
        .target(name: "bce-sim", dependencies: ["TPGWCore", "TPGWCrypto", "TPGWHTTP", "TPGWBCE"], swiftSettings: swiftSettings),
        .executableTarget(name: "bce-sim-main", dependencies: ["TPGWCore", "bce-sim"], swiftSettings: swiftSettings),
        .target(name: "tencent-sim", dependencies: ["TPGWCore", "TPGWCrypto", "TPGWHTTP", "TPGWTencent"], swiftSettings: swiftSettings),
        .executableTarget(name: "tencent-sim-main", dependencies: ["TPGWCore", "tencent-sim"], swiftSettings: swiftSettings),
        .executableTarget(name: "tpgw-bench-server", dependencies: ["TPGWCore", "TPGWHTTP"], swiftSettings: swiftSettings),
        .executableTarget(name: "tpgw-bench-metrics", dependencies: ["TPGWCore"], path: "bench/metrics", swiftSettings: swiftSettings),
        // The benchmarks, over the libraries' `package` API (release builds without -enable-testing); bench/*/run.sh.
        .executableTarget(
            name: "tpgw-bench",
            dependencies: [
                "TPGWCore", "TPGWCrypto", "TPGWGateway", "TPGWStore", "TPGWHTTP", "TPGWHTTPClient", "TPGWBCE", "TPGWTencent", "tencent-sim",
                "TPGWTestSupport",
            ],
            path: "bench/Sources",
            swiftSettings: swiftSettings),
        .executableTarget(name: "tpgw-bench-forecast", dependencies: ["TPGWCore"], path: "bench/forecast", exclude: ["run.sh"], swiftSettings: swiftSettings),
        .testTarget(name: "TPGWCoreTests", dependencies: ["TPGWCore", "TPGWCrypto", "TPGWTestSupport"]),
        .testTarget(name: "TPGWHTTPTests", dependencies: ["TPGWHTTP"]),
        .testTarget(name: "TPGWStoreTests", dependencies: ["TPGWStore", "TPGWCore", "TPGWTestSupport"]),
        .testTarget(name: "TPGWBCETests", dependencies: ["TPGWBCE", "TPGWHTTPClient", "bce-sim", "TPGWTestSupport"], exclude: ["Fixtures"]),
        .testTarget(
            name: "TPGWTencentTests", dependencies: ["TPGWTencent", "TPGWHTTPClient", "tencent-sim"], exclude: ["Fixtures"]),
        .testTarget(name: "GatewayTests", dependencies: ["tpgw", "TPGWGateway", "TPGWStore", "TPGWCrypto", "TPGWTestSupport"]),
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["TPGWGateway", "bce-sim", "tencent-sim", "TPGWStore", "TPGWBCE", "TPGWHTTP", "TPGWHTTPClient", "TPGWTestSupport"]),
    ]
)
