package main

import (
	"net/http"
	"strings"

	"golang.org/x/mod/module"
)

// moduleProxy speaks the GOPROXY protocol for the fixture modules, and optionally mirrors the checksum database.
type moduleProxy struct {
	catalog   *catalog
	serves    func(modPath string) bool
	tampered  map[string][]byte // module@version → zip served instead of the real one
	sumdbName string
	sumdb     http.Handler // nil when this proxy does not mirror the checksum database
}

func (p *moduleProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		textError(w, http.StatusMethodNotAllowed, "method not allowed")
		return
	}
	rest := strings.TrimPrefix(r.URL.Path, "/")
	if dbPath, ok := strings.CutPrefix(rest, "sumdb/"); ok {
		p.serveSumDB(w, r, dbPath)
		return
	}
	if escPath, ok := strings.CutSuffix(rest, "/@latest"); ok {
		modPath, ok := p.module(w, escPath)
		if ok {
			send(w, "application/json", p.catalog.latest(modPath).Info)
		}
		return
	}
	escPath, file, ok := strings.Cut(rest, "/@v/")
	if !ok {
		textError(w, http.StatusNotFound, "not found: not a module proxy path")
		return
	}
	modPath, ok := p.module(w, escPath)
	if !ok {
		return
	}
	if file == "list" {
		send(w, "text/plain; charset=utf-8", []byte(p.catalog.list(modPath)))
		return
	}
	p.serveVersionFile(w, modPath, file)
}

// module resolves an escaped module path this proxy serves, or answers 404 and returns false.
func (p *moduleProxy) module(w http.ResponseWriter, escPath string) (string, bool) {
	modPath, err := module.UnescapePath(escPath)
	if err != nil {
		textError(w, http.StatusNotFound, "not found: "+err.Error())
		return "", false
	}
	if p.catalog.versions(modPath) == nil || !p.serves(modPath) {
		textError(w, http.StatusNotFound, "not found: module "+modPath+": no matching versions")
		return "", false
	}
	return modPath, true
}

func (p *moduleProxy) serveVersionFile(w http.ResponseWriter, modPath, file string) {
	dot := strings.LastIndex(file, ".")
	if dot < 0 {
		textError(w, http.StatusNotFound, "not found: unknown file "+file)
		return
	}
	version, err := module.UnescapeVersion(file[:dot])
	if err != nil {
		textError(w, http.StatusNotFound, "not found: "+err.Error())
		return
	}
	m := p.catalog.find(modPath, version)
	if m == nil {
		textError(w, http.StatusNotFound, "not found: "+modPath+"@"+version+": invalid version: unknown revision "+version)
		return
	}
	switch file[dot:] {
	case ".info":
		send(w, "application/json", m.Info)
	case ".mod":
		send(w, "text/plain; charset=utf-8", m.Mod)
	case ".zip":
		if zip, ok := p.tampered[m.id()]; ok {
			send(w, "application/zip", zip)
			return
		}
		send(w, "application/zip", m.Zip)
	default:
		textError(w, http.StatusNotFound, "not found: unknown file "+file)
	}
}

// serveSumDB answers /sumdb/<name>/supported and passes /sumdb/<name>/… on to the checksum database.
func (p *moduleProxy) serveSumDB(w http.ResponseWriter, r *http.Request, dbPath string) {
	tail, ok := strings.CutPrefix(dbPath, p.sumdbName+"/")
	if p.sumdb == nil || !ok {
		textError(w, http.StatusNotFound, "not found: this proxy does not mirror checksum database "+dbPath)
		return
	}
	if tail == "supported" {
		w.WriteHeader(http.StatusOK)
		return
	}
	inner := r.Clone(r.Context())
	inner.URL.Path = "/" + tail
	inner.URL.RawPath = ""
	p.sumdb.ServeHTTP(w, inner)
}

func send(w http.ResponseWriter, contentType string, body []byte) {
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}
