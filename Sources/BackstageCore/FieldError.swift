/// One broken rule, named by the field's JSON name (as Mattermost spells it) and explained in
/// one sentence a person can act on.
public struct FieldError: Error, Sendable, Hashable, CustomStringConvertible {
    public let field: String
    public let message: String

    public init(_ field: String, _ message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}

/// Every broken rule of one object, in the order of the form's fields.
public struct ValidationFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public let errors: [FieldError]

    public init(_ errors: [FieldError]) { self.errors = errors }

    public var description: String {
        guard let first = errors.first else { return "invalid input" }
        let others = errors.dropFirst().map { $0.field }
        if others.isEmpty { return first.description }
        return "\(first) (also: \(others.joined(separator: ", ")))"
    }

    public func message(for field: String) -> String? { errors.first { $0.field == field }?.message }
}

extension String {
    /// Mattermost counts most limits in runes (Unicode scalars).
    var runeCount: Int { unicodeScalars.count }
}

func tooLong(_ prefix: String, limit: Int, actual: Int) -> String {
    "\(prefix) Use at most \(limit) characters (this one has \(actual))."
}
