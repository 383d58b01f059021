// meshkit-ca: MeshKit's development certificate authority as a command.
//
//     meshkit-ca create-root --out ca/
//     meshkit-ca issue --ca ca/ --out certs/order-service --namespace default --service-account order-service
//     meshkit-ca issue --ca ca/ --out certs/checkout --namespace default --app-id checkout --dapr
//
// `create-root` writes ca/root.pem and ca/root.key.pem (mode 0600); `issue` writes cert.pem,
// key.pem (0600) and bundle.pem (the root) into --out, for MeshHTTPServer, the HTTP transport,
// openssl and curl.

import ArgumentParser
import Foundation
import MeshKit
import MeshKitSecurity

@main
struct MeshKitCA: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "meshkit-ca",
        abstract: "MeshKit's development CA: a P-256 root that issues SPIFFE workload certificates.",
        subcommands: [CreateRoot.self, Issue.self]
    )
}

struct CreateRoot: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create-root", abstract: "Create a root: root.pem and root.key.pem.")

    @Option(help: "The directory to write root.pem and root.key.pem into.")
    var out: String

    @Option(help: "The root's lifetime in days.")
    var days = 365

    @Option(help: "The root's common name.")
    var commonName = "MeshKit development root CA"

    func run() throws {
        let ca = try DevelopmentCA.create(commonName: commonName, lifetime: .seconds(days * 24 * 3600))
        let files = try ca.write(to: URL(fileURLWithPath: out))
        print("wrote \(files.certificate.path) and \(files.privateKey.path)")
    }
}

struct Issue: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Issue a workload certificate with a SPIFFE URI SAN: cert.pem, key.pem and bundle.pem."
    )

    @Option(help: "The CA directory that create-root wrote.")
    var ca: String

    @Option(help: "The directory to write cert.pem, key.pem and bundle.pem into.")
    var out: String

    @Option(help: "The trust domain.")
    var trustDomain = "cluster.local"

    @Option(help: "The namespace.")
    var namespace = "default"

    @Option(help: "The service account (Istio's form, spiffe://<td>/ns/<ns>/sa/<sa>).")
    var serviceAccount: String?

    @Option(help: "The app ID; the service account too unless --dapr.")
    var appID: String?

    @Flag(help: "Use Dapr's form, spiffe://<td>/ns/<ns>/<app id>.")
    var dapr = false

    @Option(help: "The certificate's lifetime in hours.")
    var hours = 24

    func validate() throws {
        guard (serviceAccount == nil) != (appID == nil) else { throw ValidationError("give one of --service-account and --app-id") }
        if dapr && appID == nil { throw ValidationError("--dapr needs --app-id") }
    }

    func run() throws {
        let authority = try DevelopmentCA.load(from: URL(fileURLWithPath: ca))
        let name = serviceAccount ?? appID ?? ""
        let identity =
            dapr
            ? try SPIFFEID(trustDomain: trustDomain, namespace: namespace, appID: name)
            : try SPIFFEID(trustDomain: trustDomain, namespace: namespace, serviceAccount: name)
        let issued = try authority.issue(for: identity, lifetime: .seconds(hours * 3600))
        let files = try issued.write(to: URL(fileURLWithPath: out), bundle: authority)
        print(
            "wrote \(files.certificate.path), \(files.privateKey.path) and \(files.trustBundle.path) for \(identity) (serial \(issued.serialHex))"
        )
    }
}
