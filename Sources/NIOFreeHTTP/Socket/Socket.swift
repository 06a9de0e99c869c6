import CSystem
import Glibc

/// Small wrappers over the socket calls the server and client need.
enum Socket {
    /// A non-blocking listening socket with SO_REUSEADDR and SO_REUSEPORT, bound to `address`.
    static func listen(on address: SocketAddress, backlog: Int32) throws(SocketError) -> Int32 {
        let fd = socket(address.family, csys_SOCK_STREAM | csys_SOCK_NONBLOCK_CLOEXEC, 0)
        guard fd >= 0 else { throw SocketError("socket") }
        _ = csys_set_int_option(fd, SOL_SOCKET, SO_REUSEADDR, 1)
        // One listener per loop on the same port; the kernel spreads connections across them.
        _ = csys_set_int_option(fd, SOL_SOCKET, SO_REUSEPORT, 1)
        if address.family == AF_INET6 { _ = csys_set_int_option(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, 1) }
        let rc = address.withSockAddr { bind(fd, $0, $1) }
        guard let rc else {
            close(fd)
            throw SocketError("bind (not a numeric address: \(address.host))", code: EINVAL)
        }
        guard rc == 0 else {
            let code = errno
            close(fd)
            throw SocketError("bind \(address)", code: code)
        }
        guard Glibc.listen(fd, backlog) == 0 else {
            let code = errno
            close(fd)
            throw SocketError("listen", code: code)
        }
        return fd
    }

    /// The locally bound address of `fd`.
    static func localAddress(_ fd: Int32) -> SocketAddress? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let rc = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard rc == 0 else { return nil }
        return SocketAddress(&storage)
    }

    static func setNoDelay(_ fd: Int32) {
        _ = csys_set_int_option(fd, Int32(IPPROTO_TCP), TCP_NODELAY, 1)
    }
}
