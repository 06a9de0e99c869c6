import Synchronization

/// The decrypted api-keys webhooks are verified with, kept briefly per tenant so that a flood of forged
/// deliveries costs an HMAC each, not a database read and an AES-GCM open. An entry is used only while the store's
/// change counter is where it was (any tenant change by any writer moves it: `StoreChangeWatcher`) and for at most
/// `maxAge` ms. The keys are already in memory in the tenants' Weavr clients; this holds nothing new.
final class WebhookKeyCache: Sendable {
    private struct Entry {
        var apiKey: String
        var generation: Int64
        var storedAt: Int64
    }

    static let maxAge: Int64 = 60_000
    private let entries = Mutex<[String: Entry]>([:])

    func key(for tenantID: String, generation: Int64, now: Int64) -> String? {
        entries.withLock { entries in
            guard let entry = entries[tenantID], entry.generation == generation, now - entry.storedAt < Self.maxAge, now >= entry.storedAt
            else { return nil }
            return entry.apiKey
        }
    }

    func store(_ apiKey: String, for tenantID: String, generation: Int64, now: Int64) {
        entries.withLock { entries in
            if entries.count > 10_000 { entries.removeAll() }
            entries[tenantID] = Entry(apiKey: apiKey, generation: generation, storedAt: now)
        }
    }
}
