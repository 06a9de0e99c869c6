import Upstream

// Accounts and their IBANs, Weavr → public JSON. Accounts take no input: the list filters are applied by `AccountsRoutes`.

/// The public JSON of a managed account: `{id, name, currency, state, blockedReason, balance, createdAt}`.
enum AccountView {
    static func write(_ account: ManagedAccount, into json: inout JSONWriter) {
        json.beginObject()
        json.field("id", account.id)
        json.field("name", account.friendlyName)
        json.field("currency", account.currency)
        InstrumentStateView.write(account.state, into: &json)
        json.key("balance")
        BalanceView.write(account.balances, into: &json)
        json.field("createdAt", Timestamp.iso8601(milliseconds: account.creationTimestamp))
        json.endObject()
    }
}

/// The public JSON of an account's IBAN:
///
///     {state: unallocated|pending|allocated,
///      details: [{type: sepa|faster_payments|swift, iban, bic, accountNumber, sortCode,
///                 beneficiaryName, beneficiaryBank, beneficiaryBankAddress, paymentReference}]}
///
/// Every member of a detail is present (null where the channel has none): SEPA and SWIFT give `iban` and
/// `bic`, Faster Payments `accountNumber` and `sortCode`. The channel is read from the details themselves,
/// since Weavr's spec leaves its `type` undefined.
enum IBANView {
    static func state(_ weavr: String) -> String {
        switch weavr {
        case "ALLOCATED": "allocated"
        case "PENDING_ALLOCATION": "pending"
        default: "unallocated"
        }
    }

    static func body(_ iban: ManagedAccountIBAN) -> [UInt8] {
        var json = JSONWriter()
        json.beginObject()
        json.field("state", state(iban.state))
        json.key("details")
        json.beginArray()
        for entry in iban.bankAccountDetails {
            let details = entry.details
            json.beginObject()
            json.field("type", details.accountNumber != nil ? "faster_payments" : details.code != nil ? "swift" : "sepa")
            json.field("iban", details.iban)
            json.field("bic", details.bankIdentifierCode ?? details.code)
            json.field("accountNumber", details.accountNumber)
            json.field("sortCode", details.sortCode)
            json.field("beneficiaryName", entry.beneficiaryNameAndSurname)
            json.field("beneficiaryBank", entry.beneficiaryBank)
            json.field("beneficiaryBankAddress", entry.beneficiaryBankAddress)
            json.field("paymentReference", entry.paymentReference)
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return json.bytes
    }
}
