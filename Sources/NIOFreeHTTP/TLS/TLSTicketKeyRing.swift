import COpenSSL
import Synchronization

/// Session-ticket keys of one server ``TLSContext``, rotated lazily on use.
///
/// A new key encrypts tickets every `rotationInterval`; the previous key still decrypts for one
/// more interval (and its tickets are renewed), older tickets fall back to a full handshake.
/// Tickets advertise `rotationInterval` as their lifetime (RFC 8446 §4.6.1), so a ticket never
/// outlives the key that protects it. Keys live only in memory: a restart rotates them all.
final class TLSTicketKeyRing: Sendable {
    /// One ticket key: a 16-byte name (sent in the clear in each ticket) and the secrets.
    struct Key: Sendable {
        let name: [UInt8]
        let aesKey: [UInt8]
        let hmacKey: [UInt8]
        let createdAt: ContinuousClock.Instant
    }

    private struct Keys {
        var current: Key
        var previous: Key?
    }

    let rotationInterval: Duration
    private let keys: Mutex<Keys>

    /// nil if the random generator fails.
    init?(rotationInterval: Duration, now: ContinuousClock.Instant = .now) {
        guard let first = Self.makeKey(now: now) else { return nil }
        self.rotationInterval = rotationInterval
        self.keys = Mutex(Keys(current: first, previous: nil))
    }

    /// The key for a new ticket, rotating first if the current one is due.
    func encryptionKey(now: ContinuousClock.Instant = .now) -> Key {
        keys.withLock { keys in
            rotateIfDue(&keys, now: now)
            return keys.current
        }
    }

    /// The key named in a presented ticket and whether it is the current one; nil when unknown or expired.
    func decryptionKey(named name: [UInt8], now: ContinuousClock.Instant = .now) -> (key: Key, isCurrent: Bool)? {
        keys.withLock { keys in
            rotateIfDue(&keys, now: now)
            if keys.current.name == name { return (keys.current, true) }
            if let previous = keys.previous, previous.name == name { return (previous, false) }
            return nil
        }
    }

    private func rotateIfDue(_ keys: inout Keys, now: ContinuousClock.Instant) {
        let age = keys.current.createdAt.duration(to: now)
        guard age >= rotationInterval else { return }
        // Idle for two intervals or more: the current key's tickets have all expired too.
        let previous = age >= rotationInterval * 2 ? nil : keys.current
        // If the random generator fails, keep the old key rather than issue no tickets.
        guard let next = Self.makeKey(now: now) else { return }
        keys = Keys(current: next, previous: previous)
    }

    private static func makeKey(now: ContinuousClock.Instant) -> Key? {
        var name = [UInt8](repeating: 0, count: 16)
        var aesKey = [UInt8](repeating: 0, count: 32)
        var hmacKey = [UInt8](repeating: 0, count: 32)
        guard RAND_bytes(&name, 16) == 1, RAND_bytes(&aesKey, 32) == 1, RAND_bytes(&hmacKey, 32) == 1 else {
            return nil
        }
        return Key(name: name, aesKey: aesKey, hmacKey: hmacKey, createdAt: now)
    }

    /// `SSL_CTX` ex-data slot holding the (unretained) ring; the TLSContext keeps it alive.
    static let exDataIndex: Int32 = wg_SSL_CTX_get_ex_new_index()

    /// Installs `self` as `ctx`'s ticket key callback.
    func install(on ctx: OpaquePointer) -> Bool {
        guard Self.exDataIndex >= 0,
              SSL_CTX_set_ex_data(ctx, Self.exDataIndex, Unmanaged.passUnretained(self).toOpaque()) == 1
        else { return false }
        _ = SSL_CTX_set_timeout(ctx, Int(rotationInterval.components.seconds))
        return SSL_CTX_set_tlsext_ticket_key_evp_cb(ctx, Self.callback) == 1
    }

    /// `SSL_CTX_set_tlsext_ticket_key_evp_cb`: enc 1 → fill name + IV, return 1;
    /// enc 0 → 1 (current key), 2 (older key: decrypt and renew), 0 (unknown: full handshake), -1 error.
    private static let callback: @convention(c) (
        OpaquePointer?, UnsafeMutablePointer<UInt8>?, UnsafeMutablePointer<UInt8>?,
        OpaquePointer?, OpaquePointer?, Int32
    ) -> Int32 = { ssl, name, iv, cipher, mac, enc in
        guard let ssl, let name, let iv, let cipher, let mac,
              let ctx = SSL_get_SSL_CTX(ssl),
              let raw = SSL_CTX_get_ex_data(ctx, TLSTicketKeyRing.exDataIndex)
        else { return -1 }
        let ring = Unmanaged<TLSTicketKeyRing>.fromOpaque(raw).takeUnretainedValue()
        if enc == 1 {
            let key = ring.encryptionKey()
            guard RAND_bytes(iv, 16) == 1 else { return -1 }
            for i in 0..<16 { name[i] = key.name[i] }
            return wg_ticket_crypto_init(cipher, mac, key.aesKey, key.hmacKey, iv, 1) == 1 ? 1 : -1
        }
        let presented = Array(UnsafeBufferPointer(start: name, count: 16))
        guard let (key, isCurrent) = ring.decryptionKey(named: presented) else { return 0 }
        guard wg_ticket_crypto_init(cipher, mac, key.aesKey, key.hmacKey, iv, 0) == 1 else { return -1 }
        return isCurrent ? 1 : 2
    }
}
