import Glibc
@testable import NIOFreeHTTP

/// A TCP listener on `127.0.0.1`, port chosen by the kernel, for tests that point an
/// external client (`openssl s_client`) at a ``TLSSession``.
final class LoopbackListener {
    let fd: Int32
    let port: UInt16

    init() throws {
        TLSPair.ignoreSIGPIPE
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TLSError(message: "socket failed: errno \(errno)") }
        self.fd = fd
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && listen(fd, 8) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else {
            close(fd)
            throw TLSError(message: "bind/listen failed: errno \(errno)")
        }
        port = UInt16(bigEndian: address.sin_port)
    }

    deinit {
        close(fd)
    }

    /// Accepts one connection within `timeoutMilliseconds`; the socket is non-blocking.
    func accept(timeoutMilliseconds: Int32 = 10_000) -> Int32? {
        guard Self.wait(fd: fd, events: Int16(POLLIN), timeoutMilliseconds: timeoutMilliseconds) else { return nil }
        let connection = Glibc.accept(fd, nil, nil)
        guard connection >= 0 else { return nil }
        _ = fcntl(connection, F_SETFL, fcntl(connection, F_GETFL) | O_NONBLOCK)
        return connection
    }

    /// Waits until `fd` has `events`; false on timeout.
    static func wait(fd: Int32, events: Int16, timeoutMilliseconds: Int32) -> Bool {
        var descriptor = pollfd(fd: fd, events: events, revents: 0)
        return poll(&descriptor, 1, timeoutMilliseconds) > 0
    }

    /// Runs `operation` until it stops asking to wait, polling `fd` for what it wants.
    /// Gives up (returning the last in-progress result) after `timeoutMilliseconds` without progress.
    static func drive(
        fd: Int32, timeoutMilliseconds: Int32 = 10_000, _ operation: () -> TLSSession.IOResult
    ) -> TLSSession.IOResult {
        while true {
            let result = operation()
            switch result {
            case .wantRead:
                if !wait(fd: fd, events: Int16(POLLIN), timeoutMilliseconds: timeoutMilliseconds) { return result }
            case .wantWrite:
                if !wait(fd: fd, events: Int16(POLLOUT), timeoutMilliseconds: timeoutMilliseconds) { return result }
            default:
                return result
            }
        }
    }
}
