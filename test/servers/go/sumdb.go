package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"net/http"
	"strings"

	"golang.org/x/mod/module"
	"golang.org/x/mod/sumdb"
	"golang.org/x/mod/sumdb/note"
)

// checksumDB is a checksum database the go command accepts, built on golang.org/x/mod/sumdb's test server.
type checksumDB struct {
	name    string
	vkey    string // verifier key: <name>+<hash>+<key>
	handler http.Handler
}

// newChecksumDB signs with a key generated now. Every public fixture module is added at start, in sorted order,
// so the tree (and so every tile a client caches) is the same in every run; only the signing key changes.
// Lookups of modules under a private prefix answer 410 Gone, as sum.golang.org does for modules it cannot fetch.
func newChecksumDB(name string, cat *catalog, private []string) (*checksumDB, error) {
	skey, vkey, err := note.GenerateKey(rand.Reader, name)
	if err != nil {
		return nil, err
	}
	privatePatterns := strings.Join(private, ",")
	isPrivate := func(modPath string) bool { return module.MatchPrefixPatterns(privatePatterns, modPath) }
	gosum := func(modPath, version string) ([]byte, error) {
		m := cat.find(modPath, version)
		if m == nil || isPrivate(modPath) {
			return nil, fmt.Errorf("%s@%s is not in this checksum database", modPath, version)
		}
		return []byte(strings.Join(m.goSumLines(), "\n") + "\n"), nil
	}
	ops := sumdb.NewTestServer(skey, gosum)
	for _, modPath := range cat.paths() {
		if isPrivate(modPath) {
			continue
		}
		for _, m := range cat.versions(modPath) {
			if _, err := ops.Lookup(context.Background(), module.Version{Path: m.Path, Version: m.Version}); err != nil {
				return nil, err
			}
		}
	}
	server := sumdb.NewServer(ops)
	gate := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if escaped, ok := strings.CutPrefix(r.URL.Path, "/lookup/"); ok {
			if modPath, version, ok := unescapeModuleVersion(escaped); ok {
				if isPrivate(modPath) {
					textError(w, http.StatusGone, "not found: "+modPath+"@"+version+": private module, not in this checksum database")
					return
				}
				if cat.find(modPath, version) == nil {
					textError(w, http.StatusNotFound, "not found: "+modPath+"@"+version+": unknown module version")
					return
				}
			}
		}
		server.ServeHTTP(w, r)
	})
	return &checksumDB{name: name, vkey: vkey, handler: gate}, nil
}

func unescapeModuleVersion(escaped string) (modPath, version string, ok bool) {
	escPath, escVersion, found := strings.Cut(escaped, "@")
	if !found {
		return "", "", false
	}
	modPath, errPath := module.UnescapePath(escPath)
	version, errVersion := module.UnescapeVersion(escVersion)
	return modPath, version, errPath == nil && errVersion == nil
}
