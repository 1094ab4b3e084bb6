package contact

// # Why a memo per six-digit prefix is exact
//
// For a North American number (country code 1, ten national digits, the
// first 2–9) the library's IsValidNumber does two things, both read off
// phonenumberutil.go:
//
//   - GetRegionCodeForNumber walks the regions of country code 1 in order
//     and takes the first whose leading-digits expression matches a prefix
//     of the number (regions that have one), or whose number type is not
//     UNKNOWN (regions that have none);
//   - IsValidNumberForRegion asks whether the number type in that region is
//     not UNKNOWN.
//
// A number type (getNumberTypeHelper) is decided by isNumberMatchingDesc on
// the general, premium-rate, toll-free, shared-cost, VoIP, personal, pager,
// UAN, voicemail, fixed-line and mobile descriptions: a possible-length
// check, the same for every ten-digit number, and a full match
// ^(?:PATTERN)$ of the description's pattern. So validity is a function of
// the truth values of a fixed, finite set of expressions on the number: all
// those patterns, and every leading-digits expression L read as
// ^(?:L)[0-9]*$ (on a digit string the same as the library's prefix match
// ^(?:L)). The region found is not needed by callers; the E.164 form is
// "+1" and the ten digits (Format writes the national number after the
// country code).
//
// digitPattern runs each expression as an automaton over digits. After the
// first six digits it can tell, for each expression, whether it matches
// every, no or only some completion by four more digits. When no
// expression is undecided, every number of the prefix gives each expression
// the same truth value, hence the same validity: the library's answer for
// one number of the prefix is its answer for all 10,000. The library still
// decides; the memo only keeps its answer. When some expression is
// undecided, the prefix is remembered as such and the library is asked for
// every number (in the library's current data 3 of the 800,000 prefixes:
// Barbados 246-521 and 246-522 and Jamaica 876-606, where the seventh digit
// tells a fixed line from a mobile or from nothing).
//
// The same answer is shared further: validity is memoised by the vector of
// truth values, so the library is asked once per distinct vector, not once
// per prefix; and the expressions' states after the area code (three
// digits) are kept, dropping those already decided, so that classifying a
// prefix steps a few automata through three digits.
//
// The timezone is GetTimezonesForPrefix of the E.164 form: the value of the
// longest key of its prefix map that starts the number. The keys of the
// library's data for country code 1 have at most seven digits, "1" and six
// national ones (TestTimezoneKeysOfCountryCodeOneStopAtSixNationalDigits
// reads the library's data and checks it), so the zone of a number is the
// zone of its prefix.

import (
	"encoding/binary"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/nyaruka/phonenumbers"
)

// nanpPrefixes is the memo PhoneAndZone consults for North American numbers.
var nanpPrefixes = new(prefixMemo)

// A prefixMemo remembers, per six-digit prefix of a North American national
// number, what the library says of all its numbers: invalid, valid in a
// timezone, or "depends on the last four digits". Lookups are lock-free;
// classifying a new prefix takes a mutex. The zero value is ready to use
// and allocates its table (4 MB) on first use.
type prefixMemo struct {
	once    sync.Once
	entries []atomic.Uint32          // by the prefix as a number, 0–999999
	zones   atomic.Pointer[[]string] // entryValid+i means zone (*zones)[i]

	mu         sync.Mutex // guards what follows
	classifier *prefixClassifier
	zoneIndex  map[string]uint32
	err        error // the classifier could not be built: the library decides every number
}

// Values of prefixMemo.entries.
const (
	entryUnknown    uint32 = iota // not classified yet
	entryAskLibrary               // the answer depends on the last four digits
	entryInvalid                  // no number of the prefix is valid
	entryValid                    // entryValid+i: all valid, in zone i
)

// A prefixVerdict is what the memo knows of one number's prefix.
type prefixVerdict struct {
	known bool   // false: ask the library about this number
	valid bool   // the number is valid (when known)
	zone  string // its timezone (when known and valid), "" when not exactly one
}

// lookup returns what the memo knows of the ten national digits' prefix,
// classifying the prefix first if it is new.
func (m *prefixMemo) lookup(national *[10]byte) prefixVerdict {
	m.once.Do(m.init)
	i := prefixIndex(national)
	e := m.entries[i].Load()
	if e == entryUnknown {
		e = m.classify(national)
	}
	switch e {
	case entryAskLibrary:
		return prefixVerdict{}
	case entryInvalid:
		return prefixVerdict{known: true}
	}
	return prefixVerdict{known: true, valid: true, zone: (*m.zones.Load())[e-entryValid]}
}

// init allocates the table and reads the library's expressions.
func (m *prefixMemo) init() {
	m.entries = make([]atomic.Uint32, 1_000_000)
	m.zones.Store(&[]string{})
	m.zoneIndex = map[string]uint32{}
	m.classifier, m.err = newPrefixClassifier()
}

// prefixIndex is the first six digits as a number.
func prefixIndex(national *[10]byte) int {
	i := 0
	for _, c := range national[:6] {
		i = i*10 + int(c-'0')
	}
	return i
}

// classify works out the entry of the number's prefix and stores it.
func (m *prefixMemo) classify(national *[10]byte) uint32 {
	m.mu.Lock()
	defer m.mu.Unlock()
	i := prefixIndex(national)
	if e := m.entries[i].Load(); e != entryUnknown {
		return e // classified while this goroutine waited
	}
	e := uint32(entryAskLibrary)
	if m.err == nil {
		e = m.entryFor(national)
	}
	m.entries[i].Store(e)
	return e
}

// entryFor asks the classifier about the number's prefix and, when the
// prefix decides it, the library about the number.
func (m *prefixMemo) entryFor(national *[10]byte) uint32 {
	vector, decided := m.classifier.truths(national)
	if !decided {
		return entryAskLibrary
	}
	n := nanpNumber(national)
	if !m.classifier.valid(vector, n) {
		return entryInvalid
	}
	return entryValid + m.internZone(zoneOf(n))
}

// internZone returns the index of zone in the zone table, adding it if it is
// new. The table is copied on write, so readers need no lock. m.mu is held.
func (m *prefixMemo) internZone(zone string) uint32 {
	if i, ok := m.zoneIndex[zone]; ok {
		return i
	}
	zones := append(append([]string(nil), *m.zones.Load()...), zone)
	i := uint32(len(zones) - 1)
	m.zoneIndex[zone] = i
	m.zones.Store(&zones)
	return i
}

// A prefixClassifier decides, for a six-digit prefix, the truth value of
// every expression the library's validity check of a North American number
// reads, when the prefix decides them all.
type prefixClassifier struct {
	patterns []*digitPattern
	areas    [1000]*areaCode // by the first three digits, built on first use
	validity map[string]bool // the library's validity by truth vector
}

// An areaCode keeps the expressions' states after three digits.
type areaCode struct {
	holds  truthVector   // expressions true of every number of the area code
	undone []openPattern // expressions the area code leaves undecided
}

type openPattern struct {
	pattern int     // index in prefixClassifier.patterns
	state   stateID // its state after the area code
}

// newPrefixClassifier gathers the library's expressions for country code 1
// from its metadata.
func newPrefixClassifier() (*prefixClassifier, error) {
	exprs, err := nanpExpressions()
	if err != nil {
		return nil, err
	}
	c := &prefixClassifier{validity: map[string]bool{}}
	for _, expr := range exprs {
		p, err := newDigitPattern(expr)
		if err != nil {
			return nil, fmt.Errorf("reading the North American number patterns: %w", err)
		}
		c.patterns = append(c.patterns, p)
	}
	return c, nil
}

// nanpExpressions returns, without repeats, every expression the library
// matches a North American number against: each region's leading digits as
// a prefix match and each number description's pattern as a full match.
func nanpExpressions() ([]string, error) {
	coll, err := phonenumbers.MetadataCollection()
	if err != nil {
		return nil, fmt.Errorf("loading the phone number metadata: %w", err)
	}
	byRegion := map[string]*phonenumbers.PhoneMetadata{}
	for _, md := range coll.GetMetadata() {
		byRegion[md.GetId()] = md // the last one wins, as in the library
	}
	regions := phonenumbers.GetRegionCodesForCountryCode(1)
	if len(regions) == 0 {
		return nil, fmt.Errorf("no regions for country code 1 in the phone number metadata")
	}
	var exprs []string
	seen := map[string]bool{}
	add := func(expr string) {
		if !seen[expr] {
			seen[expr] = true
			exprs = append(exprs, expr)
		}
	}
	for _, region := range regions {
		md := byRegion[region]
		if md == nil {
			return nil, fmt.Errorf("no phone number metadata for region %s of country code 1", region)
		}
		if lead := md.GetLeadingDigits(); lead != "" {
			add("^(?:" + lead + ")[0-9]*$")
		}
		for _, desc := range numberDescs(md) {
			if desc != nil {
				add("^(?:" + desc.GetNationalNumberPattern() + ")$")
			}
		}
	}
	return exprs, nil
}

// numberDescs are the descriptions getNumberTypeHelper reads.
func numberDescs(md *phonenumbers.PhoneMetadata) []*phonenumbers.PhoneNumberDesc {
	return []*phonenumbers.PhoneNumberDesc{
		md.GetGeneralDesc(), md.GetPremiumRate(), md.GetTollFree(), md.GetSharedCost(),
		md.GetVoip(), md.GetPersonalNumber(), md.GetPager(), md.GetUan(),
		md.GetVoicemail(), md.GetFixedLine(), md.GetMobile(),
	}
}

// truths returns the truth value of every expression on the numbers of the
// prefix of national, or decided false when some expression's value depends
// on the last four digits.
func (c *prefixClassifier) truths(national *[10]byte) (v truthVector, decided bool) {
	area := c.area(national)
	v = area.holds.clone()
	for _, o := range area.undone {
		p := c.patterns[o.pattern]
		switch p.rest(p.run(o.state, national[3:6]), 4) {
		case allMatch:
			v.set(o.pattern)
		case someMatch:
			return nil, false
		}
	}
	return v, true
}

// area returns the expressions' states after the area code of national.
func (c *prefixClassifier) area(national *[10]byte) *areaCode {
	npa := int(national[0]-'0')*100 + int(national[1]-'0')*10 + int(national[2]-'0')
	if a := c.areas[npa]; a != nil {
		return a
	}
	a := &areaCode{holds: newTruthVector(len(c.patterns))}
	for i, p := range c.patterns {
		s := p.run(p.start, national[:3])
		switch p.rest(s, 7) {
		case allMatch:
			a.holds.set(i)
		case someMatch:
			a.undone = append(a.undone, openPattern{pattern: i, state: s})
		}
	}
	c.areas[npa] = a
	return a
}

// valid returns the library's validity for the numbers whose expressions
// have the truth values v, asking the library about n (one of them) the
// first time v is seen.
func (c *prefixClassifier) valid(v truthVector, n *phonenumbers.PhoneNumber) bool {
	key := v.key()
	ok, seen := c.validity[key]
	if !seen {
		ok = phonenumbers.IsValidNumber(n)
		c.validity[key] = ok
	}
	return ok
}

// A truthVector holds one bit per expression.
type truthVector []uint64

func newTruthVector(n int) truthVector { return make(truthVector, (n+63)/64) }

func (v truthVector) set(i int)          { v[i/64] |= 1 << (i % 64) }
func (v truthVector) clone() truthVector { return append(truthVector(nil), v...) }

// key is v as a map key.
func (v truthVector) key() string {
	b := make([]byte, 0, 8*len(v))
	for _, w := range v {
		b = binary.LittleEndian.AppendUint64(b, w)
	}
	return string(b)
}
