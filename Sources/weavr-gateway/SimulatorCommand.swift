import ArgumentParser
import NIOFreeHTTP
import WeavrSimulator

struct SimulatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulator",
        abstract: "Run the stateful Weavr Multi API simulator (for the demo, tests and benchmarks)."
    )

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free port and prints it).")
    var port = 8081

    @Option(help: "JSON seed file with api-keys, identities, users, cards (format: Sources/WeavrSimulator/README.md). Default: the built-in demo seed.")
    var seed: String?

    @Option(help: "Per-api-key rate limit in requests per minute, answered with Weavr-style 429 (default: off).")
    var rateLimit: Int?

    @Flag(help: "Disable the test-only /_simulator/faults, /_simulator/requests and /_simulator/purchases routes.")
    var noAdminRoutes = false

    @Option(help: "Requests kept for GET /_simulator/requests (0 turns capture off, e.g. for benchmarks).")
    var captureLimit = 1_000

    @Option(help: "Send Weavr's webhooks (card state changes, simulated purchases) for the seed's first programme to this URL, signed with its api-key, e.g. http://127.0.0.1:8080/webhooks/demo. Default: none.")
    var webhookURL: String?

    func validate() throws {
        if let webhookURL, !(webhookURL.hasPrefix("http://") || webhookURL.hasPrefix("https://")) {
            throw ValidationError("--webhook-url must be an http:// or https:// URL.")
        }
        if !(0...65535).contains(port) { throw ValidationError("--port must be 0…65535.") }
        if let rateLimit, rateLimit < 1 { throw ValidationError("--rate-limit must be at least 1.") }
    }

    func run() async throws {
        let signals = ShutdownSignals()
        let seedValue: SimulatorSeed
        if let seed {
            do {
                seedValue = try SimulatorSeed.load(path: seed)
            } catch {
                throw ValidationError("cannot load seed file \(seed): \(error)")
            }
        } else {
            seedValue = .demo
        }
        var configuration = WeavrSimulator.Configuration()
        configuration.rateLimitPerMinute = rateLimit
        configuration.adminRoutesEnabled = !noAdminRoutes
        configuration.capturedRequestLimit = max(0, captureLimit)
        if let webhookURL, let programme = seedValue.programmes.first {
            configuration.webhookURLs[programme.apiKey] = webhookURL
        }
        let simulator = WeavrSimulator(seed: seedValue, configuration: configuration)
        let address: SocketAddress
        do {
            address = try simulator.start(host: host, port: port)
        } catch {
            throw ValidationError("cannot start: \(error)")
        }
        StandardOutput.write("weavr-simulator listening on http://\(address)\n")
        let signal = await signals.next()
        StandardError.write("received \(signal), stopping\n")
        await simulator.shutdown()
    }
}
