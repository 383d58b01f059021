import Foundation

/// A Python with one third-party package from PyPI, for interop tests that run a real client
/// (pika, the Dapr SDK): the system's `python3` when it already imports the package, otherwise
/// a venv made once per machine in the temporary folder and reused. Needs `python3-venv`
/// (`scripts/system-packages.txt`).
public struct PythonVenv: Sendable {
    /// The program to run.
    public let executable: String
    /// The arguments that come before the script: `python3` when ``executable`` is `env`.
    public let leadingArguments: [String]

    /// A Python that imports `module`, installing `requirement` (a pip requirement such as
    /// `pika>=1.3,<2`) into the venv `meshkit-<name>-venv` when needed; `nil` when pip cannot
    /// install it (no route to PyPI), after printing why, so the caller can skip.
    public static func with(_ requirement: String, importing module: String, name: String) async throws -> PythonVenv? {
        let system = PythonVenv(executable: "/usr/bin/env", leadingArguments: ["python3"])
        if (try? await system.run(["-c", "import \(module)"])) != nil { return system }
        let venv = (NSTemporaryDirectory() as NSString).appendingPathComponent("meshkit-\(name)-venv")
        let python = PythonVenv(executable: "\(venv)/bin/python", leadingArguments: [])
        if (try? await python.run(["-c", "import \(module)"])) != nil { return python }
        try await TestCommand.run("/usr/bin/env", ["python3", "-m", "venv", venv])
        do {
            try await python.run(["-m", "pip", "install", "--quiet", "--disable-pip-version-check", requirement])
        } catch {
            print("SKIPPED: the \(name) interop tests need \(requirement) from PyPI, and pip could not install it: \(error)")
            return nil
        }
        return python
    }

    /// Runs Python with `arguments` (a script's path and its arguments, or `-c …`) and returns
    /// its standard output; `environment` replaces the process's environment when given.
    @discardableResult
    public func run(_ arguments: [String], environment: [String: String]? = nil) async throws -> String {
        try await TestCommand.run(executable, leadingArguments + arguments, environment: environment)
    }

    /// Writes `source` to a temporary file, runs it with `arguments`, and returns its output.
    @discardableResult
    public func run(source: String, _ arguments: [String], environment: [String: String]? = nil) async throws -> String {
        let folder = try ResourceFolder()
        defer { folder.remove() }
        let script = try folder.write("script.py", source)
        return try await run([script] + arguments, environment: environment)
    }
}
