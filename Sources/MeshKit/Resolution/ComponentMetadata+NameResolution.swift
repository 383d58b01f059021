extension ComponentMetadata {
    /// The settings of a `nameResolution` section's `configuration` as metadata, so that a
    /// resolver built on a component's connection settings reads them with the same typed
    /// accessors. Errors name `spec.nameResolution.configuration.<field>`.
    ///
    /// - Parameter component: the resolver's component name, such as `redis`.
    public init(nameResolution configuration: JSONValue?, component: String) throws(MeshError) {
        let values = try NameResolutionJSON(value: configuration, path: "configuration").stringMap()
        self.init(
            values,
            componentName: "nameResolution \(component)",
            source: nil,
            fieldPath: "spec.nameResolution.configuration"
        )
    }
}
