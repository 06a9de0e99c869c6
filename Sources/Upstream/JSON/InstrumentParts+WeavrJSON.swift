/// The members of a card and an account, read from Weavr's JSON with the same rules as their synthesised `Decodable`.
extension ManagedInstrumentState: WeavrJSONDecodable {
    public init(json: inout WeavrJSONReader) throws(WeavrJSONError) {
        var state: String?
        var blockedReason: String??
        var destroyedReason: String??
        var cursor = try json.beginObject()
        while let key = try json.nextKey(&cursor) {
            switch key {
            case "state": try json.field(&state)
            case "blockedReason": try json.field(&blockedReason)
            case "destroyedReason": try json.field(&destroyedReason)
            default: try json.skipValue()
            }
        }
        self.state = try WeavrJSON.required(consume state, "state", json)
        self.blockedReason = (consume blockedReason) ?? nil
        self.destroyedReason = (consume destroyedReason) ?? nil
    }
}

extension BillingAddress: WeavrJSONDecodable {
    public init(json: inout WeavrJSONReader) throws(WeavrJSONError) {
        var addressLine1: String?
        var addressLine2: String??
        var city: String?
        var postCode: String?
        var state: String??
        var country: String?
        var cursor = try json.beginObject()
        while let key = try json.nextKey(&cursor) {
            switch key {
            case "addressLine1": try json.field(&addressLine1)
            case "addressLine2": try json.field(&addressLine2)
            case "city": try json.field(&city)
            case "postCode": try json.field(&postCode)
            case "state": try json.field(&state)
            case "country": try json.field(&country)
            default: try json.skipValue()
            }
        }
        self.addressLine1 = try WeavrJSON.required(consume addressLine1, "addressLine1", json)
        self.addressLine2 = (consume addressLine2) ?? nil
        self.city = try WeavrJSON.required(consume city, "city", json)
        self.postCode = try WeavrJSON.required(consume postCode, "postCode", json)
        self.state = (consume state) ?? nil
        self.country = try WeavrJSON.required(consume country, "country", json)
    }
}

extension DigitalWallets: WeavrJSONDecodable {
    public init(json: inout WeavrJSONReader) throws(WeavrJSONError) {
        var pushProvisioningEnabled: Bool??
        var walletsEnabled: Bool??
        var cursor = try json.beginObject()
        while let key = try json.nextKey(&cursor) {
            switch key {
            case "pushProvisioningEnabled": try json.field(&pushProvisioningEnabled)
            case "walletsEnabled": try json.field(&walletsEnabled)
            default: try json.skipValue()
            }
        }
        self.pushProvisioningEnabled = pushProvisioningEnabled ?? nil
        self.walletsEnabled = walletsEnabled ?? nil
    }
}

extension InstrumentBalances: WeavrJSONDecodable {
    public init(json: inout WeavrJSONReader) throws(WeavrJSONError) {
        var availableBalance: Int64?
        var actualBalance: Int64?
        var cursor = try json.beginObject()
        while let key = try json.nextKey(&cursor) {
            switch key {
            case "availableBalance": try json.field(&availableBalance)
            case "actualBalance": try json.field(&actualBalance)
            default: try json.skipValue()
            }
        }
        self.availableBalance = try WeavrJSON.required(availableBalance, "availableBalance", json)
        self.actualBalance = try WeavrJSON.required(actualBalance, "actualBalance", json)
    }
}

extension AvailableToSpend: WeavrJSONDecodable {
    public init(json: inout WeavrJSONReader) throws(WeavrJSONError) {
        var interval: String?
        var value: CurrencyAmount?
        var cursor = try json.beginObject()
        while let key = try json.nextKey(&cursor) {
            switch key {
            case "interval": try json.field(&interval)
            case "value": try json.field(&value)
            default: try json.skipValue()
            }
        }
        self.interval = try WeavrJSON.required(consume interval, "interval", json)
        self.value = try WeavrJSON.required(consume value, "value", json)
    }
}

extension CurrencyAmount: WeavrJSONDecodable {
    public init(json: inout WeavrJSONReader) throws(WeavrJSONError) {
        var currency: String?
        var amount: Int64?
        var cursor = try json.beginObject()
        while let key = try json.nextKey(&cursor) {
            switch key {
            case "currency": try json.field(&currency)
            case "amount": try json.field(&amount)
            default: try json.skipValue()
            }
        }
        self.currency = try WeavrJSON.required(consume currency, "currency", json)
        self.amount = try WeavrJSON.required(amount, "amount", json)
    }
}
