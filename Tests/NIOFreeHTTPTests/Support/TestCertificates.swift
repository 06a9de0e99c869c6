import Foundation
import TestSupport

/// Throw-away PKI for TLS tests, made once per process with the `openssl` CLI in a fresh
/// temporary directory: a test CA, server certificates for `localhost` + `127.0.0.1`
/// (subjectAltName) signed by it with an EC P-256 key and with an RSA-2048 key, and a
/// self-signed "untrusted" certificate for the same names.
struct TestCertificates: Sendable {
    /// Why generation failed (the `openssl` command and its stderr).
    struct GenerationError: Error, Sendable, CustomStringConvertible {
        var description: String
    }

    let directory: String
    /// The test CA certificate (PEM): the trust root for ``serverChain`` and ``rsaServerChain``.
    let caCertificate: String
    /// EC P-256 leaf followed by the CA certificate.
    let serverChain: String
    let serverKey: String
    /// RSA-2048 leaf followed by the CA certificate.
    let rsaServerChain: String
    let rsaServerKey: String
    /// Self-signed certificate for `localhost` / `127.0.0.1`, trusted by nobody.
    let untrustedCertificate: String
    let untrustedKey: String

    /// Made on first use; Swift initialises a static `let` exactly once, thread-safely,
    /// so parallel tests share one set.
    private static let cached: Result<TestCertificates, GenerationError> = Result { () throws(GenerationError) in
        try make()
    }

    /// The process-wide certificate set.
    static func shared() throws -> TestCertificates {
        try cached.get()
    }

    private static func make() throws(GenerationError) -> TestCertificates {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("weavr-tls-tests-\(UUID().uuidString)").path
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw GenerationError(description: "cannot create \(directory): \(error)")
        }
        func path(_ name: String) -> String { directory + "/" + name }

        let ecParameters = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"]
        try openssl(["req", "-x509"] + ecParameters + [
            "-nodes", "-keyout", path("ca.key"), "-out", path("ca.pem"), "-days", "3",
            "-subj", "/CN=weavr-gateway test CA",
            "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        ])
        let leafExtensions = """
            subjectAltName=DNS:localhost,IP:127.0.0.1
            basicConstraints=critical,CA:FALSE
            keyUsage=critical,digitalSignature
            extendedKeyUsage=serverAuth

            """
        do {
            try leafExtensions.write(toFile: path("leaf.ext"), atomically: true, encoding: .utf8)
        } catch {
            throw GenerationError(description: "cannot write leaf.ext: \(error)")
        }
        try openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", path("server.key")])
        try openssl(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", path("rsa-server.key")])
        for name in ["server", "rsa-server"] {
            try openssl(["req", "-new", "-key", path("\(name).key"), "-subj", "/CN=localhost", "-out", path("\(name).csr")])
            try openssl([
                "x509", "-req", "-in", path("\(name).csr"), "-CA", path("ca.pem"), "-CAkey", path("ca.key"),
                "-CAcreateserial", "-days", "3", "-extfile", path("leaf.ext"), "-out", path("\(name).pem"),
            ])
            try concatenate([path("\(name).pem"), path("ca.pem")], into: path("\(name)-chain.pem"))
        }
        try openssl(["req", "-x509"] + ecParameters + [
            "-nodes", "-keyout", path("untrusted.key"), "-out", path("untrusted.pem"), "-days", "3",
            "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
        ])
        return TestCertificates(
            directory: directory,
            caCertificate: path("ca.pem"),
            serverChain: path("server-chain.pem"),
            serverKey: path("server.key"),
            rsaServerChain: path("rsa-server-chain.pem"),
            rsaServerKey: path("rsa-server.key"),
            untrustedCertificate: path("untrusted.pem"),
            untrustedKey: path("untrusted.key")
        )
    }

    private static func concatenate(_ inputs: [String], into output: String) throws(GenerationError) {
        var data = Data()
        for input in inputs {
            guard let part = FileManager.default.contents(atPath: input) else {
                throw GenerationError(description: "cannot read \(input)")
            }
            data.append(part)
        }
        guard FileManager.default.createFile(atPath: output, contents: data) else {
            throw GenerationError(description: "cannot write \(output)")
        }
    }

    private static func openssl(_ arguments: [String]) throws(GenerationError) {
        let result: (status: Int32, output: String)
        do {
            result = try ProcessRunner.runBlocking(["openssl"] + arguments)
        } catch {
            throw GenerationError(description: "cannot run openssl: \(error)")
        }
        guard result.status == 0 else {
            throw GenerationError(description: "openssl \(arguments.joined(separator: " ")) failed: " + result.output)
        }
    }
}
