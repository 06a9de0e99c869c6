/// `/v1/events` (Server-Sent Events) and the Weavr webhook receiver in the OpenAPI document.
extension OpenAPIDocument {
    static func eventPaths() -> Object {
        var paths: Object = [
            "/v1/events": [
                "get": operation(
                    "streamEvents", tag: "events",
                    summary: "The session's identity's Weavr events as Server-Sent Events (text/event-stream): card state changes, "
                        + "authorisations (merchant, amount, approved or declined and why), settlements, transfers. Each event has "
                        + "`id` (resume with `Last-Event-ID`, within the 7-day retention), `event` (its type) and `data` (JSON: `type`, "
                        + "`cardId`, … as in `WeavrEvent`); idle streams get comment heartbeats; the stream ends when the session does. "
                        + "At most 3 streams per session (429 `too_many_streams`); a client that stops reading is dropped.",
                    parameters: [[
                        "name": "Last-Event-ID", "in": "header", "required": false,
                        "description": "Resume after this event id (what the stream sent last)",
                        "schema": ["type": "string", "pattern": "^[0-9]{1,19}$"] as Object,
                    ] as Object],
                    problems: ["400", "401", "403", "422", "429", "503"],
                    responses: ["200": [
                        "description": "The event stream",
                        "content": ["text/event-stream": ["schema": ["type": "string"] as Object] as Object] as Object,
                    ] as Object]
                ),
            ] as Object,
        ]
        let tenant = pathParameter("tenant", pattern: "^[a-z0-9][a-z0-9-]{1,62}$")
        let headers: [Object] = [
            ["name": "call-ref", "in": "header", "required": false, "description": "Weavr's delivery reference (deduplicated)",
             "schema": ["type": "string", "maxLength": 255] as Object],
            ["name": "published-timestamp", "in": "header", "required": true, "description": "Epoch ms; refused outside ±5 minutes",
             "schema": ["type": "string", "pattern": "^[0-9]{1,19}$"] as Object],
            ["name": "signature-v2", "in": "header", "required": true,
             "description": "base64(HMAC-SHA256(api-key, call-ref + raw body + published-timestamp))", "schema": ["type": "string"] as Object],
        ]
        for kind in WeavrWebhookEvent.Kind.allCases {
            var post = operation(
                "weavrWebhook_" + kind.rawValue.replacingOccurrences(of: ".", with: "_"), tag: "webhooks",
                summary: "Weavr's `\(kind.weavrPath)` webhook for a tenant (set `https://<gateway>/webhooks/<tenant>` as the webhook URL "
                    + "in Weavr's portal). 204 once taken in (or already taken in: `call-ref` is deduplicated); 401 for a signature "
                    + "that does not verify or an unknown tenant alike.",
                public: true, parameters: headers, body: ["type": "object"], problems: ["400", "401", "413", "503"],
                responses: ["204": emptyResponse("Taken in")]
            )
            post["parameters"] = (post["parameters"] as? [Object] ?? []) + [tenant]
            paths["/webhooks/{tenant}/" + kind.weavrPath] = ["post": post] as Object
        }
        return paths
    }
}
