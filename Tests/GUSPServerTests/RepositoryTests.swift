import Foundation
import GUSPCore
import GUSPServer
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

    @Test("the README shows the signalement workflow as the code defines it")
    func readmeShowsWorkflow() throws {
        let readme = try String(contentsOf: Repository.root.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains(SignalementWorkflow.markdownTable()))
    }

    @Test("the README's configuration table lists every setting with its default")
    func readmeShowsConfiguration() throws {
        let readme = try String(contentsOf: Repository.root.appendingPathComponent("README.md"), encoding: .utf8)
        for setting in ServerSettings.descriptions {
            let row = readme.split(separator: "\n").first { $0.hasPrefix("| `\(setting.variable)` |") }
            #expect(row != nil, "\(setting.variable) is missing from the README")
            if let row, !setting.defaultValue.hasPrefix("unset") {
                #expect(row.contains("`\(setting.defaultValue)`"), "\(setting.variable)'s default differs in the README")
            }
        }
    }
}
