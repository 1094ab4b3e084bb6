package ui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/followuphq/followup/cadence"
)

// queuePane is a rep's queue as a windowed list: it holds every lead's
// place (keys, a few bytes each) but only the leads on and near the screen.
type queuePane struct {
	all    []cadence.QueueKey // every open lead, in queue order
	keys   []cadence.QueueKey // the ones shown: all, or those the filter and search let through
	tier   *cadence.Tier      // show one tier only, or nil
	query  string             // the search shown, or ""
	match  map[cadence.LeadID]bool
	cache  map[cadence.LeadID]cadence.Lead
	sla    map[cadence.LeadID]time.Time // SLA due times: fixed by receipt, costly to compute
	drawn  *rowMemo                     // rows as last drawn this minute
	cursor int
	offset int
	rows   int // visible rows
}

func newQueuePane(keys []cadence.QueueKey, leads []cadence.Lead) queuePane {
	q := queuePane{all: keys, keys: keys, cache: make(map[cadence.LeadID]cadence.Lead, len(leads)), sla: map[cadence.LeadID]time.Time{},
		drawn: &rowMemo{rows: map[rowKey]string{}}}
	q.remember(leads)
	return q
}

func (q *queuePane) remember(leads []cadence.Lead) {
	for _, l := range leads {
		q.cache[l.ID] = l
		q.drawn.forget(l.ID)
	}
	// Keep the cache near the window: a long session scrolling through
	// 200,000 leads must not hold them all.
	if len(q.cache) > 8*max(q.rows, 20) {
		keep := make(map[cadence.LeadID]bool)
		for _, id := range q.window(q.offset-2*q.rows, q.offset+3*q.rows) {
			keep[id] = true
		}
		for id := range q.cache {
			if !keep[id] {
				delete(q.cache, id)
				delete(q.sla, id)
			}
		}
	}
}

// slaDue is p.SLADue(l), remembered per lead (receipt never changes).
func (q *queuePane) slaDue(p *cadence.Policy, l *cadence.Lead) time.Time {
	due, ok := q.sla[l.ID]
	if !ok {
		due = p.SLADue(l)
		q.sla[l.ID] = due
	}
	return due
}

// window returns the ids of the keys in [from, to), clamped.
func (q *queuePane) window(from, to int) []cadence.LeadID {
	from, to = max(from, 0), min(to, len(q.keys))
	ids := make([]cadence.LeadID, 0, max(to-from, 0))
	for i := from; i < to; i++ {
		ids = append(ids, q.keys[i].ID)
	}
	return ids
}

// missing returns the ids on screen whose leads are not loaded yet.
func (q *queuePane) missing() []cadence.LeadID {
	var ids []cadence.LeadID
	for _, id := range q.window(q.offset, q.offset+q.rows) {
		if _, ok := q.cache[id]; !ok {
			ids = append(ids, id)
		}
	}
	return ids
}

func (q *queuePane) selected() (cadence.Lead, bool) {
	if q.cursor < 0 || q.cursor >= len(q.keys) {
		return cadence.Lead{}, false
	}
	l, ok := q.cache[q.keys[q.cursor].ID]
	return l, ok
}

// moveToLead puts the cursor on the lead's row, if it is shown.
func (q *queuePane) moveToLead(id cadence.LeadID) {
	if i := slices.IndexFunc(q.keys, func(k cadence.QueueKey) bool { return k.ID == id }); i >= 0 {
		q.moveTo(i)
	}
}

// moveTo puts the cursor on row i, scrolling as little as needed.
func (q *queuePane) moveTo(i int) {
	q.cursor = max(0, min(i, len(q.keys)-1))
	if q.cursor < q.offset {
		q.offset = q.cursor
	}
	if q.rows > 0 && q.cursor >= q.offset+q.rows {
		q.offset = q.cursor - q.rows + 1
	}
	q.offset = max(0, min(q.offset, len(q.keys)-q.rows))
}

// update moves a lead to its new place after a write: its row leaves and,
// if the lead is still open, comes back where it now sorts. Two binary
// searches and a copy; the queue is never re-sorted.
func (q *queuePane) update(l cadence.Lead, now time.Time) {
	q.drawn.forget(l.ID)
	q.remove(l.ID, cadence.KeyOf(&l))
	if l.IsOpen() {
		k := cadence.KeyOf(&l)
		i, _ := slices.BinarySearchFunc(q.all, k, cadence.QueueKey.Compare)
		q.all = slices.Insert(q.all, i, k)
		q.cache[l.ID] = l
	} else {
		delete(q.cache, l.ID)
	}
	q.refilter(now)
}

// drop takes a lead out of the queue.
func (q *queuePane) drop(id cadence.LeadID, now time.Time) {
	q.drawn.forget(id)
	q.remove(id, cadence.QueueKey{})
	delete(q.cache, id)
	q.refilter(now)
}

// remove deletes the lead's row from all: found by the key it had when
// last read (a binary search), or, when that is stale (the lead changed
// since), by its id. A lead is never in the queue twice.
func (q *queuePane) remove(id cadence.LeadID, hint cadence.QueueKey) {
	if l, ok := q.cache[id]; ok {
		hint = cadence.KeyOf(&l)
	}
	if i, found := slices.BinarySearchFunc(q.all, hint, cadence.QueueKey.Compare); found && q.all[i].ID == id {
		q.all = slices.Delete(q.all, i, i+1)
		return
	}
	if i := slices.IndexFunc(q.all, func(k cadence.QueueKey) bool { return k.ID == id }); i >= 0 {
		q.all = slices.Delete(q.all, i, i+1)
	}
}

// refilter recomputes the shown keys from all. A tier is a contiguous run
// of the order (untouched, then touched by due time, due before now), so
// it is found by binary search; a search keeps its matches in order.
func (q *queuePane) refilter(now time.Time) {
	keys := q.all
	if q.tier != nil {
		firstTouched, _ := slices.BinarySearchFunc(keys, cadence.QueueKey{Touched: true}, cadence.QueueKey.Compare)
		firstLater, _ := slices.BinarySearchFunc(keys, cadence.QueueKey{Touched: true, At: now, ID: ^cadence.LeadID(0)}, cadence.QueueKey.Compare)
		switch *q.tier {
		case cadence.TierUntouched:
			keys = keys[:firstTouched]
		case cadence.TierDue:
			keys = keys[firstTouched:firstLater]
		default:
			keys = keys[firstLater:]
		}
	}
	if q.match != nil {
		found := make([]cadence.QueueKey, 0, len(q.match))
		for _, k := range keys {
			if q.match[k.ID] {
				found = append(found, k)
			}
		}
		keys = found
	}
	q.keys = keys
	q.moveTo(q.cursor)
}

// title is the pane's first line: how many leads, and what is filtered.
func (q *queuePane) title() string {
	if q.tier == nil && q.match == nil {
		return fmt.Sprintf("Queue · %d open", len(q.all))
	}
	t := fmt.Sprintf("Queue · %d of %d", len(q.keys), len(q.all))
	if q.tier != nil {
		t += " · " + q.tier.String()
	}
	if q.match != nil {
		t += fmt.Sprintf(" · %q", q.query)
	}
	return t + " (esc shows all)"
}

// view renders the visible rows, width columns wide.
func (q *queuePane) view(st *Styles, p *cadence.Policy, now time.Time, width int) string {
	var b strings.Builder
	b.WriteString(st.Header.Render(fit(q.title(), width)))
	for i := q.offset; i < q.offset+q.rows; i++ {
		b.WriteByte('\n')
		if i >= len(q.keys) {
			continue
		}
		l, ok := q.cache[q.keys[i].ID]
		if !ok {
			b.WriteString(st.Dim.Render(fit("  …", width)))
			continue
		}
		b.WriteString(q.drawn.row(l.ID, now, width, i == q.cursor, func() string {
			return q.row(st, p, &l, now, width, i == q.cursor)
		}))
	}
	return b.String()
}

// rowMemo keeps what was drawn of each lead this minute (its rows, its
// detail): nothing on screen is finer than minutes, and the screen is
// drawn every second (in every session), so most frames draw nothing
// anew. A lead's drawings are forgotten when it changes.
type rowMemo struct {
	minute int64
	rows   map[rowKey]string
}

type rowKey struct {
	id       cadence.LeadID
	width    int
	height   int  // detail only
	selected bool // rows only
	detail   bool
	touches  int // detail only: how many touches were loaded (+1), 0 while loading
}

// row returns the memoised row, drawing it with draw when there is none.
func (r *rowMemo) row(id cadence.LeadID, now time.Time, width int, selected bool, draw func() string) string {
	return r.get(rowKey{id: id, width: width, selected: selected}, now, draw)
}

func (r *rowMemo) get(k rowKey, now time.Time, draw func() string) string {
	if m := now.Unix() / 60; m != r.minute || len(r.rows) > 4096 {
		clear(r.rows)
		r.minute = m
	}
	if s, ok := r.rows[k]; ok {
		return s
	}
	s := draw()
	r.rows[k] = s
	return s
}

// forget drops a lead's rows (it changed).
func (r *rowMemo) forget(id cadence.LeadID) {
	for k := range r.rows {
		if k.id == id {
			delete(r.rows, k)
		}
	}
}

// row renders one lead: tier mark, name, company, SLA or due time, next
// action, and a mark when it cannot be called now.
func (q *queuePane) row(st *Styles, p *cadence.Policy, l *cadence.Lead, now time.Time, width int, selected bool) string {
	tier := cadence.TierOf(l, now)
	a := p.PlannedAction(l, now)
	var mark, when string
	var whenStyle lipgloss.Style
	var styleName string
	switch tier {
	case cadence.TierUntouched:
		mark, whenStyle, styleName = "●", st.Untouched, "untouched"
		if due := q.slaDue(p, l); now.After(due) {
			when, whenStyle, styleName = "SLA -"+cadence.HumanDuration(now.Sub(due)), st.Breached, "breached"
		} else {
			when = "SLA " + cadence.HumanDuration(due.Sub(now))
		}
	case cadence.TierDue:
		mark, whenStyle, styleName = "!", st.Due, "due"
		when = cadence.HumanDuration(now.Sub(l.NextDue)) + " ago"
	default:
		mark, whenStyle, styleName = "·", st.Scheduled, "scheduled"
		when = "in " + cadence.HumanDuration(l.NextDue.Sub(now))
	}
	// ⊘: the step is a call (or text) and the lead cannot be called now.
	callMark := " "
	if step, _ := p.Plan.StepAt(l.Step); step.Channel.NeedsPhone() && !p.Allowed(l, cadence.Call, now) {
		callMark = "⊘"
	}
	action := a.Channel.String()
	if a.Nurture {
		action += " (nurture)"
	} else {
		action += fmt.Sprintf(" %d/%d", a.Step, a.Of)
	}
	cursor := " "
	if selected {
		cursor = "▸" // visible without colour too
	}
	// Columns: cursor, mark, call mark, name, company, when (10), action
	// (14). A narrow pane drops the company before it squeezes the name.
	const fixed = 2 + 2 + 2 + 1 + 10 + 1 + 14
	nameW := width - fixed
	var text string
	if nameW < 30 {
		text = fmt.Sprintf("%s %-*s %10s %-14s", callMark, max(nameW, 8), clip(l.Name, max(nameW, 8)), when, clip(action, 14))
	} else {
		nameW = nameW * 3 / 5
		companyW := width - fixed - nameW - 1
		text = fmt.Sprintf("%s %-*s %-*s %10s %-14s", callMark, nameW, clip(l.Name, nameW),
			companyW, clip(l.Company, companyW), when, clip(action, 14))
	}
	text = fit(text, width-4)
	if selected {
		return st.Selected.Render(cursor + " " + mark + " " + text)
	}
	// Colour the tier mark; the rest stays plain for legibility.
	return cursor + " " + st.render(styleName, whenStyle, mark) + " " + text
}

// clip shortens s to n cells with an ellipsis.
func clip(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if cells(s) <= n {
		return s
	}
	return ansi.Truncate(s, n, "…")
}

// fit pads or clips s to exactly n cells.
func fit(s string, n int) string {
	if w := cells(s); w < n {
		return s + strings.Repeat(" ", n-w)
	}
	return clip(s, n)
}
