import Glibc

/// One IPv4 TCP socket as the kernel lists it in `/proc/net/tcp`: what a test can observe about a
/// connection whose descriptor it does not hold (the server's end, or a pooled client connection).
public struct TCPSocket: Sendable, Equatable {
    /// The kernel's TCP states (`include/net/tcp_states.h`).
    public enum State: Int, Sendable {
        case established = 1, synSent, synReceived, finWait1, finWait2, timeWait, close, closeWait, lastAck, listen, closing, newSynReceived
    }

    public var localPort: Int
    public var remotePort: Int
    public var state: State?
    /// Bytes written but not yet acknowledged by the peer (`tx_queue`).
    public var sendQueue: Int
    /// Bytes received but not yet read by the application (`rx_queue`).
    public var receiveQueue: Int
}

/// The kernel's IPv4 TCP socket table (Linux `/proc/net/tcp`, this network namespace).
public enum TCPSocketTable {
    /// Every socket listed now.
    public static func sockets() -> [TCPSocket] {
        let text = String(decoding: readAll("/proc/net/tcp"), as: UTF8.self)
        return text.split(separator: "\n").dropFirst().compactMap(parse)
    }

    /// The sockets whose local port is `localPort` and (when given) whose peer's port is `remotePort`.
    public static func sockets(localPort: Int, remotePort: Int? = nil) -> [TCPSocket] {
        sockets().filter { $0.localPort == localPort && (remotePort == nil || $0.remotePort == remotePort) }
    }

    /// The sockets connected to a peer on `remotePort` (the client ends of connections to a server there).
    public static func sockets(remotePort: Int) -> [TCPSocket] {
        sockets().filter { $0.remotePort == remotePort }
    }

    // `  0: 0100007F:B4D3 0100007F:1F90 01 00000000:00000000 ...` — addresses and ports, state, queues, in hex.
    private static func parse(_ line: Substring) -> TCPSocket? {
        let fields = line.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count >= 5 else { return nil }
        let local = fields[1].split(separator: ":")
        let remote = fields[2].split(separator: ":")
        let queues = fields[4].split(separator: ":")
        guard local.count == 2, remote.count == 2, queues.count == 2,
              let localPort = Int(local[1], radix: 16), let remotePort = Int(remote[1], radix: 16),
              let state = Int(fields[3], radix: 16),
              let sendQueue = Int(queues[0], radix: 16), let receiveQueue = Int(queues[1], radix: 16)
        else { return nil }
        return TCPSocket(localPort: localPort, remotePort: remotePort, state: TCPSocket.State(rawValue: state), sendQueue: sendQueue, receiveQueue: receiveQueue)
    }

    /// procfs files report size 0: read to the end.
    private static func readAll(_ path: String) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return [] }
        defer { close(fd) }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return out }
            out.append(contentsOf: buffer[0..<n])
        }
    }
}
