/// What an audited request did, as a dotted lower-case name (`card.block`, `admin.tenant.create`).
public struct AuditAction: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    /// The dotted name.
    public let rawValue: String

    /// `nil` unless `rawValue` is two or more dot-separated parts of `a-z`, `0-9` and `_`,
    /// at most 64 characters in all.
    public init?(rawValue: String) {
        let parts = rawValue.split(separator: ".", omittingEmptySubsequences: false)
        guard rawValue.utf8.count <= 64, parts.count >= 2,
            parts.allSatisfy({ part in
                !part.isEmpty && part.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F }
            })
        else { return nil }
        self.rawValue = rawValue
    }

    private init(known rawValue: String) {
        self.rawValue = rawValue
    }

    public var description: String { rawValue }

    public static let authLogin = AuditAction(known: "auth.login")
    public static let authLogout = AuditAction(known: "auth.logout")
    public static let authStepUp = AuditAction(known: "auth.step_up")
    public static let cardIssue = AuditAction(known: "card.issue")
    public static let cardBlock = AuditAction(known: "card.block")
    public static let cardUnblock = AuditAction(known: "card.unblock")
    public static let cardDestroy = AuditAction(known: "card.destroy")
    public static let cardUpdate = AuditAction(known: "card.update")
    public static let cardLimitsUpdate = AuditAction(known: "card.limits.update")
    public static let cardPhysicalUpgrade = AuditAction(known: "card.physical.upgrade")
    public static let cardPhysicalActivate = AuditAction(known: "card.physical.activate")
    public static let cardReport = AuditAction(known: "card.report")
    public static let cardReplace = AuditAction(known: "card.replace")
    public static let cardPinReveal = AuditAction(known: "card.pin.reveal")
    public static let cardReveal = AuditAction(known: "card.reveal")
    public static let cardPinUnblock = AuditAction(known: "card.pin.unblock")
    public static let accountIBANUpgrade = AuditAction(known: "account.iban.upgrade")
    public static let userUpdate = AuditAction(known: "user.update")
    public static let userActivate = AuditAction(known: "user.activate")
    public static let userDeactivate = AuditAction(known: "user.deactivate")
    public static let userInviteConsume = AuditAction(known: "user.invite.consume")
    public static let authPasswordLost = AuditAction(known: "auth.password.lost")
    public static let authPasswordReset = AuditAction(known: "auth.password.reset")
    public static let authPasswordChange = AuditAction(known: "auth.password.change")
    public static let authFactorEnrol = AuditAction(known: "auth.factor.enrol")
    public static let authFactorVerify = AuditAction(known: "auth.factor.verify")
    public static let transferCreate = AuditAction(known: "transfer.create")
    public static let bulkSubmit = AuditAction(known: "bulk.submit")
    public static let bulkOperation = AuditAction(known: "bulk.operation")
    public static let quotaDenied = AuditAction(known: "quota.denied")
    public static let accessDenied = AuditAction(known: "access.denied")

    /// `admin.<name>`, e.g. `admin(tenant.create)`; `nil` when `name` is not a valid suffix.
    public static func admin(_ name: String) -> AuditAction? {
        AuditAction(rawValue: "admin." + name)
    }
}
