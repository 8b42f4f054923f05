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
        let command = SlashCommand(trigger: "  /Weather ", iconURL: " https://i/x.png", url: " https://a.example.com/x ").normalizedForSave()
        #expect(command.iconURL == " https://i/x.png") // the form trims only the trigger and the URL
        #expect(command.trigger == "weather")
        #expect(command.url == "https://a.example.com/x")
        #expect(SlashCommand(trigger: "//x", url: "").normalizedForSave().trigger == "/x") // only one slash
    }

    /// The web form (abstract_command.tsx) checks only for a space; Command.IsValid
    /// (server/public/model/command.go, validCommandTriggerChars; command_test.go TestCommandIsValid)
    /// accepts only `^[A-Za-z0-9_./-]+$` of 1-128 bytes (Go's len).
    @Test func triggerRulesUseTheFormsMessagesThenMattermostsModel() {
        #expect(errors { $0.trigger = " " } == [FieldError("trigger", "A trigger word is required")])
        #expect(errors { $0.trigger = "//x" } == [FieldError("trigger", "A trigger word cannot begin with a /")])
        #expect(errors { $0.trigger = "two words" } == [FieldError("trigger", "A trigger word must not contain spaces")])
        #expect(errors { $0.trigger = String(repeating: "a", count: 128) }.isEmpty)
        #expect(errors { $0.trigger = String(repeating: "a", count: 129) } == [FieldError("trigger", "A trigger word must contain between 1 and 128 characters")])
        #expect(errors { $0.trigger = String(repeating: "é", count: 65) }.map(\.field) == ["trigger"]) // 130 bytes, as the server counts
        #expect(errors { $0.trigger = "a_b-c.d/e" }.isEmpty)
        for bad in ["tab\there", "new\nline", "cr\rx", "nul\u{0}x", "tri?ger", "st*r", "trígger", "emoji😀"] {
            let found = errors { $0.trigger = bad }
            #expect(found.map(\.field) == ["trigger"], "\(bad)")
            #expect(found.first?.message.hasPrefix("Invalid trigger.") == true, "\(bad): \(found)")
        }
        #expect(errors { $0.trigger = "TRIGGER" }.isEmpty) // lower-cased first, as the app does
    }

    /// Every provider in server/channels/app/slashcommands is reserved (app/command.go
    /// validateCommandTriggerUniqueness asks each provider's GetCommand); those that exist only when a
    /// setting is on are a warning here.
    @Test func builtInTriggersAreTakenSettingsGatedOnesWarn() {
        for builtIn in ["echo", "/ECHO", "join", "away", "marketplace", "secure-connection", "share-channel", "mobile-logs", "kick"] {
            let found = errors { $0.trigger = builtIn }
            #expect(found.map(\.field) == ["trigger"], "\(builtIn)")
            #expect(found.first?.message.hasPrefix(SlashCommand.triggerInUseMessage) == true)
        }
        var gated = SlashCommand(trigger: "test", url: "https://api.example.com/t")
        #expect(gated.validationErrors().isEmpty)
        #expect(gated.warnings().first?.message.contains("ServiceSettings.EnableTesting") == true)
        #expect(gated.warnings().first?.message.contains("command_loadtest.go") == true)
        gated.trigger = "exportlink"
        #expect(gated.validationErrors().isEmpty && gated.warnings().map(\.field) == ["trigger"])
        #expect(Set(BuiltInCommands.all.map(\.file)).allSatisfy { $0.hasPrefix("command_") && $0.hasSuffix(".go") })
    }

    /// Command.IsValid: url non-empty and at most 1024 bytes ("Invalid URL."), then IsValidHTTPURL.
    @Test func requestURLRules() {
        #expect(errors { $0.url = "" } == [FieldError("url", "A request URL is required")])
        #expect(errors { $0.url = "ftp://x/y" }.first?.message.hasPrefix("Invalid URL. Must be a valid URL and start with http:// or https://.") == true)
        #expect(errors { $0.url = "https://" }.first?.message.hasPrefix("Invalid URL. Must be a valid URL") == true)
        let long = "https://a.example.com/" + String(repeating: "p", count: 1003)
        #expect(errors { $0.url = long }.first?.message.hasPrefix("Invalid URL. Mattermost allows at most 1024 bytes") == true)
        #expect(errors { $0.url = String(long.dropLast()) }.isEmpty)
        let accented = "https://a.example.com/" + String(repeating: "é", count: 502) // 1026 bytes, 524 characters
        #expect(errors { $0.url = accented }.map(\.field) == ["url"])
        // Accepted by Mattermost (spec D4): a port of any digits, a space in the path; warned.
        for odd in ["https://a.example.com:99999/x", "https://a.example.com/with space"] {
            var command = SlashCommand(trigger: "w", url: odd)
            #expect(command.validationErrors().isEmpty, "\(odd)")
            #expect(command.warnings().map(\.field) == ["url"], "\(odd)")
            command.url += "x"
        }
    }

    /// Command.IsValid counts bytes: display_name at most 64 ("Invalid title."), description at
    /// most 128 ("Invalid description."). The server has no limit on the other fields.
    @Test func byteLimitsOfTitleAndDescriptionAndNoneElsewhere() {
        #expect(errors { $0.displayName = String(repeating: "t", count: 64) }.isEmpty)
        #expect(errors { $0.displayName = String(repeating: "t", count: 65) }.first?.message.hasPrefix("Invalid title.") == true)
        #expect(errors { $0.displayName = String(repeating: "é", count: 33) }.first?.message.hasPrefix("Invalid title.") == true) // 66 bytes
        #expect(errors { $0.displayName = String(repeating: "é", count: 32) }.isEmpty)
        #expect(errors { $0.description = String(repeating: "d", count: 129) }.first?.message.hasPrefix("Invalid description.") == true)
        #expect(errors { $0.username = String(repeating: "u", count: 65) }.isEmpty)
        #expect(errors { $0.iconURL = String(repeating: "i", count: 1025) }.isEmpty)
        #expect(errors { $0.autoComplete = true; $0.autoCompleteHint = String(repeating: "h", count: 1025) }.isEmpty)
        #expect(errors { $0.autoComplete = true; $0.autoCompleteDesc = String(repeating: "h", count: 129) }.isEmpty)
        #expect(SlashCommand(trigger: "w", username: " ", url: "https://a/x").warnings().map(\.field) == ["username"])
    }

    @Test func autocompleteTextIsKeptOnlyWhenAutocompleteIsOn() {
        var command = SlashCommand(trigger: "w", autoCompleteDesc: "d", autoCompleteHint: "[city]", url: "https://a/x")
        #expect(command.normalizedForSave().autoCompleteHint == "")
        command.autoComplete = true
        #expect(command.normalizedForSave().autoCompleteHint == "[city]")
        #expect(command.normalizedForSave().autoCompleteDesc == "d")
    }
}
