@testable import NIOFreeHTTP
import Testing

/// The server connection's state machine without sockets: event sequences in, the actions a connection would
/// perform out. After every event but the parser's, the driver asks `.proceed` until `.wait`, as
/// `HTTPServerConnection.drive` does.
struct ServerConnectionMachineTests {
    typealias Machine = HTTPServerConnectionMachine<String>
    typealias Event = Machine.Event

    static let second: UInt64 = 1_000_000_000
    static let limits = Machine.Limits(
        maxPipelineDepth: 2, headerTimeout: 10 * second, keepAliveTimeout: 60 * second, bodyGracePeriod: 5 * second,
        minBodyBytesPerSecond: 1024, writeTimeout: 30 * second, lingerTimeout: 2 * second
    )

    /// One row of the table: a name, the events, and the actions expected (`.wait` left out).
    struct Script: Sendable, CustomTestStringConvertible {
        var name: String
        var tls = false
        var events: [Event]
        var actions: [String]
        var testDescription: String { name }
    }

    static func describe(_ action: Machine.Action) -> String? {
        switch action {
        case .wait, .continueParsing: nil
        case .pauseParsing: "pause"
        case .writeContinue: "100"
        case .start(let request): "start \(request)"
        case .resumeParsing: "resume"
        case .writeError(let error): "error \(error.status)"
        case .lingerClose: "linger"
        case .close: "close"
        }
    }

    /// Runs `script` and returns the machine and the actions it asked for.
    static func run(_ script: Script) -> (Machine, [String]) {
        var machine = Machine(limits: limits, acceptedAt: 0, tls: script.tls)
        var log: [String] = []
        for event in script.events {
            if let text = describe(machine.nextAction(event)) { log.append(text) }
            switch event {
            case .headParsed, .requestParsed: continue
            default: break
            }
            while true {
                let action = machine.nextAction(.proceed)
                guard let text = describe(action) else { break }
                log.append(text)
            }
        }
        return (machine, log)
    }

    /// A request parsed in one read, then the connection drives.
    static func request(_ name: String, keepAlive: Bool = true, at now: UInt64 = 1) -> [Event] {
        [.headStarted(now: now), .headParsed(expectsContinue: false, now: now), .requestParsed(name, keepAlive: keepAlive, now: now), .proceed]
    }

    static let done = Event.responseWritten(keepAlive: true, now: 2)
    static let doneClosing = Event.responseWritten(keepAlive: false, now: 2)
    static let flushed = Event.flushed(now: 3)

    static let scripts: [Script] = [
        Script(name: "one keep-alive request", events: request("a") + [done, flushed], actions: ["start a"]),
        Script(
            name: "pipelined requests are started one at a time, in order",
            events: [.requestParsed("a", keepAlive: true, now: 1), .proceed, .requestParsed("b", keepAlive: true, now: 1), .proceed, done, done, done],
            actions: ["start a", "start b"]
        ),
        Script(
            name: "a full pipeline pauses parsing until every queued request is answered",
            events: [.requestParsed("a", keepAlive: true, now: 1), .requestParsed("b", keepAlive: true, now: 1), .proceed, done, done],
            actions: ["pause", "start a", "start b", "resume"]
        ),
        Script(
            name: "Connection: close pauses parsing and closes after the response",
            events: request("a", keepAlive: false) + [doneClosing, flushed],
            actions: ["pause", "start a", "linger"]
        ),
        Script(
            name: "a parse error is answered after the requests before it",
            events: [.requestParsed("a", keepAlive: true, now: 1), .parseFailed(HTTPParseError(status: 400, reason: "x")), done, flushed],
            actions: ["start a", "error 400", "linger"]
        ),
        Script(
            name: "a limit error on an idle connection is answered at once",
            events: [.headStarted(now: 1), .parseFailed(HTTPParseError(status: 431, reason: "x")), flushed],
            actions: ["error 431", "linger"]
        ),
        Script(
            name: "an error after a response that closes is never written",
            events: [.requestParsed("a", keepAlive: true, now: 1), .parseFailed(HTTPParseError(status: 400, reason: "x")), doneClosing, flushed],
            actions: ["start a", "linger"]
        ),
        Script(
            name: "100 Continue only when nothing is owed",
            events: [.headParsed(expectsContinue: true, now: 1), .requestParsed("a", keepAlive: true, now: 1), .proceed,
                     .headParsed(expectsContinue: true, now: 1)],
            actions: ["100", "start a"]
        ),
        Script(
            name: "EOF on an idle connection closes it",
            events: [.peerClosed],
            actions: ["close"]
        ),
        Script(
            name: "EOF with a request in flight answers it, drops the queued ones, then closes",
            events: [.requestParsed("a", keepAlive: true, now: 1), .requestParsed("b", keepAlive: true, now: 1), .proceed, .peerClosed, doneClosing, flushed],
            actions: ["pause", "start a", "linger"]
        ),
        Script(
            name: "shutdown closes an idle connection",
            events: request("a") + [done, .drain],
            actions: ["start a", "close"]
        ),
        Script(
            name: "shutdown waits for the request in flight",
            events: request("a") + [.drain, doneClosing, flushed],
            actions: ["start a", "linger"]
        ),
        Script(
            name: "a new connection without a head closes after the header timeout",
            events: [.tick(now: 9 * second, bodyBytes: 0, writeIdleSince: nil), .tick(now: 11 * second, bodyBytes: 0, writeIdleSince: nil)],
            actions: ["close"]
        ),
        Script(
            name: "a head not complete within the header timeout gets 408",
            events: request("a") + [done, .headStarted(now: 20 * second), .tick(now: 29 * second, bodyBytes: 0, writeIdleSince: nil),
                                   .tick(now: 31 * second, bodyBytes: 0, writeIdleSince: nil), flushed],
            actions: ["start a", "error 408", "linger"]
        ),
        Script(
            name: "a body slower than the minimum rate gets 408 after the grace period",
            events: [.headStarted(now: 0), .headParsed(expectsContinue: false, now: 0),
                     .tick(now: 6 * second, bodyBytes: 2048, writeIdleSince: nil),
                     .tick(now: 8 * second, bodyBytes: 2048, writeIdleSince: nil)],
            actions: ["error 408"]
        ),
        Script(
            name: "an idle keep-alive connection closes after the keep-alive timeout, not the header timeout",
            events: request("a") + [done, .tick(now: 30 * second, bodyBytes: 0, writeIdleSince: nil),
                                   .tick(now: 63 * second, bodyBytes: 0, writeIdleSince: nil)],
            actions: ["start a", "close"]
        ),
        Script(
            name: "no input timeout while a request is in flight; a stalled write closes",
            events: request("a") + [.tick(now: 100 * second, bodyBytes: 0, writeIdleSince: nil),
                                   .tick(now: 100 * second, bodyBytes: 0, writeIdleSince: 50 * second)],
            actions: ["start a", "close"]
        ),
        Script(
            name: "lingering ends at its deadline",
            events: [.parseFailed(HTTPParseError(status: 400, reason: "x")), flushed,
                     .tick(now: 4 * second, bodyBytes: 0, writeIdleSince: nil), .tick(now: 6 * second, bodyBytes: 0, writeIdleSince: nil)],
            actions: ["error 400", "linger", "close"]
        ),
        Script(
            name: "a TLS handshake must finish within the header timeout",
            tls: true,
            events: [.tick(now: 11 * second, bodyBytes: 0, writeIdleSince: nil)],
            actions: ["close"]
        ),
        Script(
            name: "after the handshake, requests are read",
            tls: true,
            events: [.handshakeDone] + request("a") + [done],
            actions: ["start a"]
        ),
        Script(
            name: "plain HTTP on the TLS port is refused and closed",
            tls: true,
            events: [.refused, flushed],
            actions: ["linger"]
        ),
    ]

    @Test(arguments: scripts)
    func eventSequencesGiveTheseActions(_ script: Script) {
        let (_, actions) = Self.run(script)
        #expect(actions == script.actions)
    }

    @Test func keepAliveNeedsTheRequestsConsentNoDrainAndAnOpenInput() {
        var machine = Machine(limits: Self.limits, acceptedAt: 0, tls: false)
        #expect(machine.keepsAlive(requested: true, draining: false))
        // HTTP/1.0 without keep-alive, or Connection: close (the parser's keepAlive is false).
        #expect(!machine.keepsAlive(requested: false, draining: false))
        #expect(!machine.keepsAlive(requested: true, draining: true))
        _ = machine.nextAction(.requestParsed("a", keepAlive: true, now: 1))
        _ = machine.nextAction(.proceed)
        _ = machine.nextAction(.peerClosed)
        #expect(!machine.keepsAlive(requested: true, draining: false))
    }

    @Test func statesFollowTheRequest() {
        var machine = Machine(limits: Self.limits, acceptedAt: 0, tls: false)
        #expect(machine.state == .reading(.idle(since: 0, fresh: true)))
        #expect(machine.isIdle && machine.wantsInput)
        _ = machine.nextAction(.headStarted(now: 5))
        // The first head's timer runs from the accept.
        #expect(machine.state == .reading(.head(since: 0)))
        _ = machine.nextAction(.headParsed(expectsContinue: false, now: 6))
        #expect(machine.state == .reading(.body(since: 6)))
        _ = machine.nextAction(.requestParsed("a", keepAlive: true, now: 7))
        #expect(machine.queuedCount == 1 && !machine.isIdle)
        #expect(machine.nextAction(.proceed) == .start("a"))
        #expect(machine.inFlight)
        _ = machine.nextAction(.responseWritten(keepAlive: true, now: 8))
        #expect(machine.state == .reading(.idle(since: 8, fresh: false)))
        _ = machine.nextAction(.headStarted(now: 9))
        #expect(machine.state == .reading(.head(since: 9)))
        _ = machine.nextAction(.parseFailed(HTTPParseError(status: 400, reason: "x")))
        #expect(machine.state == .closing(error: HTTPParseError(status: 400, reason: "x")))
        #expect(!machine.wantsInput)
        #expect(machine.nextAction(.proceed) == .writeError(HTTPParseError(status: 400, reason: "x")))
        #expect(machine.state == .finishing)
        #expect(machine.nextAction(.flushed(now: 10)) == .lingerClose)
        #expect(machine.state == .lingering(until: 10 + Self.limits.lingerTimeout))
        _ = machine.nextAction(.closed)
        #expect(machine.state == .closed && !machine.isOpen)
    }
}
