import Audit
import Foundation
import NIOFreeHTTP
import Upstream

// A card's spend rules ("limits") and its physical life, both directions: public input → Weavr bodies
// (`LimitsInput`, `PhysicalInput`), Weavr → public JSON (`LimitsView`).

/// The public shape of a card's limits, in and out:
///
///     {spendLimits: [{interval, amount, currency}], minAmount, maxAmount,
///      channels: {contactless, atm, ecommerce, cashback}, merchantCategories: {allowed, blocked},
///      merchantCountries: {allowed, blocked}, merchants: {allowed, blocked}}
///
/// Out, every member is present (null or [] when there is no such rule). In (PUT: the whole set, absent
/// members mean no rule; PATCH: only the members given change).
enum LimitsInput {
    static let intervals = ["daily", "weekly", "monthly", "quarterly", "yearly", "always"]
    static var channels: [(public: String, set: WritableKeyPath<SpendRules, Bool?>)] {[
        ("contactless", \.allowContactless), ("atm", \.allowAtm), ("ecommerce", \.allowECommerce), ("cashback", \.allowCashback),
    ]}
    static var lists: [(public: String, allowed: WritableKeyPath<SpendRules, [String]?>, blocked: WritableKeyPath<SpendRules, [String]?>, max: Int, valid: (String) -> Bool, expected: String)] {[
        ("merchantCategories", \.allowedMerchantCategories, \.blockedMerchantCategories, 200,
         { $0.utf8.count == 4 && $0.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }, "four-digit merchant category codes"),
        ("merchantCountries", \.allowedMerchantCountries, \.blockedMerchantCountries, 50,
         { $0.utf8.count == 2 && $0.utf8.allSatisfy { $0 >= 0x41 && $0 <= 0x5A } }, "ISO 3166 alpha-2 country codes (upper case)"),
        ("merchants", \.allowedMerchantIds, \.blockedMerchantIds, 200,
         { (1...64).contains($0.utf8.count) && $0.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F } }, "merchant ids (1-64 printable characters)"),
    ]}
    static let maxAmount: Int64 = 1_000_000_000_000

    /// The rules a body describes: the whole set (`partial` false) or only the members present.
    static func rules(_ request: HTTPRequest, partial: Bool) throws(Problem) -> SpendRules {
        var body = try FieldReader(request: request)
        var rules = SpendRules()
        let known = Set(["spendLimits", "minAmount", "maxAmount", "channels"] + lists.map(\.public))
        for key in body.object.keys.sorted() where !known.contains(key) {
            body.fail(key, "unknown member; limits take " + known.sorted().joined(separator: ", "))
        }
        if partial, !body.object.keys.contains(where: known.contains) {
            body.fail("spendLimits", "give at least one of " + known.sorted().joined(separator: ", "))
        }
        if let items = body.optionalArray("spendLimits", count: 0...intervals.count) {
            var limits: [SpendLimit] = []
            for (index, item) in items.enumerated() {
                guard let object = item as? [String: Any] else {
                    body.fail("spendLimits[\(index)]", "must be an object")
                    continue
                }
                var fields = FieldReader(object, prefix: "spendLimits[\(index)].")
                let interval = fields.string("interval", length: 1...12)
                if let interval, !intervals.contains(interval) { fields.fail("interval", "must be one of " + intervals.joined(separator: ", ")) }
                if let interval, limits.contains(where: { $0.interval == interval.uppercased() }) { fields.fail("interval", "given twice") }
                let amount = fields.integer("amount", range: 0...maxAmount)
                let currency = fields.string("currency", length: 3...3)
                if let currency, !ListQuery.isCurrencyCode(currency) { fields.fail("currency", "must be an ISO 4217 code (three upper-case letters)") }
                body.merge(fields)
                if let interval, intervals.contains(interval), let amount, let currency {
                    limits.append(SpendLimit(value: CurrencyAmount(currency: currency, amount: amount), interval: interval.uppercased()))
                }
            }
            rules.spendLimit = limits
        }
        for (name, path) in [("minAmount", \SpendRules.minTransactionAmount), ("maxAmount", \SpendRules.maxTransactionAmount)] where body.has(name) {
            rules[keyPath: path] = body.integer(name, range: 0...maxAmount)
        }
        if let min = rules.minTransactionAmount, let max = rules.maxTransactionAmount, min > max { body.fail("maxAmount", "must not be below minAmount") }
        if var channels = body.object("channels", required: false) {
            for key in channels.object.keys.sorted() where !Self.channels.contains(where: { $0.public == key }) {
                channels.fail(key, "unknown channel; channels are contactless, atm, ecommerce, cashback")
            }
            for channel in Self.channels where channels.has(channel.public) {
                if let value = channels.object[channel.public], Self.isBool(value), let allowed = value as? Bool {
                    rules[keyPath: channel.set] = allowed
                } else {
                    channels.fail(channel.public, "must be true or false")
                }
            }
            body.merge(channels)
        }
        for list in lists {
            guard var fields = body.object(list.public, required: false) else { continue }
            for key in fields.object.keys.sorted() where key != "allowed" && key != "blocked" {
                fields.fail(key, "unknown member; take allowed, blocked")
            }
            for (side, path) in [("allowed", list.allowed), ("blocked", list.blocked)] where fields.has(side) {
                guard let values = fields.optionalArray(side, count: 0...list.max) else { continue }
                let strings = values.compactMap { $0 as? String }
                if strings.count != values.count || !strings.allSatisfy(list.valid) {
                    fields.fail(side, "must be " + list.expected)
                } else {
                    rules[keyPath: path] = strings
                }
            }
            body.merge(fields)
        }
        try body.validate()
        return rules
    }

    private static func isBool(_ value: Any) -> Bool {
        (value as? NSNumber).map(FieldReader.isBoolean) ?? false
    }

    /// True when `rules` sets nothing.
    static func isEmpty(_ rules: SpendRules) -> Bool {
        rules == SpendRules()
    }

    /// A short account of `rules` for an audit row (before/after), at most 256 characters there.
    static func summary(_ rules: SpendRules?) -> String {
        guard let rules, !isEmpty(rules) else { return "none" }
        var parts: [String] = []
        for limit in rules.spendLimit ?? [] { parts.append("\(limit.interval.lowercased()) \(limit.value.amount) \(limit.value.currency)") }
        if let min = rules.minTransactionAmount { parts.append("min \(min)") }
        if let max = rules.maxTransactionAmount { parts.append("max \(max)") }
        for channel in channels { if let allowed = rules[keyPath: channel.set] { parts.append("\(channel.public) \(allowed ? "on" : "off")") } }
        for list in lists {
            if let allowed = rules[keyPath: list.allowed], !allowed.isEmpty { parts.append("\(list.public) allowed \(allowed.count)") }
            if let blocked = rules[keyPath: list.blocked], !blocked.isEmpty { parts.append("\(list.public) blocked \(blocked.count)") }
        }
        return parts.joined(separator: "; ")
    }
}

/// The card's own limits as public JSON (every member present).
enum LimitsView {
    static func body(_ rules: SpendRules?) -> [UInt8] {
        let rules = rules ?? SpendRules()
        var json = JSONWriter()
        json.beginObject()
        json.key("spendLimits")
        json.beginArray()
        for limit in rules.spendLimit ?? [] {
            json.beginObject()
            let interval = limit.interval.lowercased()
            json.field("interval", LimitsInput.intervals.contains(interval) ? interval : "other")
            json.field("amount", limit.value.amount)
            json.field("currency", limit.value.currency)
            json.endObject()
        }
        json.endArray()
        json.field("minAmount", rules.minTransactionAmount)
        json.field("maxAmount", rules.maxTransactionAmount)
        json.key("channels")
        json.beginObject()
        for channel in LimitsInput.channels { json.field(channel.public, rules[keyPath: channel.set]) }
        json.endObject()
        for list in LimitsInput.lists {
            json.key(list.public)
            json.beginObject()
            for (side, path) in [("allowed", list.allowed), ("blocked", list.blocked)] {
                json.key(side)
                json.beginArray()
                for value in rules[keyPath: path] ?? [] { json.value(value) }
                json.endArray()
            }
            json.endObject()
        }
        json.endObject()
        return json.bytes
    }
}

/// Bodies of the physical-card routes.
enum PhysicalInput {
    static let deliveryMethods = ["standard_delivery", "registered_mail", "courier", "first_class_mail"]

    /// `{deliveryAddress {name, surname, line1, line2?, city, postCode, state?, country}, deliveryMethod?, activationCode?}`.
    static func upgrade(_ request: HTTPRequest) throws(Problem) -> PhysicalUpgradeBody {
        var body = try FieldReader(request: request)
        var address: DeliveryAddress?
        if var fields = body.object("deliveryAddress", required: true) {
            let name = fields.string("name", length: 1...100)
            let surname = fields.string("surname", length: 1...100)
            let line1 = fields.string("line1", length: 1...50)
            let line2 = fields.optionalString("line2", length: 1...50)
            let city = fields.string("city", length: 1...50)
            let postCode = fields.string("postCode", length: 1...10)
            let state = fields.optionalString("state", length: 1...50)
            let country = fields.string("country", length: 2...2)
            if let country, !country.utf8.allSatisfy({ $0 >= 0x41 && $0 <= 0x5A }) { fields.fail("country", "must be ISO 3166 alpha-2 (upper case)") }
            // Weavr's DeliveryAddress.postCode: letters, digits, spaces and hyphens.
            if let postCode, !postCode.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x20 || $0 == 0x2D }) {
                fields.fail("postCode", "letters, digits, spaces and hyphens only")
            }
            body.merge(fields)
            if let name, let surname, let line1, let city, let postCode, let country {
                address = DeliveryAddress(name: name, surname: surname, addressLine1: line1, addressLine2: line2, city: city, postCode: postCode, state: state, country: country)
            }
        }
        let method = body.optionalString("deliveryMethod", length: 1...32)
        if let method, !deliveryMethods.contains(method) { body.fail("deliveryMethod", "must be one of " + deliveryMethods.joined(separator: ", ")) }
        let code = activationCode(&body, required: false)
        try body.validate()
        guard let address else { throw Problem(.validationFailed) }
        return PhysicalUpgradeBody(deliveryMethod: method?.uppercased(), deliveryAddress: address, activationCode: code)
    }

    /// `{activationCode}` (1-6 digits).
    static func activation(_ request: HTTPRequest) throws(Problem) -> String {
        var body = try FieldReader(request: request)
        let code = activationCode(&body, required: true)
        try body.validate()
        guard let code else { throw Problem(.validationFailed) }
        return code
    }

    /// `{reason: lost|stolen}` or `{reason: damaged|lost_stolen, activationCode}`.
    static func reason(_ request: HTTPRequest, _ allowed: [String], activation: Bool) throws(Problem) -> (reason: String, code: String?) {
        var body = try FieldReader(request: request)
        let reason = body.string("reason", length: 1...16)
        if let reason, !allowed.contains(reason) { body.fail("reason", "must be one of " + allowed.joined(separator: ", ")) }
        let code = activation ? activationCode(&body, required: true) : nil
        try body.validate()
        guard let reason else { throw Problem(.validationFailed) }
        return (reason, code)
    }

    private static func activationCode(_ body: inout FieldReader, required: Bool) -> String? {
        let code = required ? body.string("activationCode", length: 1...6) : body.optionalString("activationCode", length: 1...6)
        if let code, !code.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) { body.fail("activationCode", "must be 1-6 digits") }
        return code
    }
}
