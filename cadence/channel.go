package cadence

import (
	"fmt"
	"strings"
)

// Channel is the way a touch reaches (or prepares to reach) a lead.
type Channel uint8

// The channels a touch can use. Research prepares a contact but does not
// reach the prospect, so it never counts as a contact attempt.
const (
	NoChannel Channel = iota
	Call
	Email
	SMS
	Social
	Mail
	Research
	Meeting
)

var channelNames = [...]string{"", "call", "email", "sms", "social", "mail", "research", "meeting"}

// Channels lists every channel, in a stable order, for help texts.
var Channels = []Channel{Call, Email, SMS, Social, Mail, Research, Meeting}

// String returns the channel's id, as the command line and exports spell it.
func (c Channel) String() string {
	if int(c) < len(channelNames) {
		return channelNames[c]
	}
	return fmt.Sprintf("channel(%d)", uint8(c))
}

// ParseChannel reads a channel id such as "call" or "email".
func ParseChannel(s string) (Channel, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	for i, n := range channelNames {
		if i > 0 && n == s {
			return Channel(i), nil
		}
	}
	return NoChannel, fmt.Errorf("%q is not a channel; use one of %s", s, joinStrings(Channels))
}

// MarshalText implements encoding.TextMarshaler.
func (c Channel) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (c *Channel) UnmarshalText(b []byte) error {
	v, err := ParseChannel(string(b))
	if err != nil {
		return err
	}
	*c = v
	return nil
}

// IsContact reports whether a touch on this channel is an attempt to reach
// the prospect (everything but research).
func (c Channel) IsContact() bool { return c != NoChannel && c != Research }

// NeedsPhone reports whether the channel needs a working phone number.
func (c Channel) NeedsPhone() bool { return c == Call || c == SMS }

func joinStrings[T fmt.Stringer](xs []T) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = x.String()
	}
	return strings.Join(parts, ", ")
}
