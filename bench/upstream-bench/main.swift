import Foundation
import NIOFreeHTTP
import Upstream
import WeavrSimulator

// upstream-bench: drives `WeavrClient.getCard` against the Weavr simulator and reports throughput.
//
//   upstream-bench serve [--port P]                      start the demo simulator, print "port=P", run until killed
//   upstream-bench run [--url U] [--concurrency N] [--duration D] [--card ID]
//                                                        N concurrent getCard loops for D seconds through WeavrClient;
//                                                        without --url an in-process simulator is started

struct Options {
    var mode = "run"
    var url: String?
    var port = 0
    var concurrency = 32
    var duration = 10.0
    var card = "100000000000000301"

    init(_ arguments: [String]) {
        var rest = arguments.dropFirst()
        if let first = rest.first, !first.hasPrefix("--") {
            mode = first
            rest = rest.dropFirst()
        }
        while let name = rest.popFirst() {
            let value = rest.popFirst() ?? ""
            switch name {
            case "--url": url = value
            case "--port": port = Int(value) ?? 0
            case "--concurrency": concurrency = max(1, Int(value) ?? 32)
            case "--duration": duration = max(0.5, Double(value) ?? 10)
            case "--card": card = value
            default:
                FileHandle.standardError.write(Data("unknown option \(name)\n".utf8))
                exit(2)
            }
        }
    }
}

let options = Options(CommandLine.arguments)

switch options.mode {
case "serve":
    let simulator = WeavrSimulator(seed: .demo)
    let address = try simulator.start(host: "127.0.0.1", port: options.port)
    FileHandle.standardOutput.write(Data("port=\(address.port)\n".utf8))
    while true { sleep(3600) }
case "run":
    var simulator: WeavrSimulator?
    var baseURL = options.url ?? ""
    if options.url == nil {
        let started = WeavrSimulator(seed: .demo)
        baseURL = "http://127.0.0.1:\(try started.start(host: "127.0.0.1", port: 0).port)"
        simulator = started
    }
    let group = EventLoopGroup(threads: 1)
    let http = try HTTPClient(group: group)
    let client = WeavrClient(baseURL: baseURL, apiKey: "sim-demo-api-key", http: http)
    let token = try await client.loginWithPassword(email: "alice@example.com", password: "Password1!").value.token
    let deadline = ContinuousClock.now + .milliseconds(Int(options.duration * 1000))
    let start = ContinuousClock.now
    let (ok, failed) = await withTaskGroup(of: (Int, Int).self) { tasks in
        for _ in 0..<options.concurrency {
            tasks.addTask {
                var ok = 0
                var failed = 0
                while ContinuousClock.now < deadline {
                    do {
                        _ = try await client.getCard(token: token, id: options.card)
                        ok += 1
                    } catch {
                        failed += 1
                    }
                }
                return (ok, failed)
            }
        }
        var total = (0, 0)
        for await (ok, failed) in tasks { total = (total.0 + ok, total.1 + failed) }
        return total
    }
    let elapsed = ContinuousClock.now - start
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    print(String(format: "upstream-bench: %d ok, %d failed in %.2f s: %.0f req/s, concurrency %d, connections opened %d",
                 ok, failed, seconds, Double(ok) / seconds, options.concurrency, http.connectionsOpened))
    await http.shutdown()
    group.shutdown()
    await simulator?.shutdown()
default:
    FileHandle.standardError.write(Data("usage: upstream-bench serve|run [options]\n".utf8))
    exit(2)
}
