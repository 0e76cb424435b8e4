import TPGWCore

/// A short, human message for one alert event (or a digest of several), before any channel's wire format.
package struct AlertMessage: Sendable, Equatable {
    package enum Tone: String, Sendable {
        case warning
        case critical
        case resolved
    }

    /// One line per alert: `[Firing] Usage high`.
    package var title: String
    /// Plain sentences; formatters add their own markdown.
    package var lines: [String]
    /// `{publicURL}/#pkg-{key}` (or the status page) when a public URL is configured.
    package var link: String?
    package var tone: Tone

    package init(title: String, lines: [String], link: String?, tone: Tone) {
        self.title = title
        self.lines = lines
        self.link = link
        self.tone = tone
    }

    /// Markdown used by DingTalk, WeCom and Feishu: a bold title, one bullet per line, and a link.
    package func markdown(linkLabel: String) -> String {
        var out = "**\(title)**\n"
        for line in lines { out += "\n- \(line)" }
        if let link { out += "\n\n[\(linkLabel)](\(link))" }
        return out
    }
}
