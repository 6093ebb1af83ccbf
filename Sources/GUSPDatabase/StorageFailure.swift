/// A stored row that does not read back as expected: a server fault (500), never the client's.
/// Row decoding errors are turned into this so they cannot pass for a malformed request.
public struct StorageFailure: Error, Sendable, CustomStringConvertible {
    public let description: String

    public init(description: String) {
        self.description = description
    }

    package static func guarding<Result>(_ body: () async throws -> Result) async throws -> Result {
        do {
            return try await body()
        } catch let error as DecodingError {
            throw StorageFailure(description: "a stored row could not be read: \(error)")
        }
    }
}
