/// Weavr's `CardLevelSpendRules` (the body of `POST /managed_cards/{id}/spend_rules`, and of `PATCH` with
/// `updateSpendLimitMethod`): what a card may be used for. Every field is optional; absent means no rule.
public struct SpendRules: Sendable, Equatable, Codable {
    public var allowedMerchantCategories: [String]?
    public var blockedMerchantCategories: [String]?
    public var allowedMerchantIds: [String]?
    public var blockedMerchantIds: [String]?
    public var allowedMerchantCountries: [String]?
    public var blockedMerchantCountries: [String]?
    public var allowContactless: Bool?
    public var allowAtm: Bool?
    public var allowECommerce: Bool?
    public var allowCashback: Bool?
    public var allowCreditAuthorisations: Bool?
    /// In the card's currency, minor units.
    public var minTransactionAmount: Int64?
    public var maxTransactionAmount: Int64?
    public var spendLimit: [SpendLimit]?
    /// `PATCH` only: `OVERWRITE` (Weavr's default) or `INCREMENT`.
    public var updateSpendLimitMethod: String?

    public init(
        allowedMerchantCategories: [String]? = nil, blockedMerchantCategories: [String]? = nil,
        allowedMerchantIds: [String]? = nil, blockedMerchantIds: [String]? = nil,
        allowedMerchantCountries: [String]? = nil, blockedMerchantCountries: [String]? = nil,
        allowContactless: Bool? = nil, allowAtm: Bool? = nil, allowECommerce: Bool? = nil, allowCashback: Bool? = nil,
        allowCreditAuthorisations: Bool? = nil, minTransactionAmount: Int64? = nil, maxTransactionAmount: Int64? = nil,
        spendLimit: [SpendLimit]? = nil, updateSpendLimitMethod: String? = nil
    ) {
        self.allowedMerchantCategories = allowedMerchantCategories
        self.blockedMerchantCategories = blockedMerchantCategories
        self.allowedMerchantIds = allowedMerchantIds
        self.blockedMerchantIds = blockedMerchantIds
        self.allowedMerchantCountries = allowedMerchantCountries
        self.blockedMerchantCountries = blockedMerchantCountries
        self.allowContactless = allowContactless
        self.allowAtm = allowAtm
        self.allowECommerce = allowECommerce
        self.allowCashback = allowCashback
        self.allowCreditAuthorisations = allowCreditAuthorisations
        self.minTransactionAmount = minTransactionAmount
        self.maxTransactionAmount = maxTransactionAmount
        self.spendLimit = spendLimit
        self.updateSpendLimitMethod = updateSpendLimitMethod
    }
}

/// Weavr's `SpendLimit`: at most `value` spent per `interval`.
public struct SpendLimit: Sendable, Equatable, Codable {
    public var value: CurrencyAmount
    /// `DAILY`, `WEEKLY`, `MONTHLY`, `QUARTERLY`, `YEARLY`, `ALWAYS`.
    public var interval: String
    /// Epoch milliseconds.
    public var startTimestamp: Int64?

    public init(value: CurrencyAmount, interval: String, startTimestamp: Int64? = nil) {
        self.value = value
        self.interval = interval
        self.startTimestamp = startTimestamp
    }
}

/// Weavr's `AllLevelSpendRules` (`GET /managed_cards/{id}/spend_rules`): the card's own rules and those it
/// inherits from its profile and identity. (The deprecated flattened copy at the top level is not read.)
public struct AllLevelSpendRules: Sendable, Equatable, Codable {
    public var cardLevelSpendRules: SpendRules?
    public var profileLevelSpendRules: SpendRules?
    public var identityLevelSpendRules: SpendRules?

    public init(cardLevelSpendRules: SpendRules? = nil, profileLevelSpendRules: SpendRules? = nil, identityLevelSpendRules: SpendRules? = nil) {
        self.cardLevelSpendRules = cardLevelSpendRules
        self.profileLevelSpendRules = profileLevelSpendRules
        self.identityLevelSpendRules = identityLevelSpendRules
    }
}
