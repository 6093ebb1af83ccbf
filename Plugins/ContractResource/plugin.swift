import Foundation
import PackagePlugin

/// Copies the root `openapi.yaml` into the target's resources at build time, so that the binary
/// serves the very contract it was generated from (`GET /openapi.yaml`) without a second copy in git.
@main
struct ContractResource: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let contract = context.package.directoryURL.appending(path: "openapi.yaml")
        let copy = context.pluginWorkDirectoryURL.appending(path: "openapi.yaml")
        return [
            .buildCommand(
                displayName: "Embedding openapi.yaml",
                executable: URL(fileURLWithPath: "/bin/cp"),
                arguments: [contract.path, copy.path],
                inputFiles: [contract],
                outputFiles: [copy])
        ]
    }
}
