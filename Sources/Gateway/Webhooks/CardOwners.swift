import GatewayCore
import Storage
import Synchronization

/// Which identity owns which card, as the gateway has seen it (migration 14): Weavr's card webhooks do not all
/// name an owner (a state change names none), so the receiver looks the card up here to stream the event to the
/// right identity (docs/ARCHITECTURE.md, "Weavr's events"). Learned from the cards a session issues, lists or
/// reads; written once per card and owner (a bounded in-memory set skips the known ones), never on a hot path
/// twice. A card the gateway never saw is audited and logged but streamed to nobody.
final class CardOwners: Sendable {
    private let database: Database
    private let clock: any WallClock
    private struct Key: Hashable {
        var tenantID: String
        var cardID: String
        var identityID: String
    }

    private let known = Mutex<Set<Key>>([])
    /// The most (tenant, card, owner) triples remembered in memory before the set starts over.
    static let memoryLimit = 100_000

    init(database: Database, clock: any WallClock) {
        self.database = database
        self.clock = clock
    }

    /// `remember` for one card (a card read): a card already known costs one set lookup and nothing else.
    func remember(tenantID: String, identityType: String, identityID: String, cardID: String) async {
        if known.withLock({ $0.contains(Key(tenantID: tenantID, cardID: cardID, identityID: identityID)) }) { return }
        await remember(tenantID: tenantID, identityType: identityType, identityID: identityID, cardIDs: [cardID])
    }

    /// Records that `identity` owns `cardIDs` in `tenantID` (those not already known). Never throws: a failed
    /// write only means a later webhook may not be streamed, and the next sight of the card tries again.
    func remember(tenantID: String, identityType: String, identityID: String, cardIDs: [String]) async {
        let fresh: [String] = known.withLock { known in
            var fresh: [String] = []
            for card in cardIDs {
                let key = Key(tenantID: tenantID, cardID: card, identityID: identityID)
                guard !known.contains(key) else { continue }
                if known.count >= Self.memoryLimit { known.removeAll(keepingCapacity: true) }
                known.insert(key)
                fresh.append(card)
            }
            return fresh
        }
        guard !fresh.isEmpty else { return }
        let now = clock.now
        let type = identityType.lowercased()
        do {
            try await database.write { connection in
                for card in fresh {
                    _ = try connection.run(
                        """
                        INSERT INTO card_owners (tenant_id, card_id, identity_type, identity_id, seen_at) VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT (tenant_id, card_id) DO UPDATE SET identity_type = excluded.identity_type,
                            identity_id = excluded.identity_id, seen_at = excluded.seen_at
                        """,
                        [.text(tenantID), .text(card), .text(type), .text(identityID), .integer(now)]
                    )
                }
            }
        } catch {
            known.withLock { known in
                for card in fresh { known.remove(Key(tenantID: tenantID, cardID: card, identityID: identityID)) }
            }
        }
    }

    /// The owner of `cardID` in `tenantID` on `connection` (inside the receiver's write job).
    static func owner(tenantID: String, cardID: String, on connection: any SQLConnection) throws -> (type: String, id: String)? {
        guard let row = try connection.query(
            "SELECT identity_type, identity_id FROM card_owners WHERE tenant_id = ? AND card_id = ?", [.text(tenantID), .text(cardID)]
        ).first, let type = row[0].stringValue, let id = row[1].stringValue else { return nil }
        return (type, id)
    }
}

extension Migrations {
    /// Version 14: which identity owns which card, as the gateway has seen it (`CardOwners`).
    static let cardOwners = Migrations([
        Migration(
            version: 14,
            sql: """
                CREATE TABLE card_owners (
                    tenant_id TEXT NOT NULL,
                    card_id TEXT NOT NULL,
                    identity_type TEXT NOT NULL,
                    identity_id TEXT NOT NULL,
                    seen_at INTEGER NOT NULL,
                    PRIMARY KEY (tenant_id, card_id)
                ) STRICT, WITHOUT ROWID;
                """
        ),
    ])
}
