/// Everything the simulator remembers. Lives behind one `Mutex` in `WeavrSimulator`; every method runs
/// inside a short critical section and never blocks or suspends.
struct SimulatorState: Sendable {
    let configuration: WeavrSimulator.Configuration
    /// api-key → card profiles by id.
    var cardProfiles: [String: [String: SimulatorSeed.CardProfile]] = [:]
    /// api-key → the transfer profile ids `POST /transfers` accepts.
    var transferProfiles: [String: Set<String>] = [:]
    var identities: [String: SimulatedIdentity] = [:]
    var users: [SimulatedUser] = []
    var userIndex: [String: Int] = [:]
    var accounts: [SimulatedAccount] = []
    var cards: [SimulatedCard] = []
    var cardIndex: [String: Int] = [:]
    var bulks: [SimulatedBulkProcess] = []
    var bulkIndex: [String: Int] = [:]
    /// Transfers in creation order.
    var transfers: [SimulatedTransfer] = []
    var transferIndex: [String: Int] = [:]
    /// Simulated card purchases in creation order.
    var cardPayments: [SimulatedCardPayment] = []
    var cardPaymentIndex: [String: Int] = [:]
    var sessions: [String: SimulatorSession] = [:]
    var idempotency: [String: IdempotencyRecord] = [:]
    /// api-key → (window start ms, requests in window).
    var rateWindows: [String: (start: Int64, count: Int)] = [:]
    var faults: [String: SimulatorFault] = [:]
    var faultRandom: SeededRandom
    var captured: [CapturedRequest] = []
    var captureSequence = 0
    /// Requests (admin routes aside) received, and those whose handler has run to its answer.
    var received = 0
    var answered = 0
    var nextNumericID: UInt64 = 110_000_000_000_000_000
    var isShutDown = false
    /// Webhooks waiting to be sent (`SimulatorState+Webhooks`), and the card states last reported; nil until a
    /// webhook URL is set.
    var webhookOutbox: [SimulatorWebhook] = []
    var reportedCardStates: [String: InstrumentStatus]?
    var webhookSequence = 0

    init(seed: SimulatorSeed, configuration: WeavrSimulator.Configuration, now: Int64) {
        self.configuration = configuration
        faultRandom = SeededRandom(seed: configuration.faultSeed)
        for programme in seed.programmes {
            cardProfiles[programme.apiKey] = Dictionary(programme.cardProfiles.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            transferProfiles[programme.apiKey] = Set([programme.transferProfileId].compactMap { $0 })
            for identity in programme.identities {
                identities[identity.id] = SimulatedIdentity(id: identity.id, type: identity.type, name: identity.name, apiKey: programme.apiKey)
                for user in identity.users {
                    userIndex[user.id] = users.count
                    defer { users[users.count - 1].smsEnrolled = user.mobileNumber != nil }
                    users.append(SimulatedUser(
                        id: user.id, identityID: identity.id, identityType: identity.type, credentialType: user.credentialType ?? "USER",
                        name: user.name, surname: user.surname, email: user.email, password: user.password, active: user.active ?? true,
                        mobileCountryCode: user.mobileCountryCode, mobileNumber: user.mobileNumber, loginTokenType: user.loginTokenType ?? "ACCESS"
                    ))
                }
                for (offset, account) in (identity.managedAccounts ?? []).enumerated() {
                    accounts.append(SimulatedAccount(
                        id: account.id, identityID: identity.id, profileID: account.profileId, tag: account.tag,
                        friendlyName: account.friendlyName, currency: account.currency,
                        availableBalance: account.availableBalance ?? 0, actualBalance: account.actualBalance ?? account.availableBalance ?? 0,
                        state: InstrumentStatus(state: account.state ?? "ACTIVE", blockedReason: account.blockedReason),
                        creationTimestamp: now - 86_400_000 * Int64(30 - offset)
                    ))
                }
                for (offset, card) in (identity.managedCards ?? []).enumerated() {
                    let profile = cardProfiles[programme.apiKey]?[card.profileId]
                    let mode = profile?.mode ?? "PREPAID_MODE"
                    let status = InstrumentStatus(state: card.state ?? "ACTIVE", blockedReason: card.blockedReason, destroyedReason: card.destroyedReason)
                    var simulated = makeCard(
                        id: card.id, identity: identities[identity.id]!, profileID: card.profileId, currency: profile?.currency ?? "EUR",
                        mode: mode, friendlyName: card.friendlyName, nameOnCard: card.nameOnCard,
                        billingAddress: ["addressLine1": "1 Main Street", "city": "Valletta", "postCode": "VLT 1000", "country": "MT"],
                        now: now - 86_400_000 * Int64(20 - offset)
                    )
                    simulated.type = card.type ?? "VIRTUAL"
                    if simulated.type == "PHYSICAL" {
                        // A seeded physical card has arrived and been activated, delivered to its billing address.
                        let names = card.nameOnCard.split(separator: " ", maxSplits: 1).map(String.init)
                        var physical = SimulatedPhysicalCard(
                            productReference: "SIM-DEFAULT", carrierType: nil, deliveryMethod: "STANDARD_DELIVERY",
                            deliveryAddress: simulated.billingAddress.merging(["name": names.first ?? "", "surname": names.count > 1 ? names[1] : ""]) { old, _ in old },
                            activationCode: nil
                        )
                        physical.pendingActivation = false
                        physical.manufacturingState = "DELIVERED"
                        simulated.physical = physical
                    }
                    simulated.state = status
                    simulated.tag = card.tag
                    simulated.availableBalance = card.balance ?? 0
                    simulated.actualBalance = card.balance ?? 0
                    simulated.parentManagedAccountID = card.parentManagedAccountId
                    if let lastFour = card.lastFour { simulated.cardNumberLastFour = lastFour }
                    cardIndex[card.id] = cards.count
                    cards.append(simulated)
                }
            }
        }
        let largest = (users.map(\.id) + cards.map(\.id) + accounts.map(\.id)).compactMap { UInt64($0) }.max() ?? 0
        nextNumericID = max(nextNumericID, largest + 1)
    }

    /// A fresh numeric id (Weavr ids match `^[0-9]+$`).
    mutating func newID() -> String {
        defer { nextNumericID += 1 }
        return String(nextNumericID)
    }

    func makeCard(
        id: String, identity: SimulatedIdentity, profileID: String, currency: String, mode: String, friendlyName: String,
        nameOnCard: String, billingAddress: [String: String], now: Int64
    ) -> SimulatedCard {
        let digits = id.filter(\.isNumber)
        let lastFour = String(String(repeating: "0", count: max(0, 4 - digits.count)) + digits.suffix(4))
        let (month, year) = SimulatorState.monthAndYear(epochMilliseconds: now)
        let mm = month < 10 ? "0\(month)" : "\(month)"
        let start = mm + String(format2: year % 100)
        let expiry = mm + String(format2: (year + 3) % 100)
        return SimulatedCard(
            id: id, identityID: identity.id, identityType: identity.type, profileID: profileID, externalHandle: "SIM" + digits.suffix(10),
            tag: nil, friendlyName: friendlyName, currency: currency, state: .active, type: "VIRTUAL", cardBrand: "MASTERCARD",
            cardNumberFirstSix: "522093", cardNumberLastFour: lastFour, nameOnCard: nameOnCard, nameOnCardLine2: nil,
            startMmyy: start, expiryMmyy: expiry, expiryPeriodMonths: 36, renewalType: "NO_RENEW", creationTimestamp: now,
            billingAddress: billingAddress, pushProvisioningEnabled: false, walletsEnabled: false, mode: mode,
            availableBalance: 0, actualBalance: 0, parentManagedAccountID: nil
        )
    }

    /// Civil month (1…12) and year of an epoch-ms instant (UTC).
    static func monthAndYear(epochMilliseconds: Int64) -> (month: Int, year: Int) {
        // Howard Hinnant's civil_from_days.
        let days = Int(epochMilliseconds / 86_400_000) + 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let dayOfEra = days - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (month, year)
    }

    /// Pages `items` with Weavr's `offset`/`limit` (limit capped at 100) into `{key: [...], count, responseCount}`.
    func page(_ items: [[String: Any]], key: String, call: SimulatorCall) -> SimulatorReply {
        var fields: [InvalidField] = []
        var offset = 0
        var limit = 100
        if let text = call.queryValue("offset") {
            if let value = Int(text), value >= 0 { offset = value } else { fields.append(InvalidField(fieldName: "offset", error: "RANGE", params: ["0"])) }
        }
        if let text = call.queryValue("limit") {
            // "Limit is always capped at 100": larger values are clamped, not rejected.
            if let value = Int(text), value >= 1 { limit = min(value, 100) } else { fields.append(InvalidField(fieldName: "limit", error: "RANGE", params: ["1", "100"])) }
        }
        guard fields.isEmpty else { return .badRequest(fields) }
        let slice = offset < items.count ? Array(items[offset..<min(items.count, offset + limit)]) : []
        return .json(200, [key: slice, "count": items.count, "responseCount": slice.count])
    }
}

extension String {
    /// Two-digit zero-padded decimal.
    init(format2 value: Int) {
        self = value < 10 ? "0\(value)" : "\(value)"
    }
}
