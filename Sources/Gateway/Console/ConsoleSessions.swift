import Auth
import GatewayCore
import Synchronization

/// Signed-in console users: server-side rows in memory, known by the SHA-256 of their cookie, each with its own
/// CSRF token. Short-lived (`lifetime`, no sliding), ended by signing out, by removing the admin's token from the
/// tokens file (SIGHUP), or by a restart.
final class ConsoleSessions: Sendable {
    struct Session: Sendable {
        var admin: String
        var csrf: String
        var expiresAt: Int64
    }

    /// How long a console session lives: 30 minutes.
    static let lifetime: Int64 = 30 * 60 * 1000
    private let sessions = Mutex<[String: Session]>([:])
    private let clock: any WallClock

    init(clock: any WallClock) {
        self.clock = clock
    }

    /// A new session for `admin`: the cookie value and the session.
    func open(admin: String) throws -> (cookie: String, session: Session) {
        let cookie = try SecureRandom.hex(32)
        let session = Session(admin: admin, csrf: try SecureRandom.hex(32), expiresAt: clock.now + Self.lifetime)
        let now = clock.now
        sessions.withLock { table in
            table = table.filter { $0.value.expiresAt > now }
            table[SHA256.hexHash(cookie)] = session
        }
        return (cookie, session)
    }

    /// The live session of `cookie`, or nil.
    func session(cookie: String) -> Session? {
        let key = SHA256.hexHash(cookie)
        let now = clock.now
        return sessions.withLock { table in
            guard let session = table[key] else { return nil }
            guard session.expiresAt > now else {
                table[key] = nil
                return nil
            }
            return session
        }
    }

    func close(cookie: String) {
        let key = SHA256.hexHash(cookie)
        sessions.withLock { $0[key] = nil }
    }
}
