package import HTTPTypes

extension HTTPFields {
    /// The value of the field `name`, as `self[name]` reads it (several fields with that name
    /// are joined with `, `), but found by one scan and without building the joined string when
    /// there is one field, which is what trace headers and MeshKit's own headers are.
    package func value(of name: HTTPField.Name) -> String? {
        guard let first = firstIndex(where: { $0.name == name }) else { return nil }
        if self[index(after: first)...].contains(where: { $0.name == name }) { return self[name] }
        return self[first].value
    }
}
