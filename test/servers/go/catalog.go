package main

import (
	"sort"
	"strings"

	"golang.org/x/mod/semver"
)

// catalog indexes fixture modules by path, versions in semver order.
type catalog struct {
	byPath map[string][]*fixtureModule
}

func newCatalog(mods []*fixtureModule) *catalog {
	c := &catalog{byPath: map[string][]*fixtureModule{}}
	for _, m := range mods {
		c.byPath[m.Path] = append(c.byPath[m.Path], m)
	}
	for _, list := range c.byPath {
		sortModules(list)
	}
	return c
}

func (c *catalog) paths() []string {
	paths := make([]string, 0, len(c.byPath))
	for p := range c.byPath {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	return paths
}

func (c *catalog) versions(modPath string) []*fixtureModule { return c.byPath[modPath] }

func (c *catalog) find(modPath, version string) *fixtureModule {
	for _, m := range c.byPath[modPath] {
		if m.Version == version {
			return m
		}
	}
	return nil
}

// list is the body of @v/list: one version per line.
func (c *catalog) list(modPath string) string {
	var b strings.Builder
	for _, m := range c.byPath[modPath] {
		b.WriteString(m.Version + "\n")
	}
	return b.String()
}

// latest is the highest release version (or the highest pre-release when there is no release).
func (c *catalog) latest(modPath string) *fixtureModule {
	var best *fixtureModule
	for _, m := range c.byPath[modPath] {
		if best == nil {
			best = m
			continue
		}
		bestPre, mPre := semver.Prerelease(best.Version) != "", semver.Prerelease(m.Version) != ""
		if (bestPre && !mPre) || (bestPre == mPre && semver.Compare(m.Version, best.Version) > 0) {
			best = m
		}
	}
	return best
}
