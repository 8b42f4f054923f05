import Testing
@testable import BackstageCore

@Suite("Slash command rules")
struct CommandRulesTests {
    func errors(_ change: (inout SlashCommand) -> Void) -> [FieldError] {
        var command = SlashCommand(trigger: "weather", url: "https://api.example.com/weather")
        change(&command)
        return command.normalizedForSave().validationErrors()
    }

    @Test func theFormNormalisesTheTrigger() {
        let command = SlashCommand(trigger: "  /Weather ", url: " https://a.example.com/x ").normalizedForSave()
        #expect(command.trigger == "weather")
        #expect(command.url == "https://a.example.com/x")
        #expect(SlashCommand(trigger: "//x", url: "").normalizedForSave().trigger == "/x") // only one slash
    }

    @Test func triggerRulesUseTheFormsMessages() {
        #expect(errors { $0.trigger = " " } == [FieldError("trigger", "A trigger word is required")])
        #expect(errors { $0.trigger = "//x" } == [FieldError("trigger", "A trigger word cannot begin with a /")])
        #expect(errors { $0.trigger = "two words" } == [FieldError("trigger", "A trigger word must not contain spaces")])
        #expect(errors { $0.trigger = "tab\there" }.map(\.field) == ["trigger"])
        #expect(errors { $0.trigger = String(repeating: "a", count: 128) }.isEmpty)
        #expect(errors { $0.trigger = String(repeating: "a", count: 129) } == [FieldError("trigger", "A trigger word must contain between 1 and 128 characters")])
        #expect(errors { $0.trigger = String(repeating: "é", count: 65) }.map(\.field) == ["trigger"]) // 130 bytes, as the server counts
    }

    @Test func builtInTriggersAreTaken() {
        for builtIn in ["echo", "/ECHO", "join", "away"] {
            let found = errors { $0.trigger = builtIn }
            #expect(found.map(\.field) == ["trigger"], "\(builtIn)")
            #expect(found.first?.message.hasPrefix(SlashCommand.triggerInUseMessage) == true)
        }
    }

    @Test func requestURLRules() {
        #expect(errors { $0.url = "" } == [FieldError("url", "A request URL is required")])
        #expect(errors { $0.url = "ftp://x/y" } == [FieldError("url", "Invalid URL. Must be a valid URL and start with http:// or https://.")])
        #expect(errors { $0.url = "https://" }.first?.message.hasPrefix("Invalid URL. Must be a valid URL") == true)
        let long = "https://a.example.com/" + String(repeating: "p", count: 1003)
        #expect(errors { $0.url = long }.first?.message.hasPrefix("Invalid URL. Use at most 1024 characters") == true)
        #expect(errors { $0.url = String(long.dropLast()) }.isEmpty)
    }

    @Test func lengthLimitsOfTheOtherFields() {
        #expect(errors { $0.displayName = String(repeating: "t", count: 64) }.isEmpty)
        #expect(errors { $0.displayName = String(repeating: "t", count: 65) }.first?.message.hasPrefix("Invalid title.") == true)
        #expect(errors { $0.description = String(repeating: "d", count: 129) }.first?.message.hasPrefix("Invalid description.") == true)
        #expect(errors { $0.username = String(repeating: "u", count: 65) }.map(\.field) == ["username"])
        #expect(errors { $0.iconURL = String(repeating: "i", count: 1025) }.map(\.field) == ["icon_url"])
        #expect(errors { $0.autoComplete = true; $0.autoCompleteHint = String(repeating: "h", count: 1025) }.map(\.field) == ["auto_complete_hint"])
        #expect(errors { $0.autoComplete = true; $0.autoCompleteDesc = String(repeating: "h", count: 129) }.map(\.field) == ["auto_complete_desc"])
    }

    @Test func autocompleteTextIsKeptOnlyWhenAutocompleteIsOn() {
        var command = SlashCommand(trigger: "w", autoCompleteDesc: "d", autoCompleteHint: "[city]", url: "https://a/x")
        #expect(command.normalizedForSave().autoCompleteHint == "")
        command.autoComplete = true
        #expect(command.normalizedForSave().autoCompleteHint == "[city]")
        #expect(command.normalizedForSave().autoCompleteDesc == "d")
    }
}
