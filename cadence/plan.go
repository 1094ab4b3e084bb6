package cadence

import (
	"fmt"
	"strings"
)

// Condition is what a step requires of a lead before it applies.
type Condition uint8

// The conditions a step can require.
const (
	Always Condition = iota
	RequiresSMSOptIn
)

// String returns the condition id used in the config ("" or "sms-opt-in").
func (c Condition) String() string {
	if c == RequiresSMSOptIn {
		return "sms-opt-in"
	}
	return ""
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (c *Condition) UnmarshalText(b []byte) error {
	switch strings.ToLower(strings.TrimSpace(string(b))) {
	case "", "always", "none":
		*c = Always
	case "sms-opt-in", "sms_opt_in":
		*c = RequiresSMSOptIn
	default:
		return fmt.Errorf("%q is not a condition; use \"sms-opt-in\" or leave it out", string(b))
	}
	return nil
}

// MarshalText implements encoding.TextMarshaler.
func (c Condition) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// Step is one planned touch of a cadence: at an offset from the first
// contact, on a channel.
type Step struct {
	At       Offset
	Channel  Channel
	Requires Condition
	Label    string // what to do, e.g. "email with a resource"
}

// Plan is a cadence: its steps in order, then a nurture rhythm that goes on
// until the lead is closed, so no open lead is ever without a next action.
type Plan struct {
	Steps           []Step
	NurtureEvery    Offset
	NurtureChannels []Channel
}

// DefaultPlan is the cadence of PRODUCT.md: about ten touches over three
// weeks, then a touch every 30 business days, alternating email and call.
func DefaultPlan() Plan {
	d := func(n int) Offset { return Offset{N: n, Unit: Days} }
	return Plan{
		Steps: []Step{
			{At: d(0), Channel: Call, Label: "first call"},
			{At: d(1), Channel: Research, Label: "research the company"},
			{At: d(2), Channel: Email, Label: "introduction email"},
			{At: d(5), Channel: Email, Label: "follow-up email"},
			{At: d(7), Channel: Social, Label: "connect on social"},
			{At: d(8), Channel: Call, Label: "second call"},
			{At: d(10), Channel: Email, Label: "email with a resource"},
			{At: d(12), Channel: Email, Label: "check-in email"},
			{At: d(14), Channel: Mail, Label: "letter by mail"},
			{At: d(18), Channel: Call, Label: "third call"},
			{At: d(21), Channel: Email, Label: "final email"},
		},
		NurtureEvery:    Offset{N: 30, Unit: BusinessDays},
		NurtureChannels: []Channel{Email, Call},
	}
}

// Validate checks that the plan can schedule every lead.
func (p Plan) Validate() error {
	if len(p.Steps) == 0 {
		return fmt.Errorf("the cadence has no steps; add at least one [[cadence.step]]")
	}
	for i, s := range p.Steps {
		if s.Channel == NoChannel {
			return fmt.Errorf("cadence step %d has no channel; set channel to one of %s", i+1, joinStrings(Channels))
		}
		if i > 0 && offsetLess(s.At, p.Steps[i-1].At) {
			return fmt.Errorf("cadence step %d (%s) comes before step %d (%s); list steps in order", i+1, s.At, i, p.Steps[i-1].At)
		}
	}
	if p.NurtureEvery.N <= 0 {
		return fmt.Errorf("the nurture interval must be more than zero, e.g. 30bd")
	}
	if len(p.NurtureChannels) == 0 {
		return fmt.Errorf("the nurture cadence has no channels; list at least one, e.g. [\"email\", \"call\"]")
	}
	return nil
}

// offsetLess compares offsets roughly, counting a business day as 1.4
// calendar days; it only catches steps listed out of order.
func offsetLess(a, b Offset) bool { return a.approxMinutes() < b.approxMinutes() }

func (o Offset) approxMinutes() int {
	switch o.Unit {
	case Hours:
		return o.N * 60
	case Days:
		return o.N * 24 * 60
	case BusinessDays:
		return o.N * 24 * 60 * 7 / 5
	default:
		return o.N
	}
}

// StepAt describes the step with the given index: a real step, or a nurture
// touch past the last one.
func (p Plan) StepAt(i int) (step Step, nurture bool) {
	if i < len(p.Steps) {
		return p.Steps[i], false
	}
	n := i - len(p.Steps)
	ch := p.NurtureChannels[n%len(p.NurtureChannels)]
	return Step{At: p.NurtureEvery, Channel: ch, Label: "nurture " + ch.String()}, true
}
