import Foundation
import Testing
import WeavrSimulator

struct AccountIBANTests {
    func details(_ response: TestResponse) -> [[String: Any]] {
        response.object["bankAccountDetails"] as? [[String: Any]] ?? []
    }

    /// ISO 13616: move the first four characters to the end, letters to 10…35, the number mod 97 is 1.
    func isValidIBAN(_ iban: String) -> Bool {
        let rearranged = iban.dropFirst(4) + iban.prefix(4)
        var remainder = 0
        for scalar in rearranged.unicodeScalars {
            let value = scalar.properties.numericType != nil ? Int(scalar.value) - 48 : Int(scalar.value) - 55
            for digit in String(value).utf8 { remainder = (remainder * 10 + Int(digit) - 48) % 97 }
        }
        return remainder == 1
    }

    @Test func anAccountIsUnallocatedUntilUpgradedThenCarriesSEPADetails() async throws {
        try await withSimulator { _, client async throws in
            let token = try await client.login()
            let before = try await client.send("GET", "/managed_accounts/\(Demo.eurAccount)/iban", token: token)
            #expect(before.status == 200)
            #expect(before.object["state"] as? String == "UNALLOCATED")
            #expect(details(before).isEmpty)

            let upgraded = try await client.send("POST", "/managed_accounts/\(Demo.eurAccount)/iban", token: token)
            #expect(upgraded.status == 200)
            #expect(upgraded.object["state"] as? String == "ALLOCATED")
            let entry = try #require(details(upgraded).first)
            #expect(entry["beneficiaryNameAndSurname"] as? String == "Acme Ltd")
            #expect(entry["beneficiaryBank"] as? String == "Simulated Bank plc")
            #expect((entry["beneficiaryBankAddress"] as? String)?.isEmpty == false)
            #expect(entry["type"] as? String == "SEPA")
            #expect((entry["paymentReference"] as? String)?.hasPrefix("SIM") == true)
            let wire = try #require(entry["details"] as? [String: String])
            let iban = try #require(wire["iban"])
            #expect(iban.hasPrefix("MT") && iban.count == 31 && isValidIBAN(iban))
            #expect(wire["bankIdentifierCode"] == "SIMLMTM1")

            let after = try await client.send("GET", "/managed_accounts/\(Demo.eurAccount)/iban", token: token)
            #expect(after.object["state"] as? String == "ALLOCATED")
            #expect((details(after).first?["details"] as? [String: String])?["iban"] == iban)
            let again = try await client.send("POST", "/managed_accounts/\(Demo.eurAccount)/iban", token: token)
            #expect(again.status == 409)
            #expect(again.object["errorCode"] as? String == "INSTRUMENT_ALREADY_UPGRADED_TO_IBAN")
        }
    }

    @Test func gbpAccountsGetFasterPaymentsDetails() async throws {
        try await withSimulator { _, client async throws in
            let token = try await client.login()
            let upgraded = try await client.send("POST", "/managed_accounts/\(Demo.gbpAccount)/iban", token: token)
            let entry = try #require(details(upgraded).first)
            #expect(entry["type"] as? String == "FASTER_PAYMENTS")
            let wire = try #require(entry["details"] as? [String: String])
            #expect(wire["accountNumber"]?.count == 8 && wire["sortCode"]?.count == 6 && wire["iban"] == nil)
        }
    }

    @Test func upgradeReplaysItsIdempotencyRefAndHidesOtherIdentitiesAccounts() async throws {
        try await withSimulator { _, client async throws in
            let token = try await client.login()
            let first = try await client.send("POST", "/managed_accounts/\(Demo.eurAccount)/iban", token: token, headers: ["idempotency-ref": "iban-1"])
            let replay = try await client.send("POST", "/managed_accounts/\(Demo.eurAccount)/iban", token: token, headers: ["idempotency-ref": "iban-1"])
            #expect(first.status == 200 && replay.status == 200)
            #expect(first.body == replay.body)
            #expect(try await client.send("POST", "/managed_accounts/1/iban", token: token).status == 404)
            #expect(try await client.send("GET", "/managed_accounts/1/iban", token: token).status == 404)
            let carol = try await client.login("carol@example.com", "Password3!")
            #expect(try await client.send("GET", "/managed_accounts/\(Demo.eurAccount)/iban", token: carol).status == 404)
            #expect(try await client.send("POST", "/managed_accounts/\(Demo.eurAccount)/iban", token: carol).status == 404)
            #expect(try await client.send("GET", "/managed_accounts/\(Demo.eurAccount)/iban").status == 401)
        }
    }
}
