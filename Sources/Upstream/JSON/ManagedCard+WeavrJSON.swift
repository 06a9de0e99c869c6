/// `ManagedCard` read straight from Weavr's JSON (`GET /managed_cards/{id}`, the hot path): the same fields
/// and rules as its synthesised `Decodable` (unknown members, `cardNumber` and `cvv` included, are checked and skipped).
extension ManagedCard: WeavrJSONDecodable {
    public init(json: inout WeavrJSONReader) throws(WeavrJSONError) {
        var id: String?
        var profileId: String?
        var externalHandle: String??
        var tag: String??
        var friendlyName: String?
        var currency: String?
        var state: ManagedInstrumentState?
        var type: String?
        var cardBrand: String??
        var cardNumberFirstSix: String??
        var cardNumberLastFour: String?
        var nameOnCard: String?
        var nameOnCardLine2: String??
        var startMmyy: String??
        var expiryMmyy: String?
        var cardLevelClassification: String??
        var expiryPeriodMonths: Int??
        var renewalType: String??
        var renewalTimestamp: Int64??
        var creationTimestamp: Int64?
        var cardholderMobileNumber: String??
        var billingAddress: BillingAddress??
        var digitalWallets: DigitalWallets??
        var authForwardingDefaultTimeoutDecision: String??
        var userId: String??
        var mode: String?
        var balances: InstrumentBalances??
        var parentManagedAccountId: String??
        var availableToSpend: [AvailableToSpend]??
        var userCurrency: String??
        var physicalCardDetails: PhysicalCardDetails??
        var cursor = try json.beginObject()
        while let key = try json.nextKey(&cursor) {
            switch key {
            case "id": try json.field(&id)
            case "profileId": try json.field(&profileId)
            case "externalHandle": try json.field(&externalHandle)
            case "tag": try json.field(&tag)
            case "friendlyName": try json.field(&friendlyName)
            case "currency": try json.field(&currency)
            case "state": try json.field(&state)
            case "type": try json.field(&type)
            case "cardBrand": try json.field(&cardBrand)
            case "cardNumberFirstSix": try json.field(&cardNumberFirstSix)
            case "cardNumberLastFour": try json.field(&cardNumberLastFour)
            case "nameOnCard": try json.field(&nameOnCard)
            case "nameOnCardLine2": try json.field(&nameOnCardLine2)
            case "startMmyy": try json.field(&startMmyy)
            case "expiryMmyy": try json.field(&expiryMmyy)
            case "cardLevelClassification": try json.field(&cardLevelClassification)
            case "expiryPeriodMonths": try json.field(&expiryPeriodMonths)
            case "renewalType": try json.field(&renewalType)
            case "renewalTimestamp": try json.field(&renewalTimestamp)
            case "creationTimestamp": try json.field(&creationTimestamp)
            case "cardholderMobileNumber": try json.field(&cardholderMobileNumber)
            case "billingAddress": try json.field(&billingAddress)
            case "digitalWallets": try json.field(&digitalWallets)
            case "authForwardingDefaultTimeoutDecision": try json.field(&authForwardingDefaultTimeoutDecision)
            case "userId": try json.field(&userId)
            case "mode": try json.field(&mode)
            case "balances": try json.field(&balances)
            case "parentManagedAccountId": try json.field(&parentManagedAccountId)
            case "availableToSpend": try json.field(&availableToSpend)
            case "userCurrency": try json.field(&userCurrency)
            case "physicalCardDetails": try json.field(&physicalCardDetails)
            default: try json.skipValue()
            }
        }
        self.id = try WeavrJSON.required(consume id, "id", json)
        self.profileId = try WeavrJSON.required(consume profileId, "profileId", json)
        self.externalHandle = (consume externalHandle) ?? nil
        self.tag = (consume tag) ?? nil
        self.friendlyName = try WeavrJSON.required(consume friendlyName, "friendlyName", json)
        self.currency = try WeavrJSON.required(consume currency, "currency", json)
        self.state = try WeavrJSON.required(consume state, "state", json)
        self.type = try WeavrJSON.required(consume type, "type", json)
        self.cardBrand = (consume cardBrand) ?? nil
        self.cardNumberFirstSix = (consume cardNumberFirstSix) ?? nil
        self.cardNumberLastFour = try WeavrJSON.required(consume cardNumberLastFour, "cardNumberLastFour", json)
        self.nameOnCard = try WeavrJSON.required(consume nameOnCard, "nameOnCard", json)
        self.nameOnCardLine2 = (consume nameOnCardLine2) ?? nil
        self.startMmyy = (consume startMmyy) ?? nil
        self.expiryMmyy = try WeavrJSON.required(consume expiryMmyy, "expiryMmyy", json)
        self.cardLevelClassification = (consume cardLevelClassification) ?? nil
        self.expiryPeriodMonths = expiryPeriodMonths ?? nil
        self.renewalType = (consume renewalType) ?? nil
        self.renewalTimestamp = renewalTimestamp ?? nil
        self.creationTimestamp = try WeavrJSON.required(creationTimestamp, "creationTimestamp", json)
        self.cardholderMobileNumber = (consume cardholderMobileNumber) ?? nil
        self.billingAddress = (consume billingAddress) ?? nil
        self.digitalWallets = (consume digitalWallets) ?? nil
        self.authForwardingDefaultTimeoutDecision = (consume authForwardingDefaultTimeoutDecision) ?? nil
        self.userId = (consume userId) ?? nil
        self.mode = try WeavrJSON.required(consume mode, "mode", json)
        self.balances = (consume balances) ?? nil
        self.parentManagedAccountId = (consume parentManagedAccountId) ?? nil
        self.availableToSpend = (consume availableToSpend) ?? nil
        self.userCurrency = (consume userCurrency) ?? nil
        self.physicalCardDetails = (consume physicalCardDetails) ?? nil
    }
}

extension PhysicalCardDetails: WeavrJSONDecodable {
    public init(json: inout WeavrJSONReader) throws(WeavrJSONError) {
        var pendingActivation: Bool?
        var pinBlocked: Bool??
        var manufacturingState: String??
        var deliveryMethod: String??
        var productReference: String??
        var cursor = try json.beginObject()
        while let key = try json.nextKey(&cursor) {
            switch key {
            case "pendingActivation": try json.field(&pendingActivation)
            case "pinBlocked": try json.field(&pinBlocked)
            case "manufacturingState": try json.field(&manufacturingState)
            case "deliveryMethod": try json.field(&deliveryMethod)
            case "productReference": try json.field(&productReference)
            default: try json.skipValue()
            }
        }
        self.pendingActivation = try WeavrJSON.required(pendingActivation, "pendingActivation", json)
        self.pinBlocked = pinBlocked ?? nil
        self.manufacturingState = (consume manufacturingState) ?? nil
        self.deliveryMethod = (consume deliveryMethod) ?? nil
        self.productReference = (consume productReference) ?? nil
    }
}
