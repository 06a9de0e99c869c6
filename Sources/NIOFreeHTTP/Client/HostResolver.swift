import Glibc
import Synchronization

/// Resolves host names off the loop (getaddrinfo blocks), with a short cache. Numeric addresses and
/// "localhost" are answered at once.
enum HostResolver {
    private static let cache = Mutex<[String: (address: String, expires: UInt64)]>([:])
    private static let ttl: UInt64 = 60_000_000_000

    static func resolve(_ host: String, on loop: EventLoop, _ done: @escaping (Result<String, ResolveError>) -> Void) {
        if host == "localhost" { return done(.success("127.0.0.1")) }
        var probe4 = in_addr()
        var probe6 = in6_addr()
        if inet_pton(AF_INET, host, &probe4) == 1 || inet_pton(AF_INET6, host, &probe6) == 1 {
            return done(.success(host))
        }
        let now = EventLoop.monotonicNanoseconds()
        if let cached = cache.withLock({ $0[host] }), cached.expires > now {
            return done(.success(cached.address))
        }
        let box = ResolutionBox(host: host, loop: loop, done: done)
        let raw = Unmanaged.passRetained(box).toOpaque()
        var thread = pthread_t()
        let rc = pthread_create(&thread, nil, { raw in
            let box = Unmanaged<ResolutionBox>.fromOpaque(raw!).takeRetainedValue()
            let result = HostResolver.lookup(box.host)
            if case .success(let address) = result {
                HostResolver.cache.withLock { $0[box.host] = (address, EventLoop.monotonicNanoseconds() &+ HostResolver.ttl) }
            }
            box.loop.execute { box.done(result) }
            return nil
        }, raw)
        if rc == 0 {
            pthread_detach(thread)
        } else {
            Unmanaged<ResolutionBox>.fromOpaque(raw).release()
            done(.failure(ResolveError(message: "cannot start resolver thread")))
        }
    }

    private static func lookup(_ host: String) -> Result<String, ResolveError> {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_family = AF_UNSPEC
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, nil, &hints, &list)
        guard rc == 0, let first = list else {
            return .failure(ResolveError(message: "cannot resolve host"))
        }
        defer { freeaddrinfo(list) }
        var node: UnsafeMutablePointer<addrinfo>? = first
        while let current = node {
            if let address = current.pointee.ai_addr {
                var storage = sockaddr_storage()
                memcpy(&storage, address, Int(current.pointee.ai_addrlen))
                if let decoded = SocketAddress(&storage) { return .success(decoded.host) }
            }
            node = current.pointee.ai_next
        }
        return .failure(ResolveError(message: "no address for host"))
    }

    struct ResolveError: Error {
        var message: String
    }

    private final class ResolutionBox: @unchecked Sendable {
        let host: String
        let loop: EventLoop
        let done: (Result<String, ResolveError>) -> Void
        init(host: String, loop: EventLoop, done: @escaping (Result<String, ResolveError>) -> Void) {
            self.host = host
            self.loop = loop
            self.done = done
        }
    }
}
