/// The IBAN of a managed account once upgraded: Weavr's `ManagedAccountIBAN` with one `bankAccountDetails`
/// entry whose wire details follow the account's currency (EUR: SEPA `IBANDetails` with a Maltese IBAN and a
/// payment reference; GBP: Faster Payments account number and sort code; others: SWIFT with a Maltese IBAN).
/// The numbers are made from the account id and carry valid ISO 13616 check digits.
struct SimulatedIBAN: Sendable {
    static let bank = "Simulated Bank plc"
    static let bankAddress = "1 Bank Street, Valletta VLT 1000, Malta"
    static let bic = "SIMLMTM1"

    var type: String
    var iban: String?
    var accountNumber: String?
    var sortCode: String?
    var beneficiary: String
    var paymentReference: String?

    init(accountID: String, currency: String, beneficiary: String) {
        self.beneficiary = beneficiary
        let digits = String(accountID.filter(\.isNumber).suffix(18))
        let account = String(repeating: "0", count: 18 - digits.count) + digits
        switch currency {
        case "GBP":
            type = "FASTER_PAYMENTS"
            accountNumber = String(account.suffix(8))
            sortCode = "040075"
        case "EUR":
            type = "SEPA"
            iban = Self.iban(country: "MT", bban: "SIML" + "00001" + account)
            paymentReference = "SIM" + String(account.suffix(8))
        default:
            type = "SWIFT"
            iban = Self.iban(country: "MT", bban: "SIML" + "00001" + account)
        }
    }

    /// The spec's `bankAccountDetails` entry.
    var json: [String: Any] {
        var details: [String: Any] = [:]
        switch type {
        case "FASTER_PAYMENTS":
            details = ["accountNumber": accountNumber ?? "", "sortCode": sortCode ?? ""]
        case "SEPA":
            details = ["iban": iban ?? "", "bankIdentifierCode": Self.bic]
        default:
            details = ["iban": iban ?? "", "code": Self.bic]
        }
        var object: [String: Any] = [
            "beneficiaryNameAndSurname": beneficiary, "beneficiaryBank": Self.bank, "beneficiaryBankAddress": Self.bankAddress,
            "type": type, "details": details,
        ]
        if let paymentReference { object["paymentReference"] = paymentReference }
        return object
    }

    /// `country` + ISO 7064 mod 97-10 check digits + `bban` (upper-case letters and digits).
    static func iban(country: String, bban: String) -> String {
        var remainder = 0
        for character in (bban + country + "00").unicodeScalars {
            let value = character.properties.numericType != nil ? Int(character.value) - 48 : Int(character.value) - 55
            for digit in String(value).utf8 { remainder = (remainder * 10 + Int(digit) - 48) % 97 }
        }
        let check = 98 - remainder
        return country + (check < 10 ? "0" : "") + String(check) + bban
    }
}
