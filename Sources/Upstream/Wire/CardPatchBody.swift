/// Body of `PATCH /managed_cards/{id}`: only the fields set change.
public struct CardPatchBody: Sendable, Equatable, Codable {
    public var tag: String?
    public var friendlyName: String?
    public var nameOnCard: String?
    public var nameOnCardLine2: String?
    public var cardholderMobileNumber: String?
    public var billingAddress: BillingAddress?
    public var digitalWallets: DigitalWallets?
    public var authForwardingDefaultTimeoutDecision: String?
    public var renewalType: String?
    public var userId: String?

    public init(
        tag: String? = nil, friendlyName: String? = nil, nameOnCard: String? = nil, nameOnCardLine2: String? = nil,
        cardholderMobileNumber: String? = nil, billingAddress: BillingAddress? = nil, digitalWallets: DigitalWallets? = nil,
        authForwardingDefaultTimeoutDecision: String? = nil, renewalType: String? = nil, userId: String? = nil
    ) {
        self.tag = tag
        self.friendlyName = friendlyName
        self.nameOnCard = nameOnCard
        self.nameOnCardLine2 = nameOnCardLine2
        self.cardholderMobileNumber = cardholderMobileNumber
        self.billingAddress = billingAddress
        self.digitalWallets = digitalWallets
        self.authForwardingDefaultTimeoutDecision = authForwardingDefaultTimeoutDecision
        self.renewalType = renewalType
        self.userId = userId
    }
}
