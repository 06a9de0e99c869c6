import Upstream

/// The public JSON of a card (docs/ARCHITECTURE.md "The public API"): flat, lower-case enums, money in minor units,
/// ISO-8601 times. Weavr's `profileId`, `state.state` nesting and PAN fragments beyond `last4` stay out.
enum CardView {
    static func write(_ card: ManagedCard, into json: inout JSONWriter) {
        json.beginObject()
        json.field("id", card.id)
        json.field("name", card.friendlyName)
        json.field("nameOnCard", card.nameOnCard)
        json.field("last4", card.cardNumberLastFour)
        json.field("expiry", expiry(card.expiryMmyy))
        InstrumentStateView.write(card.state, into: &json)
        json.field("type", card.type.lowercased())
        json.field("mode", mode(card.mode))
        json.field("currency", card.currency)
        if card.mode == "PREPAID_MODE", let balances = card.balances {
            json.key("balance")
            BalanceView.write(balances, into: &json)
        } else {
            json.field("balance", nil as String?)  // debit cards spend from their parent account
        }
        json.field("createdAt", Timestamp.iso8601(milliseconds: card.creationTimestamp))
        json.endObject()
    }

    /// One card as a whole response body.
    static func body(_ card: ManagedCard) -> [UInt8] {
        var json = JSONWriter()
        write(card, into: &json)
        return json.bytes
    }

    /// Weavr's `expiryMmyy` ("0929") as "09/29" (`MM/YY`); anything else (none yet, or not four digits) is null.
    static func expiry(_ mmyy: String) -> String? {
        guard mmyy.utf8.count == 4, mmyy.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return String(mmyy.prefix(2)) + "/" + String(mmyy.suffix(2))
    }

    /// `PREPAID_MODE` → `prepaid`, `DEBIT_MODE` → `debit`.
    static func mode(_ weavrMode: String) -> String {
        switch weavrMode {
        case "PREPAID_MODE": "prepaid"
        case "DEBIT_MODE": "debit"
        default: weavrMode.lowercased()
        }
    }
}


/// `{available, actual}` in minor units.
enum BalanceView {
    static func write(_ balances: InstrumentBalances, into json: inout JSONWriter) {
        json.beginObject()
        json.field("available", balances.availableBalance)
        json.field("actual", balances.actualBalance)
        json.endObject()
    }
}
