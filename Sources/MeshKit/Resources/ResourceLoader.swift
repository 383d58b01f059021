import Foundation
import Yams

/// Reads Dapr resource files: `Component`, `Resiliency`, `Subscription` and `Configuration`,
/// one or many documents per file, exactly as Dapr users write them; and Istio's
/// `VirtualService`, `DestinationRule`, `IstioOperator`, `AuthorizationPolicy` and
/// `PeerAuthentication`, exactly as Istio users write them.
public enum ResourceLoader {
    /// The kinds MeshKit loads.
    public static let knownKinds = [
        "Component", "Configuration", "Resiliency", "Subscription", "VirtualService", "DestinationRule", "IstioOperator",
        "AuthorizationPolicy", "PeerAuthentication",
    ]

    /// Loads every `.yaml` and `.yml` file of a folder, in name order, as `dapr run --resources-path` does,
    /// then checks the references between them (``ResourceSet/validate()``).
    public static func load(directory: String) throws(MeshError) -> ResourceSet {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw MeshError(.invalidConfiguration, "cannot read the resources folder", context: .init(file: directory), underlying: error)
        }
        var resources = ResourceSet()
        for name in names.sorted() where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
            resources.merge(try load(file: (directory as NSString).appendingPathComponent(name)))
        }
        try resources.validate()
        return resources
    }

    /// Loads one resource file. References to resources of other files, such as a route's
    /// subset, are checked by ``ResourceSet/validate()``, not here.
    public static func load(file: String) throws(MeshError) -> ResourceSet {
        guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
            throw MeshError(.invalidConfiguration, "cannot read the resource file as UTF-8 text", context: .init(file: file))
        }
        return try parse(yaml: text, file: file)
    }

    /// Parses resource YAML; `file` names the origin in errors.
    public static func parse(yaml: String, file: String) throws(MeshError) -> ResourceSet {
        var resources = ResourceSet()
        for document in try documents(of: yaml, file: file) {
            try add(document, to: &resources)
        }
        return resources
    }

    private static func documents(of yaml: String, file: String) throws(MeshError) -> [ResourceNode] {
        try YAMLAliasScan.check(yaml, file: file)
        do {
            let parser = try Parser(yaml: yaml)
            var documents: [ResourceNode] = []
            let budget = ResourceExpansionBudget(byteCount: yaml.utf8.count)
            while let root = try parser.nextRoot() {
                documents.append(ResourceNode(root: root, file: file, budget: budget))
            }
            return documents
        } catch let error as YamlError {
            throw YAMLSyntaxError.meshError(from: error, yaml: yaml, file: file)
        } catch {
            throw MeshError(.malformedResource, "the file is not valid YAML", context: .init(file: file), underlying: error)
        }
    }

    private static func add(_ document: ResourceNode, to resources: inout ResourceSet) throws(MeshError) {
        if document.isNull { return }
        guard document.node.mapping != nil else {
            throw document.error(.malformedResource, "a resource must be a YAML mapping with apiVersion, kind, metadata and spec")
        }
        let apiVersion = try document.string("apiVersion")
        let kind = try document.string("kind")
        switch (apiVersion, kind) {
        case (nil, nil):
            throw MeshError(
                .missingField,
                "the resource has neither 'apiVersion' nor 'kind'; a Dapr resource starts with 'apiVersion: dapr.io/v1alpha1' and a 'kind' such as \(knownKinds.joined(separator: ", "))",
                context: .init(file: document.file, line: document.line, field: "apiVersion")
            )
        case (nil, _):
            throw MeshError(
                .missingField,
                "the resource has no 'apiVersion'",
                context: .init(file: document.file, line: document.line, field: "apiVersion")
            )
        case (_, nil):
            throw MeshError(
                .missingField,
                "the resource has no 'kind'; MeshKit loads \(knownKinds.joined(separator: ", "))",
                context: .init(file: document.file, line: document.line, field: "kind")
            )
        case (let apiVersion?, let kind?):
            switch kind {
            case "Component": resources.components.append(try ComponentResource(document: document))
            case "Resiliency": resources.resiliencies.append(try ResiliencyResource(document: document))
            case "Subscription": resources.subscriptions.append(try SubscriptionResource(document: document))
            case "Configuration": resources.configurations.append(try ConfigurationResource(document: document))
            case "VirtualService": resources.virtualServices.append(try VirtualServiceResource(document: document))
            case "DestinationRule": resources.destinationRules.append(try DestinationRuleResource(document: document))
            case "IstioOperator": resources.meshConfigs.append(try MeshConfigResource(document: document))
            case "AuthorizationPolicy": resources.authorizationPolicies.append(try AuthorizationPolicyResource(document: document))
            case "PeerAuthentication": resources.peerAuthentications.append(try PeerAuthenticationResource(document: document))
            default:
                let field = try document.required("kind")
                throw field.error(
                    .unknownKind,
                    "the kind '\(kind)' (\(apiVersion)) is not one MeshKit loads; known kinds: \(knownKinds.joined(separator: ", "))"
                )
            }
        }
    }
}
