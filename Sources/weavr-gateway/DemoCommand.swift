import ArgumentParser
import Auth
import Foundation
import Gateway
import Glibc
import NIOFreeHTTP
import Storage
import WeavrSimulator

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run everything on embedded defaults: the Weavr simulator, the gateway with SQLite, and a demo tenant."
    )

    @Option(help: "Directory for the database and the generated master key.")
    var dataDir = "weavr-gateway-demo"

    @Option(help: "Gateway port.")
    var port = 8080

    @Option(help: "Simulator port.")
    var simulatorPort = 8081

    @Option(help: "Admin API port.")
    var adminPort = 9090

    func run() async throws {
        let signals = ShutdownSignals()
        try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
        let serveLock = try GatewayStorage.lockForServing(dataDir + "/gateway.sqlite")
        let keyFile = dataDir + "/master.key"
        if !FileManager.default.fileExists(atPath: keyFile) {
            let bytes = try SecureRandom.bytes(32)
            let text = Data(bytes).base64EncodedString() + "\n"
            let fd = open(keyFile, O_WRONLY | O_CREAT | O_EXCL, 0o600)
            guard fd >= 0 else { throw ValidationError("cannot create \(keyFile)") }
            _ = text.withCString { write(fd, $0, strlen($0)) }
            close(fd)
            StandardError.write("""
                ************************************************************************
                DEMO ONLY: generated a new master key in \(keyFile).
                It encrypts the api-keys and session keys in \(dataDir)/gateway.sqlite.
                In production, set GATEWAY_MASTER_KEY or --master-key-file yourself.
                ************************************************************************

                """)
        }
        let group = EventLoopGroup()
        let simulator = WeavrSimulator()
        let simulatorAddress = try simulator.start(host: "127.0.0.1", port: simulatorPort, group: group)
        let database = try GatewayStorage.open(dataDir + "/gateway.sqlite")
        let masterKey = try MasterKey.load(fileAt: keyFile)
        let http = try HTTPClient(group: group)
        let services = try await GatewayServices(database: database, masterKey: masterKey, http: http)
        services.startBackgroundTasks()
        let base = "http://127.0.0.1:\(simulatorAddress.port)"
        if let existing = try await services.tenants.get("demo") {
            if existing.weavrBaseURL != base || existing.cardProfiles.transfer == nil {
                _ = try await services.tenants.update("demo", TenantUpdate(weavrBaseURL: base, transferProfile: "401"))
            }
        } else {
            _ = try await services.tenants.create(
                Tenant(id: "demo", name: "Demo tenant", weavrBaseURL: base, cardProfiles: .init(prepaid: ["EUR": "101", "GBP": "102", "USD": "103"], transfer: "401")),
                weavrAPIKey: "sim-demo-api-key"
            )
        }
        var configuration = HTTPServer.Configuration()
        configuration.port = port
        let server = try HTTPServer(configuration: configuration, group: group, responder: GatewayServer.makeRouter(services: services))
        try server.start()
        let url = "http://127.0.0.1:\(server.localAddress!.port)"
        // The simulator sends the demo programme's webhooks to the gateway's receiver for tenant "demo".
        simulator.setWebhookURL(url + "/webhooks/demo", apiKey: "sim-demo-api-key")
        let (adminToken, adminLine) = try AdminTokens.generate(name: "demo-admin")
        var adminConfiguration = HTTPServer.Configuration()
        adminConfiguration.port = adminPort
        let admin = try HTTPServer(configuration: adminConfiguration, group: group,
                                   responder: AdminAPI(services: services, tokens: try AdminTokens(configuration: adminLine)).makeRouter())
        try admin.start()
        let adminURL = "http://127.0.0.1:\(admin.localAddress!.port)"
        StandardOutput.write("""
            weavr-gateway demo
              gateway:   \(url)
              admin API: \(adminURL)  (token for this run: \(adminToken))
              console:   \(adminURL)/admin/console  (sign in with the admin token)
              simulator: \(base)  (Weavr Multi API, demo api-key, users alice@example.com / Password1!)
              webhooks:  the simulator posts Weavr's webhooks to \(url)/webhooks/demo
              data:      \(dataDir)/gateway.sqlite

            Try it:
              TOKEN=$(curl -s -X POST \(url)/v1/auth/login -H 'content-type: application/json' \\
                -d '{"tenant":"demo","email":"alice@example.com","password":"Password1!","mode":"bearer"}' \\
                | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
              curl -s \(url)/v1/me -H "authorization: Bearer $TOKEN"
              # in a second terminal (log in there the same way): Weavr's events live, as the steps below cause them
              curl -N \(url)/v1/events -H "authorization: Bearer $TOKEN"
              curl -s \(url)/v1/cards -H "authorization: Bearer $TOKEN"
              CARD=$(curl -s -X POST \(url)/v1/cards -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \\
                -H "idempotency-key: demo-$RANDOM" -d '{"name":"Demo card","nameOnCard":"Alice Admin","currency":"EUR",
                "billingAddress":{"line1":"1 Main St","city":"London","postCode":"N1 1AA","country":"GB"}}' \\
                | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
              # fund it from the EUR account, buy a coffee at the simulator's test-only merchant, see both
              curl -s -X POST \(url)/v1/transfers -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \
                -d '{"source":{"type":"account","id":"\(Self.demoAccountEUR)"},"destination":{"type":"card","id":"'$CARD'"},"amount":2500,"currency":"EUR"}'
              curl -s -X POST \(base)/_simulator/purchases -H 'content-type: application/json' \
                -d '{"cardId":"'$CARD'","amount":450,"merchantName":"Corner Coffee","merchantCategoryCode":"5814"}'
              curl -s \(url)/v1/cards/$CARD/transactions -H "authorization: Bearer $TOKEN"
              curl -s -X POST \(url)/v1/cards/$CARD/block -H "authorization: Bearer $TOKEN"
              curl -s "\(adminURL)/admin/v1/audit?target=$CARD" -H "authorization: Bearer \(adminToken)"
              curl -s -X POST \(url)/v1/auth/logout -H "authorization: Bearer $TOKEN" -o /dev/null -w '%{http_code}\\n'

            Ctrl-C stops it.

            """)
        let signal = await signals.next()
        StandardError.write("received \(signal), stopping\n")
        admin.beginShutdown()
        await server.shutdown(gracePeriod: .seconds(5))
        await admin.finishShutdown(gracePeriod: .seconds(1))
        await simulator.shutdown()
        await http.shutdown()
        database.close()
        group.shutdown()
        withExtendedLifetime(serveLock) {}
    }

    /// Alice's EUR managed account in the simulator's demo data.
    static let demoAccountEUR = "100000000000000201"
}
