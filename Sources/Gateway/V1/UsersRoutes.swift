import Audit
import NIOFreeHTTP
import Upstream

/// The `/v1` users routes: list the identity's users, create one (stepped-up sessions only), send an invite.
///
/// - `GET /v1/users?limit&cursor` → 200 `{users: [User], nextCursor}`.
/// - `POST /v1/users` `{name, surname, email, mobile?, roles?}` → 201 User; 403 `step_up_required` unless the
///   session is stepped up (checked before Weavr is called, and Weavr's own 403 is mapped the same way).
/// - `PATCH /v1/users/{id}` `{name?, surname?, email?, mobile?, dateOfBirth?}` → 200 User; audited `user.update`
///   with the names of the fields changed (never their values).
/// - `POST /v1/users/{id}/activate|deactivate` → 200 User as it is now (Weavr answers 204; the user is read
///   after); audited `user.activate` / `user.deactivate`. A deactivated user cannot log in.
/// - `POST /v1/users/{id}/invite` → 204: Weavr sends the invite email synchronously and answers 204, so there
///   is nothing to return and nothing pending to poll (202 would promise a status to look up).
struct UsersRoutes: Sendable {
    let v1: V1Router

    static let createBodyLimit = 16 * 1024

    func register(on routes: inout V1Routes) {
        routes.query("/users") { call in try await list(call) }
        routes.mutation("POST", "/users", bodyLimit: UsersRoutes.createBodyLimit) { call in try await create(call) }
        routes.mutation("POST", "/users/{id}/invite", bodyLimit: 1024) { call in try await invite(call) }
        routes.mutation("POST", "/users/{id}/activate", bodyLimit: 1024, audit: AuditStep(action: .userActivate, targetParameter: "id")) { call in
            try await setActive(call, true)
        }
        routes.mutation("POST", "/users/{id}/deactivate", bodyLimit: 1024, audit: AuditStep(action: .userDeactivate, targetParameter: "id")) { call in
            try await setActive(call, false)
        }
        routes.mutation("PATCH", "/users/{id}", bodyLimit: 4 * 1024, audit: AuditStep(action: .userUpdate, targetParameter: "id")) { call in
            try await update(call)
        }
    }

    func list(_ call: V1Call) async throws -> HTTPResponse {
        var query = try ListQuery(call.request, allowed: ["limit", "cursor"])
        let page = PageRequest(&query, scope: "users")
        try query.validate()
        let result = try await call.weavr.listUsers(offset: page.offset, limit: page.limit).value
        var json = JSONWriter()
        json.beginObject()
        json.key("users")
        json.beginArray()
        for user in result.items { json.user(user) }
        json.endArray()
        json.field("nextCursor", page.nextCursor(returned: result.items.count, total: result.count))
        json.endObject()
        return .json(200, json.bytes, headers: ["cache-control": "no-store"])
    }

    func create(_ call: V1Call) async throws -> HTTPResponse {
        // Weavr: "In order to Create an Authorised User you would need a stepped-up token" — say so before asking.
        guard call.auth.session.isSteppedUp else {
            throw Problem(.stepUpRequired, detail: "verify a step-up challenge first")
        }
        var reader = try FieldReader(request: call.request)
        let body = UserInput.read(&reader)
        try reader.validate()
        guard let body else { throw Problem(.validationFailed) }
        let user: WeavrUser
        do {
            user = try await call.weavr.createUser(body).value
        } catch {
            guard case .badRequest(let fields) = error.kind else { throw error }
            throw UpstreamFailure(problem: UpstreamFieldNames.problem(fields, unknownAs: "body"), weavr: error)
        }
        var json = JSONWriter()
        json.user(user)
        return .json(201, json.bytes, headers: ["location": "/v1/users/\(user.id)"])
    }

    func update(_ call: V1Call) async throws -> HTTPResponse {
        let id = try CardsRoutes.pathID(call)
        var reader = try FieldReader(request: call.request)
        let body = UserInput.readPatch(&reader)
        try reader.validate()
        guard let body else { throw Problem(.validationFailed) }
        let fields = UserInput.patchFields.filter(reader.has).joined(separator: ",")
        return try await call.audited(details: ["fields": .string(fields)]) {
            let result = try await CardsRoutes.upstream { () async throws(WeavrError) in try await call.weavr.updateUser(id, body) }
            var json = JSONWriter()
            json.user(result.value)
            return AuditedOutcome(response: CardsRoutes.json(200, json.bytes), upstreamStatus: result.status, upstreamRequestRef: result.requestRef)
        }
    }

    func setActive(_ call: V1Call, _ active: Bool) async throws -> HTTPResponse {
        let id = try CardsRoutes.pathID(call)
        return try await call.audited {
            let result = try await CardsRoutes.upstream { () async throws(WeavrError) in try await call.weavr.setUserActive(id, active) }
            let user = try await CardsRoutes.upstream { () async throws(WeavrError) in try await call.weavr.getUser(id) }
            var json = JSONWriter()
            json.user(user.value)
            return AuditedOutcome(response: CardsRoutes.json(200, json.bytes), upstreamStatus: result.status, upstreamRequestRef: result.requestRef)
        }
    }

    func invite(_ call: V1Call) async throws -> HTTPResponse {
        guard let id = call.request.pathParameters["id"], FieldReader.isNumericID(id) else { throw Problem(.notFound) }
        _ = try await call.weavr.inviteUser(id)
        return HTTPResponse(status: 204)
    }

}
