#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// An exclusive lock on a side file next to the database (`<database>.lock`), held by the one process that
/// serves from it for as long as the process lives (`flock(2)`; the kernel drops it when the process exits,
/// however it exits).
///
/// Two gateways on one SQLite file are unsupported (in-memory rate limits would double, caches would go
/// stale), so `serve` and `demo` take this lock before opening the database and refuse to start without it.
/// Maintenance commands (`tenant`, `keys`, `audit`, `migrate`) do not take it: they are meant to run beside
/// a live gateway. The file holds the holder's process id, for the message a second process prints.
public final class ServeLock: Sendable {
    /// Why the lock could not be taken.
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// Another process holds the lock; its process id when the file names one.
        case held(lockPath: String, holder: Int32?)
        /// The side file could not be opened or locked (`errno`).
        case unavailable(lockPath: String, errno: Int32)

        public var description: String {
            switch self {
            case .held(let lockPath, let holder):
                let who = holder.map { "process \($0)" } ?? "another process"
                return "\(lockPath) is locked by \(who): another gateway is already serving from this database "
                    + "(two serve processes on one SQLite file are unsupported: stop the other one first)"
            case .unavailable(let lockPath, let code):
                return "cannot lock \(lockPath): \(String(cString: strerror(code)))"
            }
        }
    }

    /// The side file's path.
    public let path: String
    private let descriptor: Int32

    /// The side file of the database at `databasePath`.
    public static func lockPath(forDatabase databasePath: String) -> String {
        databasePath + ".lock"
    }

    /// Takes the lock of the database at `databasePath` without waiting, and writes this process's id into
    /// the side file; throws `Failure.held` when another process has it.
    public static func acquire(forDatabase databasePath: String) throws(Failure) -> ServeLock {
        let path = lockPath(forDatabase: databasePath)
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .unavailable(lockPath: path, errno: errno) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            let holder = code == EWOULDBLOCK ? readHolder(descriptor) : nil
            close(descriptor)
            throw code == EWOULDBLOCK ? .held(lockPath: path, holder: holder) : .unavailable(lockPath: path, errno: code)
        }
        let text = Array("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = text.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        return ServeLock(path: path, descriptor: descriptor)
    }

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    deinit {
        // Closing the descriptor releases the lock; the file stays (removing it would race a new holder).
        close(descriptor)
    }

    /// The process id written by the holder, if the file names one.
    private static func readHolder(_ descriptor: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        let text = String(decoding: buffer[0..<count], as: UTF8.self).trimmingWhitespace
        return Int32(text).flatMap { $0 > 0 ? $0 : nil }
    }
}

private extension String {
    var trimmingWhitespace: String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
