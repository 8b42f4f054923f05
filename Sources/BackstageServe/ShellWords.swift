/// Splits a command line into words by the POSIX shell's quoting rules, without a shell: no
/// expansion, no globbing, no variables, no redirection. Anything a shell would treat as more
/// than quoting (`$`, backquote, `;`, `|`, `&`, `<`, `>`, `(`, `)` outside single quotes, a
/// `*`/`?`/`[` glob, `~`) is refused, so a command line never means one thing here and another
/// under `sh -c`. Used for SSH `exec` requests and `SSH_ORIGINAL_COMMAND` alike.
public enum ShellWords {
    public struct Refusal: Error, Equatable, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    public static func split(_ line: String) throws -> [String] {
        var words: [String] = []
        var word = ""
        var inWord = false
        var characters = Array(line).makeIterator()
        while let character = characters.next() {
            switch character {
            case " ", "\t", "\n":
                if inWord { words.append(word) }
                word = ""
                inWord = false
            case "'":
                inWord = true
                var closed = false
                while let next = characters.next() {
                    if next == "'" { closed = true; break }
                    word.append(next)
                }
                if !closed { throw Refusal("unterminated single quote") }
            case "\"":
                inWord = true
                var closed = false
                while let next = characters.next() {
                    if next == "\"" { closed = true; break }
                    if next == "\\" {
                        guard let escaped = characters.next() else { break }
                        // Inside double quotes a backslash escapes only these; otherwise it stays.
                        if "$`\"\\\n".contains(escaped) {
                            if escaped != "\n" { word.append(escaped) }
                        } else {
                            word.append("\\")
                            word.append(escaped)
                        }
                        continue
                    }
                    if next == "$" || next == "`" { throw Refusal("\(next) inside double quotes would be expanded by a shell; quote it with single quotes") }
                    word.append(next)
                }
                if !closed { throw Refusal("unterminated double quote") }
            case "\\":
                guard let escaped = characters.next() else { throw Refusal("a backslash at the end of the line") }
                if escaped != "\n" {
                    inWord = true
                    word.append(escaped)
                }
            case "$", "`", ";", "|", "&", "<", ">", "(", ")":
                throw Refusal("\(character) is shell syntax; there is no shell here (quote it if it is meant literally)")
            case "*", "?", "[":
                throw Refusal("\(character) would be a shell wildcard; quote it if it is meant literally")
            case "~" where !inWord:
                throw Refusal("~ would be expanded by a shell; quote it if it is meant literally")
            case "#" where !inWord:
                throw Refusal("# starts a comment in a shell; quote it if it is meant literally")
            default:
                inWord = true
                word.append(character)
            }
        }
        if inWord { words.append(word) }
        return words
    }
}
