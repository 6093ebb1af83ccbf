import Foundation

/// The most common passwords (`Resources/common-passwords.txt`, with its source and licence): the first
/// ones an attacker tries, so gusp refuses them as new passwords, whatever their case.
enum CommonPasswords {
    static let all: Set<String> = {
        guard let url = Bundle.module.url(forResource: "common-passwords", withExtension: "txt"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else { return [] }
        return Set(text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map(String.init))
    }()

    static func contains(_ password: String) -> Bool {
        all.contains(password.lowercased())
    }
}
