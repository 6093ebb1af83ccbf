/// One invalid input field, named as the client sent it (`snake_case`, dotted for nested fields).
public struct FieldError: Sendable, Equatable, Codable {
    public let field: String
    public let message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}

/// A request that is well-formed but breaks a validation rule; becomes a 422 with the field list.
public struct ValidationFailure: Error, Sendable, Equatable {
    public let errors: [FieldError]

    public init(_ errors: [FieldError]) {
        self.errors = errors
    }

    public init(field: String, message: String) {
        self.errors = [FieldError(field: field, message: message)]
    }
}

/// Collects field errors while a command is checked, then throws them all at once.
public struct Validator: Sendable {
    public private(set) var errors: [FieldError] = []

    public init() {}

    public mutating func fail(_ field: String, _ message: String) {
        errors.append(FieldError(field: field, message: message))
    }

    public mutating func check(_ condition: Bool, _ field: String, _ message: String) {
        if !condition { fail(field, message) }
    }

    /// The one rule of every human-readable text (labels, names, descriptions, notes): trimmed, not
    /// blank, at most `maxLength` Unicode code points (as JSON Schema's `maxLength` counts; grapheme
    /// clusters would let one "character" carry a hundred), and plain text: no control characters but
    /// tab and line breaks.
    public mutating func text(_ value: String?, _ field: String, required: Bool = true, maxLength: Int) {
        guard let value else {
            if required { fail(field, "is required") }
            return
        }
        let trimmed = value.trimmingWhitespace
        if trimmed.isEmpty {
            fail(field, "must not be blank")
        } else if value.utf8.count > maxLength && value.unicodeScalars.count > maxLength {  // never more code points than bytes
            fail(field, "must be at most \(maxLength) characters")
        }
        if value.unicodeScalars.contains(where: Self.isControl) { fail(field, "must be plain text (no control characters)") }
    }

    /// Unicode's control characters (general category Cc: by its stability policy, for ever these 65) but
    /// tab, line feed and carriage return.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)) && scalar != "\n" && scalar != "\t" && scalar != "\r"
    }

    public func throwIfFailed() throws(ValidationFailure) {
        if !errors.isEmpty { throw ValidationFailure(errors) }
    }
}

extension String {
    /// The string without leading and trailing white space and newlines.
    public var trimmingWhitespace: String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}

extension ValidationFailure: CustomStringConvertible {
    public var description: String {
        errors.map { "\($0.field): \($0.message)" }.joined(separator: "; ")
    }
}
