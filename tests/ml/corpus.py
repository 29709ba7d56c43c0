"""A small IT idea box with known themes, written the way staff write ideas."""

from __future__ import annotations

THEMES: dict[str, list[str]] = {
    "vpn": [
        "VPN disconnects every hour when working from home",
        "The VPN drops my connection during video calls",
        "Keep the VPN connected after the laptop wakes from sleep",
        "VPN client keeps disconnecting on hotel wifi",
        "Make the VPN reconnect automatically when it drops",
        "VPN connection is unstable in the afternoon",
        "Stop the VPN from timing out after 60 minutes",
        "Our VPN disconnects whenever I switch networks",
    ],
    "password": [
        "Self-service password reset without calling the service desk",
        "Let us reset our own password from the login page",
        "Password expiry every 30 days is too frequent",
        "Password reset emails arrive too late",
        "Allow password reset with a text message code",
        "Remind people before their password expires",
        "Password rules are confusing, show them on the reset page",
        "A password reset portal for locked accounts",
    ],
    "printer": [
        "The printer on the third floor jams every day",
        "Replace the old printer next to the kitchen",
        "Printer queue gets stuck and nobody can print",
        "Scan to email on the printer does not work",
        "Add a colour printer to the marketing floor",
        "Printer runs out of toner without warning",
        "Print jobs disappear from the printer queue",
        "Let us release print jobs at any printer with our badge",
    ],
    "meeting": [
        "Book meeting rooms from the calendar",
        "Meeting room screens should show who booked the room",
        "Release meeting rooms that nobody shows up for",
        "The big meeting room needs a working video camera",
        "Meeting room booking conflicts with recurring meetings",
        "Show free meeting rooms on a screen in the lobby",
        "Every meeting room should have a conference speaker",
        "Cancel meeting room bookings automatically when the meeting is cancelled",
    ],
    "laptop": [
        "Laptop refresh every three years instead of five",
        "My laptop is too slow for video editing",
        "Give developers laptops with more memory",
        "Laptop battery lasts only two hours",
        "Offer a choice of laptop models at refresh time",
        "Laptops take ten minutes to boot in the morning",
        "Replace laptops with broken keyboards faster",
        "A spare laptop pool for when mine is being repaired",
    ],
    "dark mode": [
        "Dark mode for the intranet",
        "Add a dark theme to the intranet pages",
        "The intranet is too bright at night, please add dark mode",
        "Dark mode option in the intranet settings",
        "Intranet should follow the system dark mode setting",
        "Offer dark mode on the intranet for people with migraines",
        "A dark colour scheme for the intranet portal",
        "Switch the intranet to dark mode after sunset",
    ],
}

TEXTS = [text for texts in THEMES.values() for text in texts]
LABELS = [theme for theme, texts in THEMES.items() for _ in texts]
