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
	slaDue := p.SLADue(l)
	call := p.CanContact(l, cadence.Call, now)
	r := QueueRow{
		ID: l.ID, Name: l.Name, Company: l.Company, Owner: l.Owner,
		Tier:        cadence.TierOf(l, now),
		ReceivedAt:  At(l.ReceivedAt, loc),
		NextDue:     At(a.Due, loc),
		SLADue:      At(slaDue, loc),
		SLABreached: p.SLABreached(l, now),
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

// WriteQueueText prints rows as an aligned table for people, under a title
// naming whose queue it is. width > 0 (a terminal) clips each line to it.
func WriteQueueText(w io.Writer, owner string, rows []QueueRow, width int) error {
	var buf strings.Builder
	tw := tabwriter.NewWriter(&buf, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tTIER\tNAME\tCOMPANY\tNEXT\tCALL\tWHY")
	for _, r := range rows {
		call, why := "yes", r.Why
		if !r.CallableNow {
			call = "no"
			if r.NotCallable != "" && !strings.Contains(why, r.NotCallable) {
				why += "; no call: " + r.NotCallable // the reason, when the explanation does not give it
			}
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, r.Tier, clip(r.Name, 24), clip(r.Company, 20),
			r.NextAction.Channel, call, why)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "%s's queue, top %d (log an outcome with followup log ID --outcome …)\n", owner, len(rows))
	for _, line := range strings.SplitAfter(buf.String(), "\n") {
		if width > 0 && len([]rune(strings.TrimSuffix(line, "\n"))) > width {
			line = clip(strings.TrimSuffix(line, "\n"), width) + "\n"
		}
		if _, err := io.WriteString(w, line); err != nil {
			return err
		}
	}
	return nil
}

// clip shortens s to n runes with an ellipsis.
func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return strings.TrimSpace(string(r[:n-1])) + "…"
	}
	return s
}
