// The gateway, in-process, for bench/audited-block.sh: one event loop, a SQLite database, one tenant ("bench")
// in front of `--weavr-base-url`, with or without auditing around `/v1` mutations.
//
// usage: audited-block-bench --db PATH --weavr-base-url URL [--unaudited]
//
// `--unaudited` sets `GatewayServices.Settings.auditsMutations = false` — no daily quota, no Idempotency-Key
// handling, no intent or outcome row — so that the same route can be timed without them. That setting has
// `package` access: only this benchmark (a target of this package) can reach it; the `weavr-gateway` binary has
// no flag, configuration key or environment variable for it.
//
// Prints "listening on http://127.0.0.1:PORT" and serves until killed.
import Auth
import Foundation
import Gateway
import NIOFreeHTTP
import Storage

var databasePath = ""
var weavrBaseURL = ""
var audited = true
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    switch argument {
    case "--db": databasePath = arguments.next() ?? ""
    case "--weavr-base-url": weavrBaseURL = arguments.next() ?? ""
    case "--unaudited": audited = false
    default:
        FileHandle.standardError.write(Data("unknown argument \(argument)\n".utf8))
        exit(2)
    }
}
guard !databasePath.isEmpty, !weavrBaseURL.isEmpty else {
    FileHandle.standardError.write(Data("usage: audited-block-bench --db PATH --weavr-base-url URL [--unaudited]\n".utf8))
    exit(2)
}

let group = EventLoopGroup(threads: 1)
let database = try Database.open(path: databasePath, migrations: .gateway)
let client = try HTTPClient(group: group)
var settings = GatewayServices.Settings()
settings.auditsMutations = audited
let services = try await GatewayServices(
    database: database, masterKey: try MasterKey(bytes: (0..<MasterKey.length).map { _ in UInt8.random(in: 0...255) }),
    http: client, settings: settings
)
_ = try await services.tenants.create(
    Tenant(
        id: "bench", name: "Bench", weavrBaseURL: weavrBaseURL, cardProfiles: .init(prepaid: ["EUR": "101"]),
        sessionModes: [.bearer],
        // The limiters must not answer instead of the path being measured.
        quotas: ["cards.block": 10_000_000, "cards.unblock": 10_000_000,
                 "rate.tenant_per_minute": 1_000_000, "rate.session_per_minute": 1_000_000]
    ),
    weavrAPIKey: "sim-demo-api-key"
)
var configuration = HTTPServer.Configuration()
configuration.host = "127.0.0.1"
configuration.port = 0
let server = try HTTPServer(configuration: configuration, group: group, responder: GatewayServer.makeRouter(services: services))
try server.start()
FileHandle.standardOutput.write(Data("\(audited ? "audited" : "unaudited") gateway listening on http://127.0.0.1:\(server.localAddress?.port ?? 0)\n".utf8))
while true { try await Task.sleep(for: .seconds(3600)) }
