/// The version of this build: the contract's (`info.version` of openapi.yaml) and CHANGELOG.md's
/// latest entry, which a test keeps equal. `gusp --version` prints it.
public enum GUSPVersion {
    public static let current = "0.2.0"
}
