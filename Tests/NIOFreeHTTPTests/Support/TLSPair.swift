import Glibc
@testable import NIOFreeHTTP

/// A server and a client ``TLSSession`` over a non-blocking `socketpair(AF_UNIX, SOCK_STREAM)`,
/// driven ping-pong on the test's thread (no event loop needed: each side's `wantRead` is
/// satisfied by the other side's next step).
final class TLSPair {
    let server: TLSSession
    let client: TLSSession
    let serverFD: Int32
    private(set) var clientFD: Int32

    /// Counters from ``transfer(_:from:to:readChunk:)``.
    struct TransferStats {
        var received: [UInt8] = []
        var partialWrites = 0
        var wantWrites = 0
        var failure: TLSSession.IOResult?
    }

    convenience init(
        server serverConfiguration: TLSConfiguration,
        client clientConfiguration: TLSConfiguration,
        serverName: String = "localhost"
    ) throws {
        try self.init(
            serverContext: TLSContext.makeServer(serverConfiguration),
            clientContext: TLSContext.makeClient(clientConfiguration),
            serverName: serverName)
    }

    init(serverContext: TLSContext, clientContext: TLSContext, serverName: String = "localhost") throws {
        Self.ignoreSIGPIPE
        var fds: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds) == 0 else {
            throw TLSError(message: "socketpair failed: errno \(errno)")
        }
        for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        serverFD = fds[0]
        clientFD = fds[1]
        do {
            server = try serverContext.makeServerSession(fd: serverFD)
            client = try clientContext.makeClientSession(fd: clientFD, serverName: serverName)
        } catch {
            close(fds[0])
            close(fds[1])
            throw error
        }
    }

    deinit {
        close(serverFD)
        if clientFD >= 0 { close(clientFD) }
    }

    /// A process that writes to a closed socket must not die of SIGPIPE.
    static let ignoreSIGPIPE: Void = {
        _ = signal(SIGPIPE, SIG_IGN)
    }()

    /// Closes the client's socket without `close_notify` (a peer that just drops TCP).
    func closeClientSocket() {
        close(clientFD)
        clientFD = -1
    }

    /// Steps both handshakes until each side is done, failed or closed (or `maxSteps` pass).
    func handshake(maxSteps: Int = 500) -> (server: TLSSession.IOResult, client: TLSSession.IOResult) {
        var serverResult = TLSSession.IOResult.wantRead
        var clientResult = TLSSession.IOResult.wantRead
        for _ in 0..<maxSteps {
            if clientResult.isInProgress { clientResult = client.handshake() }
            if serverResult.isInProgress { serverResult = server.handshake() }
            if !serverResult.isInProgress, !clientResult.isInProgress { break }
        }
        return (serverResult, clientResult)
    }

    /// Sends `payload` from `writer` to `reader`, alternating non-blocking writes (retrying
    /// with the unsent rest) and reads of at most `readChunk` bytes until the reader wants more.
    func transfer(_ payload: [UInt8], from writer: TLSSession, to reader: TLSSession, readChunk: Int = 65_536)
        -> TransferStats
    {
        var stats = TransferStats()
        var offset = 0
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: readChunk, alignment: 1)
        defer { buffer.deallocate() }
        for _ in 0..<1_000_000 where stats.received.count < payload.count {
            if offset < payload.count {
                let result = payload.withUnsafeBytes { writer.write(UnsafeRawBufferPointer(rebasing: $0[offset...])) }
                switch result {
                case .done(let count):
                    if count < payload.count - offset { stats.partialWrites += 1 }
                    offset += count
                case .wantWrite:
                    stats.wantWrites += 1
                case .wantRead:
                    break
                default:
                    stats.failure = result
                    return stats
                }
            }
            reading: while true {
                let result = reader.read(into: buffer)
                switch result {
                case .done(let count):
                    stats.received.append(contentsOf: buffer.prefix(count))
                case .wantRead:
                    break reading
                default:
                    stats.failure = result
                    return stats
                }
            }
        }
        return stats
    }
}

extension TLSSession.IOResult {
    /// `wantRead` / `wantWrite`: the operation must be called again.
    var isInProgress: Bool {
        self == .wantRead || self == .wantWrite
    }

    /// The message of a `.failed` result, else `""`.
    var failureMessage: String {
        if case .failed(let message) = self { return message }
        return ""
    }
}
