package present

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/followuphq/followup/cadence"
)

// QueueRow is one lead of `followup queue --json`.
type QueueRow struct {
	ID          cadence.LeadID `json:"id"`
	Name        string         `json:"name"`
	Company     string         `json:"company"`
	Owner       string         `json:"owner"`
	Tier        cadence.Tier   `json:"tier"`
	ReceivedAt  Time           `json:"received_at"`
	NextDue     Time           `json:"next_due"`
	SLADue      Time           `json:"sla_due"`
	SLABreached bool           `json:"sla_breached"`
	Touches     int            `json:"touches"`
	NextAction  NextAction     `json:"next_action"`
	CallableNow bool           `json:"callable_now"`
	NotCallable string         `json:"not_callable_why,omitempty"`
	CallableAt  Time           `json:"callable_at,omitzero"`
	Why         string         `json:"why"`
}

// NextAction is the next step of a queue row.
type NextAction struct {
	Channel  cadence.Channel `json:"channel"`
	Step     int             `json:"step"`
	Of       int             `json:"of"`
	Nurture  bool            `json:"nurture"`
	Label    string          `json:"label"`
	Switched string          `json:"switched,omitempty"`
}

// Row computes a lead's queue row as of now.
func Row(p *cadence.Policy, l *cadence.Lead, now time.Time) QueueRow {
	loc := p.Calendar.Location
	a := p.NextAction(l, now)
	sla := p.SLAOf(l, now)
	call := p.CanContact(l, cadence.Call, now)
	r := QueueRow{
		ID: l.ID, Name: l.Name, Company: l.Company, Owner: l.Owner,
		Tier:        cadence.TierOf(l, now),
		ReceivedAt:  At(l.ReceivedAt, loc),
		NextDue:     At(a.Due, loc),
		SLADue:      At(sla.Due, loc),
		SLABreached: sla.Breached,
		Touches:     l.Touches,
		NextAction: NextAction{Channel: a.Channel, Step: a.Step, Of: a.Of, Nurture: a.Nurture,
			Label: a.Label, Switched: a.Switched},
		CallableNow: call.Allowed,
		Why:         p.Explain(l, now),
	}
	if !call.Allowed {
		r.NotCallable = call.Why
		r.CallableAt = At(call.Next, loc)
	}
	return r
}

// WriteQueueText prints rows as an aligned table for people.
func WriteQueueText(w io.Writer, rows []QueueRow) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "#\tID\tTIER\tNAME\tCOMPANY\tNEXT\tWHY")
	for i, r := range rows {
		next := r.NextAction.Channel.String()
		if !r.CallableNow && r.NextAction.Channel == cadence.Call {
			next += "!"
		}
		fmt.Fprintf(tw, "%d\t%d\t%s\t%s\t%s\t%s\t%s\n", i+1, r.ID, r.Tier, clip(r.Name, 24), clip(r.Company, 20), next, r.Why)
	}
	return tw.Flush()
}

// clip shortens s to n runes with an ellipsis.
func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return strings.TrimSpace(string(r[:n-1])) + "…"
	}
	return s
}
