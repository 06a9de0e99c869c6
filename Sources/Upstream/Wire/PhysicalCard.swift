/// Weavr's `DeliveryAddress` for a physical card.
public struct DeliveryAddress: Sendable, Equatable, Codable {
    public var name: String
    public var surname: String
    public var addressLine1: String
    public var addressLine2: String?
    public var city: String
    public var postCode: String
    public var state: String?
    /// ISO 3166 alpha-2.
    public var country: String

    public init(name: String, surname: String, addressLine1: String, addressLine2: String? = nil, city: String, postCode: String, state: String? = nil, country: String) {
        self.name = name
        self.surname = surname
        self.addressLine1 = addressLine1
        self.addressLine2 = addressLine2
        self.city = city
        self.postCode = postCode
        self.state = state
        self.country = country
    }
}

/// The body of `POST /managed_cards/{id}/physical` (upgrade a virtual card to physical). No `pin`: the
/// gateway never sets or carries one; Weavr issues it, tokenised.
public struct PhysicalUpgradeBody: Sendable, Equatable, Codable {
    public var productReference: String?
    public var carrierType: String?
    /// `STANDARD_DELIVERY`, `REGISTERED_MAIL`, `COURIER`, `FIRST_CLASS_MAIL`.
    public var deliveryMethod: String?
    public var deliveryAddress: DeliveryAddress
    /// 1–6 digits the cardholder types to activate the card once it arrives.
    public var activationCode: String?
    public var nameOnCardLine2: String?

    public init(productReference: String? = nil, carrierType: String? = nil, deliveryMethod: String? = nil, deliveryAddress: DeliveryAddress,
                activationCode: String? = nil, nameOnCardLine2: String? = nil) {
        self.productReference = productReference
        self.carrierType = carrierType
        self.deliveryMethod = deliveryMethod
        self.deliveryAddress = deliveryAddress
        self.activationCode = activationCode
        self.nameOnCardLine2 = nameOnCardLine2
    }
}

/// The body of `…/physical/activate`, `…/physical/replace_damaged` and `…/physical/replace_lost_stolen`.
public struct ActivationCodeBody: Sendable, Equatable, Codable {
    public var activationCode: String

    public init(activationCode: String) {
        self.activationCode = activationCode
    }
}

/// `GET /managed_cards/{id}/physical/pin`: the PIN as Weavr's token (for its Display Card PIN UI component),
/// never the digits unless the programme opted out of Weavr's security model.
public struct TokenisedPin: Sendable, Equatable, Codable {
    public struct Value: Sendable, Equatable, Codable {
        public var value: String
        public init(value: String) { self.value = value }
    }

    public var pin: Value

    public init(pin: Value) {
        self.pin = pin
    }
}
