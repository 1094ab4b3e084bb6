package main

import (
	"fmt"

	"github.com/followuphq/followup/cadence"
	"github.com/followuphq/followup/internal/present"
)

// nameRecord is one person of `followup names --json`.
type nameRecord struct {
	ID           cadence.LeadID `json:"id"`
	Name         string         `json:"name"`
	Email        string         `json:"email"`
	Phone        string         `json:"phone"`
	Company      string         `json:"company"`
	Source       string         `json:"source"`
	Interactions int            `json:"interactions"`
	EnteredAt    present.Time   `json:"entered_at"`
}

// runNames lists the nurture list: people who reached out fewer times than
// qualify.min_interactions, waiting outside every queue.
func runNames(e *env, args []string) error {
	fs := e.newFlags("names", "names [--json]")
	asJSON := fs.Bool("json", false, "print a JSON array, oldest first")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError("names", "names takes flags only, not %q", pos[0])
	}
	cfg, err := e.config()
	if err != nil {
		return err
	}
	s, err := e.open(readOnly)
	if err != nil {
		return err
	}
	defer s.Close()
	var names []nameRecord
	err = s.ForEachLead(func(l cadence.Lead) error {
		if l.IsName() {
			names = append(names, nameRecord{ID: l.ID, Name: l.Name, Email: l.Email, Phone: l.Phone, Company: l.Company,
				Source: l.Source, Interactions: l.Interactions, EnteredAt: present.At(l.EnteredAt, cfg.Location())})
		}
		return nil
	})
	if err != nil {
		return err
	}
	if *asJSON {
		return present.WriteJSONArray(e.stdout, names)
	}
	if len(names) == 0 {
		fmt.Fprintf(e.stdout, "no names on the nurture list: everyone who reached out is a lead (qualify.min_interactions = %d)\n", cfg.Qualify.MinInteractions)
		return nil
	}
	fmt.Fprintf(e.stdout, "%d names on the nurture list; each becomes a lead after %d interactions, or at once on a \"contact me\"\n",
		len(names), cfg.Qualify.MinInteractions)
	tw := newTable(e.stdout)
	tw.row("ID\tNAME\tCOMPANY\tEMAIL\tPHONE\tINTERACTIONS\tENTERED")
	for _, n := range names {
		tw.row("%d\t%s\t%s\t%s\t%s\t%d\t%s", n.ID, n.Name, n.Company, n.Email, n.Phone, n.Interactions,
			n.EnteredAt.Time.Format("2006-01-02 15:04"))
	}
	return tw.flush()
}
