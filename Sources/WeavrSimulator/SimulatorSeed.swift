import Foundation

/// The simulator's starting data: programmes (one per api-key) with their card profiles and identities,
/// and per identity its users, managed accounts and managed cards. The JSON format is documented in
/// `Sources/WeavrSimulator/README.md`; `SimulatorSeed.demo` is a ready-made example.
public struct SimulatorSeed: Codable, Sendable, Equatable {
    public var programmes: [Programme]

    public init(programmes: [Programme]) {
        self.programmes = programmes
    }

    /// Reads a seed from a JSON file.
    public static func load(path: String) throws -> SimulatorSeed {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try JSONDecoder().decode(SimulatorSeed.self, from: data)
    }

    /// One Weavr programme, reached with one api-key.
    public struct Programme: Codable, Sendable, Equatable {
        /// The `api-key` header value that selects this programme.
        public var apiKey: String
        public var cardProfiles: [CardProfile]
        /// The transfer profile `POST /transfers` accepts (numeric string); without one every transfer is
        /// refused with 409 `PROFILE_INACTIVE`.
        public var transferProfileId: String?
        public var identities: [Identity]

        public init(apiKey: String, cardProfiles: [CardProfile], transferProfileId: String? = nil, identities: [Identity]) {
            self.apiKey = apiKey
            self.cardProfiles = cardProfiles
            self.transferProfileId = transferProfileId
            self.identities = identities
        }
    }

    /// A managed card profile: cards created with it get its currency and mode.
    public struct CardProfile: Codable, Sendable, Equatable {
        /// Numeric string.
        public var id: String
        public var currency: String
        /// `PREPAID_MODE` or `DEBIT_MODE`.
        public var mode: String

        public init(id: String, currency: String, mode: String = "PREPAID_MODE") {
            self.id = id
            self.currency = currency
            self.mode = mode
        }
    }

    /// A corporate or consumer identity and what it owns.
    public struct Identity: Codable, Sendable, Equatable {
        public var id: String
        /// `CORPORATE` or `CONSUMER`.
        public var type: String
        public var name: String
        public var users: [User]
        public var managedAccounts: [Account]?
        public var managedCards: [Card]?

        public init(id: String, type: String, name: String, users: [User], managedAccounts: [Account]? = nil, managedCards: [Card]? = nil) {
            self.id = id
            self.type = type
            self.name = name
            self.users = users
            self.managedAccounts = managedAccounts
            self.managedCards = managedCards
        }
    }

    /// A user of an identity. Users with a password can log in (their invite counts as consumed).
    public struct User: Codable, Sendable, Equatable {
        public var id: String
        public var email: String
        public var password: String?
        public var name: String
        public var surname: String
        /// `ROOT` or `USER` (default `USER`).
        public var credentialType: String?
        /// Default true.
        public var active: Bool?
        /// E.164 parts, e.g. `+44` and `7700900001`.
        public var mobileCountryCode: String?
        public var mobileNumber: String?
        /// Login `tokenType`: `ACCESS` (default, usable at once) or `AUTH` (must be exchanged at `/access_token`).
        public var loginTokenType: String?

        public init(
            id: String, email: String, password: String?, name: String, surname: String, credentialType: String? = nil,
            active: Bool? = nil, mobileCountryCode: String? = nil, mobileNumber: String? = nil, loginTokenType: String? = nil
        ) {
            self.id = id
            self.email = email
            self.password = password
            self.name = name
            self.surname = surname
            self.credentialType = credentialType
            self.active = active
            self.mobileCountryCode = mobileCountryCode
            self.mobileNumber = mobileNumber
            self.loginTokenType = loginTokenType
        }
    }

    /// A managed account; balances in minor units.
    public struct Account: Codable, Sendable, Equatable {
        public var id: String
        public var profileId: String
        public var friendlyName: String
        public var currency: String
        public var availableBalance: Int64?
        public var actualBalance: Int64?
        /// `ACTIVE` (default), `BLOCKED` or `DESTROYED`.
        public var state: String?
        public var blockedReason: String?
        public var tag: String?

        public init(
            id: String, profileId: String, friendlyName: String, currency: String, availableBalance: Int64? = nil,
            actualBalance: Int64? = nil, state: String? = nil, blockedReason: String? = nil, tag: String? = nil
        ) {
            self.id = id
            self.profileId = profileId
            self.friendlyName = friendlyName
            self.currency = currency
            self.availableBalance = availableBalance
            self.actualBalance = actualBalance
            self.state = state
            self.blockedReason = blockedReason
            self.tag = tag
        }
    }

    /// A managed card; its mode and currency come from its profile. Balances (prepaid) in minor units.
    public struct Card: Codable, Sendable, Equatable {
        public var id: String
        public var profileId: String
        public var friendlyName: String
        public var nameOnCard: String
        /// `VIRTUAL` (default) or `PHYSICAL`.
        public var type: String?
        /// Prepaid balance (both available and actual), default 0.
        public var balance: Int64?
        /// `ACTIVE` (default), `BLOCKED` or `DESTROYED`.
        public var state: String?
        /// With `BLOCKED`: `USER`, `SYSTEM` or `LOST`.
        public var blockedReason: String?
        /// With `DESTROYED`: e.g. `USER`.
        public var destroyedReason: String?
        public var tag: String?
        /// Required for debit-mode profiles: an account of the same identity.
        public var parentManagedAccountId: String?
        /// Last four digits (default derived from the id).
        public var lastFour: String?

        public init(
            id: String, profileId: String, friendlyName: String, nameOnCard: String, type: String? = nil, balance: Int64? = nil,
            state: String? = nil, blockedReason: String? = nil, destroyedReason: String? = nil, tag: String? = nil,
            parentManagedAccountId: String? = nil, lastFour: String? = nil
        ) {
            self.id = id
            self.profileId = profileId
            self.friendlyName = friendlyName
            self.nameOnCard = nameOnCard
            self.type = type
            self.balance = balance
            self.state = state
            self.blockedReason = blockedReason
            self.destroyedReason = destroyedReason
            self.tag = tag
            self.parentManagedAccountId = parentManagedAccountId
            self.lastFour = lastFour
        }
    }
}
