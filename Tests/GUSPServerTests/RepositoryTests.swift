import Foundation
import GUSPCore
import Testing

enum Repository {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}

@Suite("Repository")
struct RepositoryTests {
    @Test("the generator reads the root openapi.yaml through a symlink, not a copy")
    func contractIsSymlink() throws {
        let link = Repository.root.appendingPathComponent("Sources/GUSPAPI/openapi.yaml").path
        let destination = try FileManager.default.destinationOfSymbolicLink(atPath: link)
        #expect(destination == "../../openapi.yaml")
    }

    @Test("the README shows the permission table as the code defines it")
    func readmeShowsPermissions() throws {
        let readme = try String(contentsOf: Repository.root.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains(Permissions.markdownTable()))
    }
}
