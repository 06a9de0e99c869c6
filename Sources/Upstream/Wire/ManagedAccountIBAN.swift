/// Weavr's `ManagedAccountIBAN`: the state of an account's IBAN and the bank details to pay into it.
public struct ManagedAccountIBAN: Sendable, Equatable, Codable {
    /// `UNALLOCATED`, `PENDING_ALLOCATION`, `ALLOCATED`.
    public var state: String
    public var bankAccountDetails: [BankAccountDetails]

    public init(state: String, bankAccountDetails: [BankAccountDetails]) {
        self.state = state
        self.bankAccountDetails = bankAccountDetails
    }

    /// One entry of `bankAccountDetails`: who and where to pay, and the wire details of one channel.
    public struct BankAccountDetails: Sendable, Equatable, Codable {
        public var beneficiaryNameAndSurname: String
        public var beneficiaryBank: String
        public var beneficiaryBankAddress: String
        public var paymentReference: String?
        /// Required by the spec, which does not define it (the simulator sends `SEPA`, `FASTER_PAYMENTS`, `SWIFT`).
        public var type: String?
        public var details: Details

        public init(beneficiaryNameAndSurname: String, beneficiaryBank: String, beneficiaryBankAddress: String, paymentReference: String? = nil,
                    type: String? = nil, details: Details) {
            self.beneficiaryNameAndSurname = beneficiaryNameAndSurname
            self.beneficiaryBank = beneficiaryBank
            self.beneficiaryBankAddress = beneficiaryBankAddress
            self.paymentReference = paymentReference
            self.type = type
            self.details = details
        }
    }

    /// The spec's `anyOf` of `IBANDetails` (`iban`, `bankIdentifierCode`), `FasterPaymentsBankDetailsOrBACSBankDetails`
    /// (`accountNumber`, `sortCode`, `secondaryReference`) and `SwiftBankDetails` (`iban`, `code`), read as one
    /// object whose members are all optional.
    public struct Details: Sendable, Equatable, Codable {
        public var iban: String?
        public var bankIdentifierCode: String?
        public var accountNumber: String?
        public var sortCode: String?
        public var secondaryReference: String?
        /// The SWIFT code of `SwiftBankDetails`.
        public var code: String?

        public init(iban: String? = nil, bankIdentifierCode: String? = nil, accountNumber: String? = nil, sortCode: String? = nil,
                    secondaryReference: String? = nil, code: String? = nil) {
            self.iban = iban
            self.bankIdentifierCode = bankIdentifierCode
            self.accountNumber = accountNumber
            self.sortCode = sortCode
            self.secondaryReference = secondaryReference
            self.code = code
        }
    }
}
