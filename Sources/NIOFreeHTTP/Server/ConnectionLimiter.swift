import Synchronization

/// Counts open connections globally and per client IP, shared by every loop of a server.
final class ConnectionLimiter: Sendable {
    enum Decision { case accepted, globalLimit, perIPLimit }

    private struct Counts {
        var total = 0
        var perIP: [String: Int] = [:]
        var maxTotal: Int
        var maxPerIP: Int
    }

    private let counts: Mutex<Counts>

    init(maxTotal: Int, maxPerIP: Int) {
        counts = Mutex(Counts(maxTotal: maxTotal, maxPerIP: maxPerIP))
    }

    /// New caps (a configuration reload); connections already open above them stay open.
    func setLimits(maxTotal: Int, maxPerIP: Int) {
        counts.withLock { counts in
            counts.maxTotal = maxTotal
            counts.maxPerIP = maxPerIP
        }
    }

    func acquire(ip: String) -> Decision {
        counts.withLock { counts in
            if counts.total >= counts.maxTotal { return .globalLimit }
            let current = counts.perIP[ip, default: 0]
            if current >= counts.maxPerIP { return .perIPLimit }
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
