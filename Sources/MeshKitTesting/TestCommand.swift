import Foundation

/// Runs a program to completion for a test, without blocking a thread while it runs: a real
/// client such as `curl`, `openssl` or a Python script against the service under test.
public enum TestCommand {
    /// Runs `executable` with `arguments` and returns its standard output without the trailing
    /// newline. Throws ``TestServerError`` with its standard error when it exits with a failure.
    /// `environment` replaces the process's environment when given.
    @discardableResult
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) async throws -> String {
        let folder = (NSTemporaryDirectory() as NSString).appendingPathComponent("meshkit-command-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let outputPath = (folder as NSString).appendingPathComponent("out")
        let errorPath = (folder as NSString).appendingPathComponent("err")
        guard FileManager.default.createFile(atPath: outputPath, contents: nil),
            FileManager.default.createFile(atPath: errorPath, contents: nil)
        else {
            throw TestServerError(message: "cannot create files in \(folder)")
        }
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        defer { try? output.close() }
        let errors = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        defer { try? errors.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.standardOutput = output
        process.standardError = errors
        let (exited, exit) = AsyncStream.makeStream(of: Void.self)
        process.terminationHandler = { _ in exit.finish() }
        try await TestProcessLauncher.launch(process)
        for await _ in exited {}
        if process.terminationStatus != 0 {
            let message = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
            throw TestServerError(message: "\(executable) exited with \(process.terminationStatus): \(message)")
        }
        let text = try String(contentsOfFile: outputPath, encoding: .utf8)
        return text.hasSuffix("\n") ? String(text.dropLast()) : text
    }
}
