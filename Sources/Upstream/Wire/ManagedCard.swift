/// Weavr's `ManagedCard` (prepaid- and debit-mode fields together; `mode` tells which apply).
///
/// The tokenised `cardNumber` and `cvv` are deliberately not decoded: the gateway never holds a PAN.
public struct ManagedCard: Sendable, Equatable, Codable, WeavrPageItem {
    public static let pageKey = "cards"

    public var id: String
    public var profileId: String
    public var externalHandle: String?
    public var tag: String?
    public var friendlyName: String
    public var currency: String
    public var state: ManagedInstrumentState
    /// `VIRTUAL` or `PHYSICAL`.
    public var type: String
    /// `MASTERCARD` or `VISA`.
    public var cardBrand: String?
    public var cardNumberFirstSix: String?
    public var cardNumberLastFour: String
    public var nameOnCard: String
    public var nameOnCardLine2: String?
    public var startMmyy: String?
    public var expiryMmyy: String
    /// `CONSUMER` or `CORPORATE`.
    public var cardLevelClassification: String?
    public var expiryPeriodMonths: Int?
    /// `RENEW` or `NO_RENEW`.
    public var renewalType: String?
    public var renewalTimestamp: Int64?
    /// Epoch milliseconds.
    public var creationTimestamp: Int64
    public var cardholderMobileNumber: String?
    public var billingAddress: BillingAddress?
    public var digitalWallets: DigitalWallets?
    /// `APPROVE` or `DECLINE`.
    public var authForwardingDefaultTimeoutDecision: String?
    public var userId: String?
    /// `PREPAID_MODE` or `DEBIT_MODE`.
    public var mode: String
    /// Prepaid mode only.
    public var balances: InstrumentBalances?
    /// Debit mode only.
    public var parentManagedAccountId: String?
    /// Debit mode only.
    public var availableToSpend: [AvailableToSpend]?
    /// Debit mode only.
    public var userCurrency: String?
    /// Physical cards only: delivery and activation (Weavr's `PhysicalCardDetails`, the fields the gateway shows).
    public var physicalCardDetails: PhysicalCardDetails?
}

/// Weavr's `PhysicalCardDetails` (what the gateway reads: activation, PIN block, manufacturing and delivery).
public struct PhysicalCardDetails: Sendable, Equatable, Codable {
    public var pendingActivation: Bool
    public var pinBlocked: Bool?
    /// `REQUESTED`, `SENT_FOR_FULFILLMENT`, `DISPATCHED`, `DELIVERED`.
    public var manufacturingState: String?
    /// `STANDARD_DELIVERY`, `REGISTERED_MAIL`, `COURIER`, `FIRST_CLASS_MAIL`.
    public var deliveryMethod: String?
    public var productReference: String?

    public init(pendingActivation: Bool, pinBlocked: Bool? = nil, manufacturingState: String? = nil, deliveryMethod: String? = nil, productReference: String? = nil) {
        self.pendingActivation = pendingActivation
        self.pinBlocked = pinBlocked
        self.manufacturingState = manufacturingState
        self.deliveryMethod = deliveryMethod
        self.productReference = productReference
    }
}
