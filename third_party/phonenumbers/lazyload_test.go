package phonenumbers

import (
	"os"
	"os/exec"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The tests in this file check that the embedded metadata is decoded on first
// use rather than during package initialization (see PATCHES.md). Any earlier
// test in the same process may already have triggered the load, so each check
// re-runs the test binary with only its own body selected, in a fresh process
// where nothing has touched the package yet. Under -race the child process is
// built with the race detector too.

const lazyLoadChildEnv = "PHONENUMBERS_LAZY_LOAD_CHILD"

// runInFreshProcess runs the test named name in a new process and fails t if
// it fails there. It reports whether the caller is that child process, in
// which case the caller should run the actual checks.
func runInFreshProcess(t *testing.T, name string) (isChild bool) {
	t.Helper()
	if os.Getenv(lazyLoadChildEnv) == name {
		return true
	}
	cmd := exec.Command(os.Args[0], "-test.run=^"+name+"$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), lazyLoadChildEnv+"="+name)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s in a fresh process: %v\n%s", name, err, out)
	}
	// A child that selected no test would also exit 0; make sure it ran.
	require.Contains(t, string(out), "--- PASS: "+name)
	return false
}

func metadataLoaded() bool        { return currentMetadata != nil }
func metadataCollLoaded() bool    { return currMetadataColl != nil }
func shortNumbersLoaded() bool    { return len(shortNumberRegionToMetadataMap) != 0 }
func shortNumberCollLoaded() bool { return currShortNumberMetadataColl != nil }

// TestMetadataLoadsOnFirstUse checks that importing the package decodes no
// metadata, that the first parse loads the territory metadata (and only that),
// and that the first short-number call loads the short-number metadata.
func TestMetadataLoadsOnFirstUse(t *testing.T) {
	if !runInFreshProcess(t, "TestMetadataLoadsOnFirstUse") {
		return
	}

	require.False(t, metadataLoaded(), "territory metadata decoded before first use")
	require.False(t, metadataCollLoaded(), "metadata collection decoded before first use")
	require.False(t, shortNumbersLoaded(), "short-number metadata decoded before first use")
	require.False(t, shortNumberCollLoaded(), "short-number collection decoded before first use")

	num, err := Parse("+1 312 555 0100", "US")
	require.NoError(t, err)
	assert.Equal(t, "+13125550100", Format(num, E164))
	assert.True(t, metadataLoaded(), "territory metadata not loaded by Parse")
	assert.True(t, metadataCollLoaded(), "metadata collection not loaded by Parse")
	assert.False(t, shortNumbersLoaded(), "Parse loaded the short-number metadata")

	short, err := Parse("911", "US")
	require.NoError(t, err)
	assert.True(t, IsValidShortNumberForRegion(short, "US"))
	assert.True(t, shortNumbersLoaded(), "short-number metadata not loaded by IsValidShortNumberForRegion")
	assert.True(t, shortNumberCollLoaded(), "short-number collection not loaded by IsValidShortNumberForRegion")
}

// TestExportedCollectionsLoadOnFirstUse checks that the exported collection
// accessors load their data on their own, without any other call first.
func TestExportedCollectionsLoadOnFirstUse(t *testing.T) {
	if !runInFreshProcess(t, "TestExportedCollectionsLoadOnFirstUse") {
		return
	}

	coll, err := MetadataCollection()
	require.NoError(t, err)
	assert.NotEmpty(t, coll.GetMetadata())
	assert.False(t, metadataLoaded(), "MetadataCollection built the lookup container")

	shortColl, err := ShortNumberMetadataCollection()
	require.NoError(t, err)
	assert.NotEmpty(t, shortColl.GetMetadata())
	assert.True(t, shortNumbersLoaded())

	// The container built later uses the same collection.
	assert.True(t, GetSupportedRegions()["US"])
	assert.Same(t, coll, loadedMetadata().metadataCollection)
}

// TestConcurrentFirstUse starts many goroutines that all make their first
// call into the package at once, through different entry points, and checks
// they all see fully loaded metadata. Run it with -race.
func TestConcurrentFirstUse(t *testing.T) {
	if !runInFreshProcess(t, "TestConcurrentFirstUse") {
		return
	}
	require.False(t, metadataLoaded())
	require.False(t, shortNumbersLoaded())

	calls := []func() error{
		func() error {
			num, err := Parse("+44 20 7946 0018", "")
			if err == nil {
				assert.Equal(t, "GB", GetRegionCodeForNumber(num))
			}
			return err
		},
		func() error {
			assert.True(t, GetSupportedRegions()["FR"])
			return nil
		},
		func() error {
			assert.Equal(t, 49, GetCountryCodeForRegion("DE"))
			return nil
		},
		func() error {
			assert.True(t, GetSupportedGlobalNetworkCallingCodes()[800])
			return nil
		},
		func() error {
			num, err := Parse("112", "DE")
			if err == nil {
				assert.True(t, IsPossibleShortNumberForRegion(num, "DE"))
				assert.True(t, IsEmergencyNumber("112", "DE"))
			}
			return err
		},
		func() error {
			coll, err := ShortNumberMetadataCollection()
			if err == nil {
				assert.NotEmpty(t, coll.GetMetadata())
			}
			return err
		},
		func() error {
			coll, err := MetadataCollection()
			if err == nil {
				assert.NotEmpty(t, coll.GetMetadata())
			}
			return err
		},
	}

	const goroutines = 64
	start := make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan error, goroutines)
	for i := range goroutines {
		wg.Add(1)
		go func(call func() error) {
			defer wg.Done()
			<-start
			errs <- call()
		}(calls[i%len(calls)])
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		assert.NoError(t, err)
	}
	assert.True(t, metadataLoaded())
	assert.True(t, shortNumbersLoaded())
}
