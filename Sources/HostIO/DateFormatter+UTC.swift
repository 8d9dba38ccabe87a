public import Foundation

extension DateFormatter {
    /// A formatter for fixed-format UTC text (`yyyy-MM-dd`, dump stamps), whatever the host's
    /// locale and time zone: POSIX locale, UTC.
    public static func utc(_ format: String) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = format
        return formatter
    }
}
