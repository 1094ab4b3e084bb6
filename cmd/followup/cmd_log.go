package main

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/followuphq/followup/cadence"
	"github.com/followuphq/followup/internal/when"
	"github.com/followuphq/followup/store"
)

func runLog(e *env, args []string) error {
	fs := e.newFlags("log", "log LEAD --outcome OUTCOME [--channel C] [--note TEXT] [--until DATE] [--corrects TOUCH]")
	outcome := fs.String("outcome", "", "what happened: one of "+outcomeList())
	channel := fs.String("channel", "", "how: call, email, sms, social, mail, research, meeting (default: the next step's)")
	note := fs.String("note", "", "a note; required for lost (the reason)")
	until := fs.String("until", "", "the date for meeting and not-now, e.g. "+when.Examples)
	corrects := fs.Uint64("corrects", 0, "the `touch` id this entry corrects (the wrong one stays in the log, superseded)")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError("log", "name one lead: log LEAD --outcome OUTCOME")
	}
	id, err := strconv.ParseUint(pos[0], 10, 64)
	if err != nil || id == 0 {
		return usageError("log", "%q is not a lead id; ids are the numbers followup queue shows", pos[0])
	}
	if *outcome == "" {
		return usageError("log", "say what happened with --outcome, one of %s", outcomeList())
	}
	t := cadence.Touch{LeadID: cadence.LeadID(id), Note: *note, Supersedes: cadence.TouchID(*corrects)}
	if t.Outcome, err = cadence.ParseOutcome(*outcome); err != nil {
		return usageError("log", "--outcome: %v", err)
	}
	if *channel != "" {
		if t.Channel, err = cadence.ParseChannel(*channel); err != nil {
			return usageError("log", "--channel: %v", err)
		}
	}
	cfg, now, err := e.configAt()
	if err != nil {
		return err
	}
	t.At = now
	if *until != "" && !t.Outcome.NeedsDate() {
		return usageError("log", "--until is only for meeting and not-now; %s schedules the next step itself", t.Outcome)
	}
	if *until != "" {
		if t.Until, err = when.Future(*until, t.At, cfg.Location()); err != nil {
			return fmt.Errorf("--until: %w", err)
		}
	} else if t.Outcome.NeedsDate() {
		return usageError("log", "%s needs a date: add --until, e.g. --until \"tue 14:00\"", t.Outcome)
	}
	if t.Outcome.NeedsReason() && t.Note == "" {
		return usageError("log", "lost needs the reason the prospect gave: add --note \"...\"")
	}
	s, err := e.open(writeExisting)
	if err != nil {
		return err
	}
	defer s.Close()
	l, err := s.Lead(t.LeadID)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("there is no lead %d; ids are the numbers followup queue shows", t.LeadID)
	} else if err != nil {
		return err
	}
	if l.IsName() {
		return fmt.Errorf("%d is a name on the nurture list (%d of the %d interactions that make a lead); nothing was logged: it joins a queue when it qualifies", l.ID, l.Interactions, cfg.Qualify.MinInteractions)
	}
	if !l.IsOpen() && t.Supersedes == 0 {
		return fmt.Errorf("lead %d is closed (%s) and takes no more touches; nothing was logged (to undo a mistaken close, log the right outcome with --corrects TOUCH)", l.ID, l.Status)
	}
	p := cfg.Policy()
	if t.Channel == cadence.NoChannel {
		t.Channel = p.TouchChannel(&l, t.Outcome, t.At)
	}
	if t.Rep = e.rep(); t.Rep == "" {
		t.Rep = l.Owner
	} else if _, err := s.Rep(t.Rep); err != nil {
		return fmt.Errorf("%s is not on the team; see followup reps list", t.Rep)
	}
	if t.Supersedes == 0 && t.Channel.IsContact() {
		if v := p.CanContact(&l, t.Channel, t.At); !v.Allowed {
			if t.Channel == cadence.SMS && !l.SMSOptIn || l.Status == cadence.StatusDoNotContact {
				return fmt.Errorf("lead %d: %s; nothing was logged", l.ID, v.Why)
			}
			// Only an unanswered attempt can be too pushy; recording what
			// a prospect said never is.
			if t.Outcome == cadence.NoAnswer || t.Outcome == cadence.Voicemail {
				fmt.Fprintf(e.stderr, "followup log: warning: lead %d: %s\n", l.ID, v.Why)
			}
		}
	}
	if t.Rep != l.Owner {
		fmt.Fprintf(e.stderr, "followup log: note: lead %d is %s's; the touch is credited to %s\n", l.ID, l.Owner, t.Rep)
	}
	l, t, err = s.LogTouch(p, t)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "logged %s on lead %d (touch %d) by %s", t.Outcome, l.ID, t.ID, t.Rep)
	if l.IsOpen() {
		a := p.NextAction(&l, t.At)
		fmt.Fprintf(e.stdout, "; next: %s, due %s\n", a.StepText(), l.NextDue.In(cfg.Location()).Format("Mon Jan 2 15:04 MST"))
	} else {
		fmt.Fprintf(e.stdout, "; the lead is closed (%s)\n", l.Status)
	}
	return nil
}

func outcomeList() string {
	s := ""
	for i, o := range cadence.Outcomes {
		if i > 0 {
			s += ", "
		}
		s += o.String()
	}
	return s
}
