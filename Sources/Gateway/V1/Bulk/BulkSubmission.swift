import Upstream

/// The bodies of the bulk submit routes, checked before anything is sent to Weavr, and the mapping of
/// Weavr's item-addressed 400 fields (`[3].pathParams._id_`) back to public names (`cardIds[3]`).
enum BulkSubmission {
    /// Weavr's limit per bulk process.
    static let maxOperations = 10_000

    /// `name`: an array of 1…10,000 distinct numeric id strings.
    static func ids(_ reader: inout FieldReader, _ name: String) -> [String]? {
        guard let values = reader.array(name, count: 1...maxOperations) else { return nil }
        var ids: [String] = []
        ids.reserveCapacity(values.count)
        var seen = Set<String>()
        for (index, value) in values.enumerated() {
            guard let id = value as? String, FieldReader.isNumericID(id) else {
                reader.fail("\(name)[\(index)]", "must be a numeric id string")
                continue
            }
            guard seen.insert(id).inserted else {
                reader.fail("\(name)[\(index)]", "duplicate id")
                continue
            }
            ids.append(id)
        }
        return ids.count == values.count ? ids : nil
    }

    /// `users`: 1…10,000 user objects, each as `POST /v1/users` takes it, with distinct emails.
    static func users(_ reader: inout FieldReader) -> [UserCreateBody]? {
        guard let values = reader.array("users", count: 1...maxOperations) else { return nil }
        var users: [UserCreateBody] = []
        users.reserveCapacity(values.count)
        var emails = Set<String>()
        for (index, value) in values.enumerated() {
            guard let object = value as? [String: Any] else {
                reader.fail("users[\(index)]", "must be an object")
                continue
            }
            var item = FieldReader(object, prefix: "users[\(index)].")
            let user = UserInput.read(&item)
            if let user, !emails.insert(user.email.lowercased()).inserted {
                item.fail("email", "duplicate in this bulk")
            }
            reader.merge(item)
            if let user, item.invalid.isEmpty { users.append(user) }
        }
        return users.count == values.count ? users : nil
    }

    /// `onFailure`: `continue` (default: every operation runs) or `stop` (the rest is cancelled after a failure).
    static func mode(_ reader: inout FieldReader) -> BulkMode {
        switch reader.optionalString("onFailure", length: 1...16) {
        case nil, "continue": return .onFailureContinue
        case "stop": return .onFailureStop
        default:
            reader.fail("onFailure", "must be continue or stop")
            return .onFailureContinue
        }
    }

    /// A Weavr failure of a submit; 400 field names become the public ones of list `listName`.
    static func problem(_ error: WeavrError, listName: String) -> Problem {
        guard case .badRequest(let fields) = error.kind else { return Problem.upstream(error) }
        return Problem(.validationFailed, invalidFields: fields.prefix(100).map { field in
            .init(name: publicName(field.fieldName, listName: listName), reason: UpstreamFieldNames.reason(field.error))
        })
    }

    /// `[3].pathParams._id_` → `cardIds[3]`, `[3].requestBody.email` → `users[3].email`, anything else → `listName`.
    static func publicName(_ weavrName: String, listName: String) -> String {
        guard weavrName.hasPrefix("["), let close = weavrName.firstIndex(of: "]") else { return listName }
        let index = weavrName[weavrName.index(after: weavrName.startIndex)..<close]
        guard !index.isEmpty, index.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), index.count <= 5 else { return listName }
        let item = "\(listName)[\(index)]"
        let rest = weavrName[weavrName.index(after: close)...]
        let known = ["name", "surname", "email", "mobile", "mobile.countryCode", "mobile.number", "roles"]
        if rest.hasPrefix(".requestBody."), case let field = String(rest.dropFirst(".requestBody.".count)), known.contains(field) {
            return item + "." + field
        }
        return item
    }
}
