package demo

import (
	"strings"
	"sync"
)

var firstNames = []string{"Dana", "Fox", "Walter", "Monica", "John", "Jeffrey", "Alex", "Priya", "Wei", "Olu",
	"Sofia", "Mateo", "Aisha", "Kenji", "Lena", "Omar", "Grace", "Ravi", "Chloe", "Diego", "Hana", "Ivan",
	"Julia", "Kwame", "Laura", "Marco", "Nadia", "Oscar", "Paula", "Quinn", "Rosa", "Sam", "Tara", "Umar",
	"Vera", "Will", "Ximena", "Yusuf", "Zoe", "Ben", "Carla", "Deepak", "Elif", "Farah", "Gabe", "Helen"}

var lastNames = []string{"Scully", "Mulder", "Skinner", "Reyes", "Doggett", "Spender", "Krycek", "Patel",
	"Chen", "Adeyemi", "Garcia", "Rossi", "Khan", "Tanaka", "Novak", "Haddad", "Kim", "Iyer", "Martin",
	"Lopez", "Sato", "Petrov", "Weber", "Mensah", "Dubois", "Bianchi", "Ali", "Silva", "Jensen", "Murphy",
	"Cohen", "Okafor", "Nguyen", "Larsen", "Fischer", "Moreau", "Costa", "Yilmaz", "Brown", "Walsh"}

var companyParts = []string{"Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Hooli", "Pied Piper",
	"Vandelay", "Soylent", "Cyberdyne", "Tyrell", "Wonka", "Gringotts", "Oscorp", "Massive Dynamic",
	"Aperture", "Black Mesa", "Monarch", "Dunder Mifflin", "Prestige", "Sterling", "Bluth", "Nakatomi"}

var companySuffixes = []string{"Inc", "LLC", "Corp", "Group", "Labs", "Partners", "Co", "Systems"}

var titles = []string{"Owner", "CEO", "Operations Manager", "Office Manager", "VP Sales", "Head of Marketing",
	"IT Director", "Purchasing Manager", "CFO", "Facilities Lead", "Founder", "General Manager"}

var industries = []string{"Construction", "Dental", "Legal", "Logistics", "Manufacturing", "Real Estate",
	"Retail", "Software", "Hospitality", "Healthcare", "Accounting", "Education"}

var sizes = []string{"1-10", "11-50", "51-200", "201-500", "500+"}

var sources = []string{"webinar", "website form", "trade show", "referral", "linkedin", "ebook download",
	"cold list", "partner"}

var noteTexts = []string{
	"Asked for pricing on the annual plan.",
	"Gatekeeper says she is in meetings until Thursday.",
	"Interested, budget review next quarter.",
	"Uses a competitor; contract ends in March.",
	"Wants a demo for the whole team.",
	"Prefers email; do not call before 10.",
	"Downloaded the ebook twice.",
	"Met at the booth, asked about integrations.",
}

// areaCodes pairs US area codes with the zone they lie in.
var areaCodes = []struct {
	code string
	zone string
}{
	{"212", "America/New_York"}, {"617", "America/New_York"}, {"305", "America/New_York"},
	{"312", "America/Chicago"}, {"214", "America/Chicago"}, {"612", "America/Chicago"},
	{"303", "America/Denver"}, {"602", "America/Phoenix"},
	{"213", "America/Los_Angeles"}, {"415", "America/Los_Angeles"}, {"206", "America/Los_Angeles"},
}

// Reps are the demo team: five reps and a manager.
var Reps = []string{"alice", "bob", "carmen", "dmitri", "emeka"}

// Manager is the demo team's manager.
const Manager = "maria"

// lowered are the name lists as they appear in email addresses: lower
// case, and company names without spaces.
type lowered struct{ first, last, company, suffix []string }

// lowerNames returns the lists lowered once, for every lead's email.
var lowerNames = sync.OnceValue(func() lowered {
	low := func(xs []string) []string {
		out := make([]string, len(xs))
		for i, x := range xs {
			out[i] = strings.ToLower(strings.ReplaceAll(x, " ", ""))
		}
		return out
	}
	return lowered{low(firstNames), low(lastNames), low(companyParts), low(companySuffixes)}
})
