/// Trees (territories, categories): a new parent must exist and must not be the node itself or below it.
enum Hierarchy {
    /// `parentOf` answers a node's parent id, `.some(nil)` for a root, or nil for an unknown node.
    static func checkParent(
        _ parent: String, of id: String, kind: String, parentOf: (String) async throws -> String??
    ) async throws {
        var current: String? = parent
        var seen: Set<String> = []
        while let step = current, seen.insert(step).inserted {
            if step == id { throw ValidationFailure(field: "parent_id", message: "would make a cycle") }
            guard let above = try await parentOf(step) else {
                throw ValidationFailure(field: "parent_id", message: "is not a known \(kind)")
            }
            current = above
        }
    }
}
