import Synchronization

/// Counts open connections globally and per client IP, shared by every loop of a server.
final class ConnectionLimiter: Sendable {
    enum Decision { case accepted, globalLimit, perIPLimit }

    private struct Counts {
        var total = 0
        var perIP: [String: Int] = [:]
    }

    private let counts = Mutex(Counts())
    let maxTotal: Int
    let maxPerIP: Int

    init(maxTotal: Int, maxPerIP: Int) {
        self.maxTotal = maxTotal
        self.maxPerIP = maxPerIP
    }

    func acquire(ip: String) -> Decision {
        counts.withLock { counts in
            if counts.total >= maxTotal { return .globalLimit }
            let current = counts.perIP[ip, default: 0]
            if current >= maxPerIP { return .perIPLimit }
            counts.total += 1
            counts.perIP[ip] = current + 1
            return .accepted
        }
    }

    func release(ip: String) {
        counts.withLock { counts in
            counts.total -= 1
            let current = counts.perIP[ip, default: 1] - 1
            counts.perIP[ip] = current > 0 ? current : nil
        }
    }

    var openConnections: Int { counts.withLock { $0.total } }
}
