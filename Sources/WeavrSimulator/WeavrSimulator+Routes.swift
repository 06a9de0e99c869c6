public import NIOFreeHTTP

extension WeavrSimulator {
    /// Every simulated Weavr operation.
    static let routes: [SimulatorRoute] = {
        var routes: [SimulatorRoute] = []
        func add(_ method: String, _ pattern: String, _ access: SimulatorRoute.Access, idempotent: Bool = false,
                 _ action: @escaping @Sendable (inout SimulatorState, SimulatorCall) -> SimulatorReply) {
            routes.append(SimulatorRoute(method: method, pattern: pattern, access: access, idempotent: idempotent, action: action))
        }
        let instrument = SimulatorRoute.Access.accessToken(instrument: true)
        let user = SimulatorRoute.Access.accessToken(instrument: false)

        add("POST", "/login_with_password", .apiKey) { $0.login($1) }
        add("POST", "/access_token", .optionalToken) { $0.accessToken($1) }
        add("GET", "/identities", .anyToken) { $0.identitiesList($1) }
        add("POST", "/logout", user) { $0.logout($1) }
        add("POST", "/stepup/challenges/otp/{channel}", user, idempotent: true) { $0.stepUpChallenge($1) }
        add("POST", "/stepup/challenges/otp/{channel}/verify", user, idempotent: true) { $0.stepUpVerify($1) }
        add("POST", "/authentication_factors/otp/{channel}", user, idempotent: true) { $0.enrolOTP($1) }
        add("POST", "/authentication_factors/otp/{channel}/verify", user, idempotent: true) { $0.enrolOTPVerify($1) }
        add("POST", "/passwords/update", user) { $0.passwordUpdate($1) }
        add("POST", "/passwords/lost_password/start", .apiKey) { $0.lostPasswordStart($1) }
        add("POST", "/passwords/lost_password/resume", .apiKey) { $0.lostPasswordResume($1) }

        add("POST", "/managed_cards", instrument, idempotent: true) { $0.createCard($1) }
        add("GET", "/managed_cards", instrument) { $0.listCards($1) }
        add("GET", "/managed_cards/{id}", instrument) { $0.getCard($1) }
        add("PATCH", "/managed_cards/{id}", instrument, idempotent: true) { $0.patchCard($1) }
        add("POST", "/managed_cards/{id}/block", instrument, idempotent: true) { state, call in
            state.blockCard(id: call.pathParameters["id"], principal: call.principal!)
        }
        add("POST", "/managed_cards/{id}/unblock", instrument, idempotent: true) { state, call in
            state.unblockCard(id: call.pathParameters["id"], principal: call.principal!)
        }
        add("POST", "/managed_cards/{id}/remove", instrument) { state, call in
            state.removeCard(id: call.pathParameters["id"], principal: call.principal!)
        }
        add("GET", "/managed_cards/{id}/transactions", instrument) { $0.instrumentTransactions(.managedCards, $1) }
        add("GET", "/managed_cards/{id}/statement", instrument) { $0.statement(.managedCards, $1) }
        routes += cardControlRoutes
        add("GET", "/managed_accounts", instrument) { $0.listAccounts($1) }
        add("GET", "/managed_accounts/{id}", instrument) { $0.getAccount($1) }
        add("POST", "/managed_accounts/{id}/iban", instrument, idempotent: true) { $0.upgradeAccountIBAN($1) }
        add("GET", "/managed_accounts/{id}/iban", instrument) { $0.getAccountIBAN($1) }
        add("GET", "/managed_accounts/{id}/transactions", instrument) { $0.instrumentTransactions(.managedAccounts, $1) }
        add("GET", "/managed_accounts/{id}/statement", instrument) { $0.statement(.managedAccounts, $1) }

        // The spec's 403 on POST /transfers is `Forbidden` (INSUFFICIENT_PERMISSIONS only): an AUTH token gets 401.
        add("POST", "/transfers", user, idempotent: true) { $0.createTransfer($1) }
        add("GET", "/transfers", instrument) { $0.listTransfers($1) }
        add("GET", "/transfers/{id}", instrument) { $0.getTransfer($1) }

        add("POST", "/users", user, idempotent: true) { state, call in
            state.createUser(body: call.body, principal: call.principal!, requireStepUp: true)
        }
        add("GET", "/users", user) { $0.listUsers($1) }
        add("GET", "/users/{user_id}", user) { $0.getUser($1) }
        add("PATCH", "/users/{user_id}", user, idempotent: true) { $0.updateUser($1) }
        add("POST", "/users/{user_id}/activate", user) { $0.setUserActive(true, $1) }
        add("POST", "/users/{user_id}/deactivate", user) { $0.setUserActive(false, $1) }
        add("POST", "/users/{user_id}/invite/consume", .apiKey, idempotent: true) { $0.consumeInvite($1) }
        add("POST", "/users/{user_id}/invite", user, idempotent: true) { state, call in
            state.inviteUser(id: call.pathParameters["user_id"], principal: call.principal!)
        }

        for kind in BulkOperationKind.allCases {
            add("POST", kind.submitPath, user, idempotent: kind.acceptsIdempotencyRef) { $0.submitBulk(kind, $1) }
        }
        add("GET", "/bulks", user) { $0.listBulks($1) }
        add("GET", "/bulks/{bulk_id}", user) { $0.getBulk($1) }
        add("GET", "/bulks/{bulk_id}/operations", user) { $0.listBulkOperations($1) }
        for action in ["execute", "pause", "resume", "cancel"] {
            add("POST", "/bulks/{bulk_id}/\(action)", user) { $0.transitionBulk(action, $1) }
        }
        return routes
    }()

    /// A router serving every simulated operation, plus the `/_simulator/*` admin routes when enabled.
    /// Every answer carries a unique `request-ref` header.
    public func makeRouter() -> Router {
        var router = Router(middlewares: [SimulatorTrafficMiddleware(simulator: self), SimulatorWebhookMiddleware(simulator: self)])
        for route in WeavrSimulator.routes {
            router.add(route.method, route.pattern) { [self] request, context in
                try await serve(route, request: request, context: context)
            }
        }
        if configuration.adminRoutesEnabled {
            addAdminRoutes(to: &router)
        }
        return router
    }
}
