/// A card's own spend rules (Weavr's `CardLevelSpendRules`). Every field is optional: nil means "no rule",
/// and, in a PATCH, "leave the stored value as it is".
struct SimulatedSpendRules: Sendable, Equatable {
    var allowedMerchantCategories: [String]?
    var blockedMerchantCategories: [String]?
    var allowedMerchantIds: [String]?
    var blockedMerchantIds: [String]?
    var allowedMerchantCountries: [String]?
    var blockedMerchantCountries: [String]?
    var allowContactless: Bool?
    var allowAtm: Bool?
    var allowECommerce: Bool?
    var allowCashback: Bool?
    var allowCreditAuthorisations: Bool?
    /// `rolloverPolicy.rolloverNegative` (stored and echoed; overspend is not simulated).
    var rolloverNegative: Bool?
    /// Card currency, minor units.
    var minTransactionAmount: Int64?
    var maxTransactionAmount: Int64?
    var spendLimits: [SimulatedSpendLimit]?

    /// The spec's `CardLevelSpendRules` JSON (absent rules are left out).
    var json: [String: Any] {
        var object: [String: Any] = [:]
        let lists: [(String, [String]?)] = [
            ("allowedMerchantCategories", allowedMerchantCategories), ("blockedMerchantCategories", blockedMerchantCategories),
            ("allowedMerchantIds", allowedMerchantIds), ("blockedMerchantIds", blockedMerchantIds),
            ("allowedMerchantCountries", allowedMerchantCountries), ("blockedMerchantCountries", blockedMerchantCountries),
        ]
        for (name, value) in lists { if let value { object[name] = value } }
        let flags: [(String, Bool?)] = [
            ("allowContactless", allowContactless), ("allowAtm", allowAtm), ("allowECommerce", allowECommerce),
            ("allowCashback", allowCashback), ("allowCreditAuthorisations", allowCreditAuthorisations),
        ]
        for (name, value) in flags { if let value { object[name] = value } }
        if let rolloverNegative { object["rolloverPolicy"] = ["rolloverNegative": rolloverNegative] }
        if let minTransactionAmount { object["minTransactionAmount"] = minTransactionAmount }
        if let maxTransactionAmount { object["maxTransactionAmount"] = maxTransactionAmount }
        if let spendLimits { object["spendLimit"] = spendLimits.map(\.json) }
        return object
    }

    /// Reads a `CardLevelSpendRules` body, collecting Weavr-style `invalidFields` in `check`. Limits are
    /// stamped with `now` as the moment they were set.
    static func parse(_ check: inout FieldValidator, now: Int64) -> SimulatedSpendRules {
        let country = "^[A-Z]{2}$"
        var rules = SimulatedSpendRules()
        rules.allowedMerchantCategories = check.stringArray("allowedMerchantCategories", maxItems: 200)
        rules.blockedMerchantCategories = check.stringArray("blockedMerchantCategories", maxItems: 200)
        rules.allowedMerchantIds = check.stringArray("allowedMerchantIds", maxItems: 200)
        rules.blockedMerchantIds = check.stringArray("blockedMerchantIds", maxItems: 200)
        rules.allowedMerchantCountries = check.stringArray("allowedMerchantCountries", maxItems: 50, itemPattern: country)
        rules.blockedMerchantCountries = check.stringArray("blockedMerchantCountries", maxItems: 50, itemPattern: country)
        rules.allowContactless = check.bool("allowContactless")
        rules.allowAtm = check.bool("allowAtm")
        rules.allowECommerce = check.bool("allowECommerce")
        rules.allowCashback = check.bool("allowCashback")
        rules.allowCreditAuthorisations = check.bool("allowCreditAuthorisations")
        if let policy = check.object("rolloverPolicy") {
            var nested = FieldValidator(policy, prefix: "rolloverPolicy")
            rules.rolloverNegative = nested.bool("rolloverNegative")
            if policy["rolloverNegative"] == nil { nested.fail("rolloverNegative", "REQUIRED") }
            check.merge(nested)
        }
        rules.minTransactionAmount = check.integer("minTransactionAmount", minimum: 0)
        rules.maxTransactionAmount = check.integer("maxTransactionAmount", minimum: 0)
        if let items = check.array("spendLimit") {
            var limits: [SimulatedSpendLimit] = []
            for (index, item) in items.enumerated() {
                guard let object = item as? [String: Any] else {
                    check.fail("spendLimit[\(index)]", "REGEX", ["object"])
                    continue
                }
                var nested = FieldValidator(object, prefix: "spendLimit[\(index)]")
                let value = nested.currencyAmount("value", required: true)
                let interval = nested.string("interval", required: true, allowed: SpendLimitInterval.allCases.map(\.rawValue))
                let start = nested.integer("startTimestamp")
                check.merge(nested)
                if let value, let interval = interval.flatMap(SpendLimitInterval.init(rawValue:)) {
                    limits.append(SimulatedSpendLimit(currency: value.currency, amount: value.amount, interval: interval, startTimestamp: start, setAt: now))
                }
            }
            rules.spendLimits = limits
        }
        return rules
    }

    /// The 409 code that refuses these limits on a card of `currency`, if any: another currency, the same
    /// interval twice, or a negative amount.
    func spendLimitConflict(cardCurrency currency: String) -> String? {
        let limits = spendLimits ?? []
        if limits.contains(where: { $0.currency != currency }) { return "SPEND_LIMIT_CURRENCY_DIFFERENT_FROM_CARD_CURRENCY" }
        if Set(limits.map(\.interval)).count != limits.count { return "SPEND_LIMIT_DUPLICATE_INTERVAL" }
        if limits.contains(where: { $0.amount < 0 }) { return "SPEND_LIMIT_AMOUNT_INVALID" }
        return nil
    }

    /// These rules with every field `update` sets replacing the stored one. Spend limits: OVERWRITE replaces
    /// the list; INCREMENT adds each given amount to the stored limit of the same interval (keeping when it
    /// was set, so an ALWAYS limit keeps its history) and appends limits of new intervals.
    func updated(by update: SimulatedSpendRules, incrementLimits: Bool) -> SimulatedSpendRules {
        var rules = self
        rules.allowedMerchantCategories = update.allowedMerchantCategories ?? allowedMerchantCategories
        rules.blockedMerchantCategories = update.blockedMerchantCategories ?? blockedMerchantCategories
        rules.allowedMerchantIds = update.allowedMerchantIds ?? allowedMerchantIds
        rules.blockedMerchantIds = update.blockedMerchantIds ?? blockedMerchantIds
        rules.allowedMerchantCountries = update.allowedMerchantCountries ?? allowedMerchantCountries
        rules.blockedMerchantCountries = update.blockedMerchantCountries ?? blockedMerchantCountries
        rules.allowContactless = update.allowContactless ?? allowContactless
        rules.allowAtm = update.allowAtm ?? allowAtm
        rules.allowECommerce = update.allowECommerce ?? allowECommerce
        rules.allowCashback = update.allowCashback ?? allowCashback
        rules.allowCreditAuthorisations = update.allowCreditAuthorisations ?? allowCreditAuthorisations
        rules.rolloverNegative = update.rolloverNegative ?? rolloverNegative
        rules.minTransactionAmount = update.minTransactionAmount ?? minTransactionAmount
        rules.maxTransactionAmount = update.maxTransactionAmount ?? maxTransactionAmount
        guard let given = update.spendLimits else { return rules }
        guard incrementLimits else {
            rules.spendLimits = given
            return rules
        }
        var limits = spendLimits ?? []
        for limit in given {
            if let index = limits.firstIndex(where: { $0.interval == limit.interval }) {
                limits[index].amount += limit.amount
            } else {
                limits.append(limit)
            }
        }
        rules.spendLimits = limits
        return rules
    }

    /// The spend rule (other than spend limits) that refuses `attempt`, as the simulator's decline code; nil
    /// when none does. A blocked list wins over an allowed list; an empty allowed list allows everything.
    func refusal(of attempt: PurchaseAttempt) -> String? {
        func refuses(_ value: String?, allowed: [String]?, blocked: [String]?) -> (blocked: Bool, notAllowed: Bool) {
            if let value, blocked?.contains(value) == true { return (true, false) }
            if let allowed, !allowed.isEmpty, !(value.map(allowed.contains) ?? false) { return (false, true) }
            return (false, false)
        }
        let checks: [(String?, [String]?, [String]?, String)] = [
            (attempt.merchant.categoryCode, allowedMerchantCategories, blockedMerchantCategories, "MCC"),
            (attempt.merchant.id, allowedMerchantIds, blockedMerchantIds, "MERCHANT"),
            (attempt.merchant.country, allowedMerchantCountries, blockedMerchantCountries, "COUNTRY"),
        ]
        for (value, allowed, blocked, name) in checks {
            let outcome = refuses(value, allowed: allowed, blocked: blocked)
            if outcome.blocked { return "SPEND_RULE_\(name)_BLOCKED" }
            if outcome.notAllowed { return "SPEND_RULE_\(name)_NOT_ALLOWED" }
        }
        let channelAllowed: Bool? = switch attempt.channel {
        case .contactless: allowContactless
        case .atm: allowAtm
        case .ecommerce: allowECommerce
        case .cashback: allowCashback
        case .chipAndPin: true
        }
        if channelAllowed == false { return "SPEND_RULE_CHANNEL_NOT_ALLOWED" }
        if let minTransactionAmount, attempt.amount < minTransactionAmount { return "SPEND_RULE_AMOUNT_BELOW_MINIMUM" }
        // "Omit this, or set to 0 if no maximum transaction amount is to be set" (AllLevelSpendRules).
        if let maxTransactionAmount, maxTransactionAmount > 0, attempt.amount > maxTransactionAmount { return "SPEND_RULE_AMOUNT_ABOVE_MAXIMUM" }
        return nil
    }
}
