import CSystem
import Glibc

/// Keep-alive connections to one origin on one loop, and the requests waiting for one.
final class HTTPClientPool {
    let origin: HTTPOrigin
    let loop: EventLoop
    unowned let client: HTTPClient
    private var idle: [HTTPClientConnection] = []
    private var waiters: [PendingClientRequest] = []
    private var waitersStart = 0
    /// Every open (or opening) connection: the pool owns them.
    private var connections: [ObjectIdentifier: HTTPClientConnection] = [:]
    var openCount: Int { connections.count }

    init(origin: HTTPOrigin, loop: EventLoop, client: HTTPClient) {
        self.origin = origin
        self.loop = loop
        self.client = client
    }

    private var configuration: HTTPClient.Configuration { client.configuration }

    func submit(_ request: PendingClientRequest) {
        if request.timer == nil {
            request.timer = loop.schedule(at: request.deadline) { [unowned self] in
                self.expire(request)
            }
        }
        while let connection = idle.popLast() {
            if connection.isUsable {
                connection.send(request)
                return
            }
            connection.close()
        }
        if openCount < configuration.maxConnectionsPerOrigin {
            openConnection(for: request)
            return
        }
        guard waiters.count - waitersStart < configuration.maxWaiters else {
            return request.finish(.failure(.poolExhausted), loop: loop)
        }
        waiters.append(request)
    }

    private func openConnection(for request: PendingClientRequest) {
        let connection = HTTPClientConnection(pool: self)
        connections[ObjectIdentifier(connection)] = connection
        request.connection = connection
        connection.connect(then: request)
    }

    /// A connection finished its request and can take another.
    func connectionIdle(_ connection: HTTPClientConnection) {
        while waitersStart < waiters.count {
            let next = waiters[waitersStart]
            waitersStart += 1
            compactWaiters()
            if next.isFinished { continue }
            connection.send(next)
            return
        }
        idle.append(connection)
    }

    /// A connection is gone (closed, failed, timed out).
    func connectionClosed(_ connection: HTTPClientConnection) {
        connections[ObjectIdentifier(connection)] = nil
        idle.removeAll { $0 === connection }
        // Someone waiting can now have a new connection.
        while waitersStart < waiters.count, openCount < configuration.maxConnectionsPerOrigin {
            let next = waiters[waitersStart]
            waitersStart += 1
            compactWaiters()
            if next.isFinished { continue }
            openConnection(for: next)
        }
    }

    private func compactWaiters() {
        if waitersStart == waiters.count {
            waiters.removeAll(keepingCapacity: true)
            waitersStart = 0
        }
    }

    private func expire(_ request: PendingClientRequest) {
        guard !request.isFinished else { return }
        request.timer = nil
        if let connection = request.connection {
            connection.abort(request, with: connection.isConnecting ? .connectTimeout : .timeout)
        } else {
            request.finish(.failure(.timeout), loop: loop)
        }
    }

    /// Closes idle connections past the idle timeout.
    func sweep(now: UInt64) {
        let limit = configuration.idleTimeout.nanoseconds
        for connection in idle where now &- connection.idleSince > limit {
            connection.close()
        }
    }

    func closeAll() {
        let waiting = waiters[waitersStart...]
        waiters.removeAll()
        waitersStart = 0
        for request in waiting { request.finish(.failure(.shutdown), loop: loop) }
        for connection in Array(connections.values) { connection.close() }
        idle.removeAll()
    }
}
