import Foundation
import NIOFreeHTTP

extension WeavrSimulator {
    /// The target of a fault posted to `/_simulator/faults`.
    private struct FaultTarget: Decodable {
        var method: String?
        var path: String?
    }

    /// Test-only admin routes (no api-key): `GET|POST|DELETE /_simulator/faults`, `GET|DELETE /_simulator/requests`,
    /// the simulated card purchases (`addPurchaseRoutes`) and card events (`addCardAdminRoutes`).
    func addAdminRoutes(to router: inout Router) {
        addPurchaseRoutes(to: &router)
        addCardAdminRoutes(to: &router)
        router.get("/_simulator/faults") { [self] _, _ in
            let faults = state.withLock { $0.faults }
            var list: [[String: Any]] = []
            for (key, fault) in faults.sorted(by: { $0.key < $1.key }) {
                let parts = key.split(separator: " ", maxSplits: 1)
                guard var object = (try? JSONSerialization.jsonObject(with: JSONEncoder().encode(fault))) as? [String: Any] else { continue }
                object["method"] = String(parts[0])
                object["path"] = parts.count > 1 ? String(parts[1]) : "*"
                list.append(object)
            }
            return .json(200, JSONBody.encode(["faults": list]))
        }
        router.post("/_simulator/faults") { [self] request, _ in
            let data = Data(request.body)
            guard let target = try? JSONDecoder().decode(FaultTarget.self, from: data),
                  let fault = try? JSONDecoder().decode(SimulatorFault.self, from: data)
            else {
                return .json(400, #"{"message":"expected {method, path, latencyMs, errorRate, kind, status, trickleChunkBytes, trickleIntervalMs}"}"#)
            }
            setFault(fault, for: target.method ?? "*", path: target.path ?? "*")
            return HTTPResponse(status: 204)
        }
        router.delete("/_simulator/faults") { [self] _, _ in
            clearFaults()
            return HTTPResponse(status: 204)
        }
        router.get("/_simulator/requests") { [self] _, _ in
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let body = (try? encoder.encode(["requests": capturedRequests])) ?? Data("{}".utf8)
            return .json(200, Array(body))
        }
        router.delete("/_simulator/requests") { [self] _, _ in
            clearCapturedRequests()
            return HTTPResponse(status: 204)
        }
    }
}
