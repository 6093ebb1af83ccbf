import Foundation
import NIOPosix

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where webhooks may go. A target whose host resolves to a loopback, private, link-local (cloud
/// metadata), shared or unspecified address is refused unless the operator allows private targets:
/// otherwise anyone with a partner key could make the server probe its own network.
public enum WebhookTarget {
    public static let maximumURLLength = 2_000

    /// Where a delivery connects when its host is a name: the address the check found for it, so that
    /// the connection goes where the check looked, not wherever a second lookup leads (DNS rebinding).
    public struct Destination: Sendable, Equatable {
        public let host: String
        public let address: String
    }

    /// Checks the URL's form (https, or http when private targets are allowed), then where its host
    /// resolves; answers the address to connect to when the host is a name that resolved (an IPv4
    /// address first: the one a server is surest to reach). The lookup (`getaddrinfo`, which blocks for
    /// as long as a slow resolver takes) runs on threads of its own (`lookups`), never on a thread of the
    /// shared pool that serves every request. Private targets allowed, a name that does not resolve is
    /// accepted (the HTTP client will look it up when it sends).
    @discardableResult
    public static func check(_ text: String, allowPrivate: Bool, field: String = "url") async throws(ValidationFailure) -> Destination? {
        let host = try checkForm(text, allowPrivate: allowPrivate, field: field)
        let addresses = (try? await lookups.runIfActive { resolve(host) }) ?? []
        if !allowPrivate {
            if addresses.isEmpty { throw ValidationFailure(field: field, message: "names a host that does not resolve") }
            // The address is not named: the answer must not become a way to look up internal host names.
            if addresses.contains(where: isPrivate) {
                throw ValidationFailure(field: field, message: "resolves to a private or reserved address; refused")
            }
        }
        guard !isLiteral(host), let address = addresses.first(where: { !$0.contains(":") }) ?? addresses.first else { return nil }
        return Destination(host: host, address: address)
    }

    /// Lookups wait on threads of their own: not the shared pool that serves requests, nor NIO's
    /// singleton pool, on which SQLiteNIO runs every statement (a resolver that never answers would
    /// hold them for its whole timeout).
    private static let lookups: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 2)
        pool.start()
        return pool
    }()

    /// An IPv4 or IPv6 address written as such (`[…]` for IPv6), whatever its spelling: connected as it is.
    static func isLiteral(_ host: String) -> Bool {
        let name = unbracketed(host)
        var v4 = in_addr(), v6 = in6_addr()
        return inet_pton(AF_INET, name, &v4) == 1 || inet_pton(AF_INET6, name, &v6) == 1
    }

    /// A URL's host without the brackets an IPv6 address is written in (`[::1]` → `::1`).
    private static func unbracketed(_ host: String) -> String {
        host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
    }

    /// The URL's form alone (no lookup); its host.
    static func checkForm(_ text: String, allowPrivate: Bool, field: String = "url") throws(ValidationFailure) -> String {
        guard text.count <= maximumURLLength, let url = URL(string: text), let scheme = url.scheme?.lowercased(),
            let host = url.host, !host.isEmpty, url.user == nil, url.password == nil
        else {
            throw ValidationFailure(field: field, message: "must be an absolute http(s) URL without credentials")
        }
        guard scheme == "https" || (scheme == "http" && allowPrivate) else {
            throw ValidationFailure(field: field, message: "must use https")
        }
        return host
    }

    /// The numeric addresses a host resolves to (a literal address resolves to itself). Blocks.
    static func resolve(_ host: String) -> [String] {
        let name = unbracketed(host)
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
            hints.ai_socktype = SOCK_STREAM
        #endif
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(name, nil, &hints, &result) == 0, let first = result else { return [] }
        defer { freeaddrinfo(first) }
        var addresses: [String] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let info = cursor {
            var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            if getnameinfo(info.pointee.ai_addr, info.pointee.ai_addrlen, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST) == 0 {
                addresses.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
            }
            cursor = info.pointee.ai_next
        }
        return addresses
    }

    /// Loopback, private (RFC 1918, unique local), link-local (and so cloud metadata), shared (CGNAT),
    /// unspecified, multicast and reserved addresses, in IPv4 and IPv6 (IPv4-mapped included).
    public static func isPrivate(_ address: String) -> Bool {
        if address.contains(":") {
            let lower = address.lowercased()
            if let mapped = lower.range(of: "::ffff:"), lower.hasPrefix("::ffff:") {
                let v4 = String(lower[mapped.upperBound...])
                if v4.contains(".") { return isPrivate(v4) }
            }
            if lower == "::1" || lower == "::" { return true }
            let first = lower.split(separator: ":", omittingEmptySubsequences: false).first.map(String.init) ?? ""
            guard let head = UInt16(first.isEmpty ? "0" : first, radix: 16) else { return true }
            if head & 0xFE00 == 0xFC00 { return true }  // fc00::/7 unique local
            if head & 0xFFC0 == 0xFE80 { return true }  // fe80::/10 link-local
            if head & 0xFF00 == 0xFF00 { return true }  // multicast
            if head == 0 { return true }  // ::/16 (mapped, compatible, unspecified)
            if head == 0x2002 { return true }  // 6to4 (embeds any IPv4 address)
            let groups = lower.split(separator: ":", omittingEmptySubsequences: false)
            if head == 0x0064, groups.count > 1, groups[1] == "ff9b" { return true }  // NAT64 64:ff9b::/96
            if head == 0x2001, groups.count > 1, groups[1].isEmpty || groups[1] == "0" || groups[1] == "0000" { return true }  // Teredo
            if head == 0x2001, groups.count > 1, groups[1] == "db8" { return true }  // documentation
            return false
        }
        let parts = address.split(separator: ".").compactMap { UInt8($0) }
        guard parts.count == 4 else { return true }
        switch (parts[0], parts[1]) {
        case (0, _), (10, _), (127, _): return true
        case (100, 64...127): return true
        case (169, 254): return true
        case (172, 16...31): return true
        case (192, 168): return true
        case (192, 0) where parts[2] == 0 || parts[2] == 2: return true
        case (198, 18...19): return true
        case (198, 51) where parts[2] == 100: return true
        case (203, 0) where parts[2] == 113: return true
        case (224...255, _): return true
        default: return false
        }
    }
}
