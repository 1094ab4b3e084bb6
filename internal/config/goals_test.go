package config

import (
	"strings"
	"testing"
	"time"
)

func TestGoalsAndSources(t *testing.T) {
	c, err := Parse("c.toml", []byte("[goals]\nfollow_up_rate = 95\nmedian_response = \"1h\"\nwon_rate = 12.5\n\n[[source]]\nname = \"webinar\"\ncost = 35\n\n[[source]]\nname = \"expo\"\ncost = 120.5\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Goals.FollowUpRate != 95 || c.Goals.MedianResponse.Duration != time.Hour || c.Goals.WonRate != 12.5 || c.Goals.QualifiedRate != 0 {
		t.Errorf("goals = %+v", c.Goals)
	}
	if costs := c.SourceCosts(); costs["webinar"] != 35 || costs["expo"] != 120.5 || len(costs) != 2 {
		t.Errorf("costs = %v", costs)
	}
	d := Default()
	if d.Goals.FollowUpRate != 100 || d.Goals.MedianResponse.Duration != 30*time.Minute || len(d.Sources) != 0 {
		t.Errorf("default goals = %+v, sources %v", d.Goals, d.Sources)
	}
}

func TestGoalsAndSourcesErrors(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"[goals]\nwon_rate = 120\n", "c.toml:2:1: goals.won_rate: 120 is not a percentage"},
		{"[goals]\nmedian_response = \"soon\"\n", `"soon" is not a duration`},
		{"[[source]]\ncost = 3\n", "c.toml:1:1: source 1 has no name"},
		{"[[source]]\nname = \"a\"\n\n[[source]]\nname = \"a\"\n", `c.toml:4:1: source "a" is listed twice`},
		{"[[source]]\nname = \"a\"\ncost = -1\n", `c.toml:1:1: source "a" costs -1`},
	} {
		_, err := Parse("c.toml", []byte(tc.text))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want %q", tc.text, err, tc.want)
		}
	}
}
