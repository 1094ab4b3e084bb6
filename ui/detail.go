package ui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/followuphq/followup/cadence"
	"github.com/followuphq/followup/internal/contact"
	"github.com/followuphq/followup/store"
)

// detailView renders a lead: contact data, cadence progress, why it sits
// where it does, what is allowed now, and its timeline newest first.
func detailView(st *Styles, p *cadence.Policy, l *cadence.Lead, touches []cadence.Touch, events []store.Event, loaded bool, now time.Time, width, height int) string {
	loc := p.Calendar.Location
	var lines []string
	add := func(s string) { lines = append(lines, fit(s, width)) }
	// A field's value wraps under itself, ten cells in.
	field := func(label, value string) {
		if value == "" {
			return
		}
		for i, line := range strings.Split(ansi.Wrap(value, max(10, width-10), ""), "\n") {
			if i == 0 {
				add(st.render("label", st.Label, fmt.Sprintf("%-10s", label)) + line)
			} else {
				add(strings.Repeat(" ", 10) + line)
			}
		}
	}
	add(st.Title.Render(clip(l.Name, width)))
	company := l.Company
	if l.Title != "" {
		company = strings.TrimPrefix(l.Title+", "+company, ", ")
	}
	field("", company)
	field("phone", contact.Display(l.Phone)+map[bool]string{true: " (bad)", false: ""}[l.PhoneBad])
	field("email", l.Email)
	zone := l.Timezone
	if zone != "" {
		if lz, err := cadence.LoadLocation(zone); err == nil {
			zone += now.In(lz).Format(" (15:04 there)")
		}
	}
	field("timezone", zone)
	field("source", fmt.Sprintf("%s · %d interaction(s)%s", orDash(l.Source), l.Interactions, map[bool]string{true: " · asked to be contacted"}[l.ContactMe]))
	field("owner", l.Owner)
	add("")
	a := p.NextAction(l, now)
	field("status", statusText(l))
	if l.IsOpen() {
		field("next", fmt.Sprintf("%s — %s", a.StepText(), a.Label))
		field("why", p.Explain(l, now))
		call := p.CanContact(l, cadence.Call, now)
		if call.Allowed {
			field("call now", st.OK.Render("yes"))
		} else {
			why := call.Why
			if !call.Next.IsZero() {
				why += "; from " + call.Next.In(loc).Format("Mon 15:04")
			}
			field("call now", st.Warn.Render("no: "+why))
		}
	}
	add("")
	add(st.Header.Render("Timeline"))
	if !loaded {
		add(st.Dim.Render("loading…"))
	}
	entries := timeline(l, touches, events, loc)
	for _, e := range entries {
		if len(lines) >= height {
			break
		}
		for i, line := range strings.Split(ansi.Wrap(e.text, max(10, width-13), ""), "\n") {
			stamp := strings.Repeat(" ", 12)
			if i == 0 {
				stamp = st.Dim.Render(e.at.In(loc).Format("Jan 02 15:04"))
			}
			add(stamp + " " + line)
		}
	}
	return strings.Join(lines, "\n")
}

type event struct {
	at   time.Time
	text string
}

// timeline lists what happened to the lead, newest first.
func timeline(l *cadence.Lead, touches []cadence.Touch, evs []store.Event, loc *time.Location) []event {
	superseded := map[cadence.TouchID]bool{}
	for _, t := range touches {
		if t.Supersedes != 0 {
			superseded[t.Supersedes] = true
		}
	}
	var events []event
	for _, t := range touches {
		text := fmt.Sprintf("%s · %s · %s", t.Channel, t.Outcome.Label(), t.Rep)
		if !t.Until.IsZero() {
			text += " · until " + t.Until.In(loc).Format("Mon Jan 02 15:04")
		}
		if t.Note != "" {
			text += " — " + t.Note
		}
		if superseded[t.ID] {
			text += " (corrected)"
		}
		events = append(events, event{t.At, text})
	}
	for _, e := range evs {
		events = append(events, event{e.At, e.Text + " (by " + e.By + ")"})
	}
	if !l.AssignedAt.IsZero() && len(evs) == 0 {
		events = append(events, event{l.AssignedAt, "assigned to " + l.Owner})
	}
	events = append(events, event{l.ReceivedAt, "received"})
	slices.SortStableFunc(events, func(a, b event) int { return b.at.Compare(a.at) })
	return events
}

func statusText(l *cadence.Lead) string {
	s := l.Status.String()
	if l.Qualified {
		s += ", qualified"
	}
	if l.LostReason != "" {
		s += ": " + l.LostReason
	}
	return fmt.Sprintf("%s · %d touch(es)", s, l.Touches)
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
