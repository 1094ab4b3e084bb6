package report

// goals marks each set goal met or missed against the tally of all leads,
// comparing exact figures (a 99.96% follow-up rate misses a 100% goal,
// though it prints as 100.0).
func goals(g Goals, t *tally, f *Figures) []Goal {
	out := []Goal{}
	atLeast := func(name string, goal float64, n int, actual *float64) {
		if goal <= 0 {
			return
		}
		out = append(out, judge(Goal{Name: name, Goal: goal, Actual: actual, Unit: "percent"},
			float64(n)*100 >= goal*float64(t.leads)))
	}
	atLeast("follow_up_rate", g.FollowUpRate, t.contacted, f.FollowUpRate)
	if g.MedianResponse > 0 {
		median, _ := t.response.Quantile(0.5)
		out = append(out, judge(Goal{Name: "median_response", Goal: minutes(g.MedianResponse), Actual: f.Response.Median, Unit: "minutes"},
			median <= g.MedianResponse))
	}
	atLeast("qualified_rate", g.QualifiedRate, t.qualified, f.QualifiedRate)
	atLeast("won_rate", g.WonRate, t.won, f.WonRate)
	return out
}

// judge sets the goal's status: no data without an actual figure, else
// met or missed.
func judge(g Goal, met bool) Goal {
	switch {
	case g.Actual == nil:
		g.Status = GoalNoData
	case met:
		g.Status = GoalMet
	default:
		g.Status = GoalMissed
	}
	return g
}
