/// Body of `POST /managed_cards`: `PREPAID_MODE` needs `currency`, `DEBIT_MODE` needs `parentManagedAccountId`.
public struct CardCreateBody: Sendable, Equatable, Codable {
    public var profileId: String
    public var tag: String?
    public var friendlyName: String
    public var nameOnCard: String
    public var nameOnCardLine2: String?
    public var cardholderMobileNumber: String?
    public var billingAddress: BillingAddress
    public var digitalWallets: DigitalWallets?
    public var authForwardingDefaultTimeoutDecision: String?
    public var renewalType: String?
    public var userId: String?
    /// `PREPAID_MODE` or `DEBIT_MODE`.
    public var mode: String
    /// Prepaid mode.
    public var currency: String?
    /// Debit mode.
    public var parentManagedAccountId: String?

    public init(
        profileId: String, friendlyName: String, nameOnCard: String, billingAddress: BillingAddress, mode: String,
        currency: String? = nil, parentManagedAccountId: String? = nil, tag: String? = nil, nameOnCardLine2: String? = nil,
        cardholderMobileNumber: String? = nil, digitalWallets: DigitalWallets? = nil,
        authForwardingDefaultTimeoutDecision: String? = nil, renewalType: String? = nil, userId: String? = nil
    ) {
        self.profileId = profileId
        self.friendlyName = friendlyName
        self.nameOnCard = nameOnCard
        self.billingAddress = billingAddress
        self.mode = mode
        self.currency = currency
        self.parentManagedAccountId = parentManagedAccountId
        self.tag = tag
        self.nameOnCardLine2 = nameOnCardLine2
        self.cardholderMobileNumber = cardholderMobileNumber
        self.digitalWallets = digitalWallets
        self.authForwardingDefaultTimeoutDecision = authForwardingDefaultTimeoutDecision
        self.renewalType = renewalType
        self.userId = userId
    }
}
