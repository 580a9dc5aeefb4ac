package main

import (
	"fmt"
	"html"
	"net/http"
	"net/http/cgi"
	"os/exec"
	"strings"
)

// gitServer serves bare repositories over git smart HTTP (git http-backend through CGI) behind Basic auth,
// and answers ?go-get=1 with the go-import meta tag so <host>/private/<name> resolves in GOPROXY=direct mode.
type gitServer struct {
	host    string // module path host: <host>/private/<name>
	baseURL string // where git reaches this server: https://<host>[:<port>]
	auth    *authConfig
	repos   map[string]bool
	backend http.Handler
}

func newGitServer(host, baseURL, projectRoot string, auth *authConfig, repos []gitRepo, env []string) (*gitServer, error) {
	gitPath, err := exec.LookPath("git")
	if err != nil {
		return nil, err
	}
	names := map[string]bool{}
	for _, r := range repos {
		names[r.name] = true
	}
	backend := &cgi.Handler{
		Path: gitPath,
		Args: []string{"http-backend"},
		Env:  append([]string{"GIT_PROJECT_ROOT=" + projectRoot, "GIT_HTTP_EXPORT_ALL=1"}, env...),
	}
	return &gitServer{host: host, baseURL: baseURL, auth: auth, repos: names, backend: backend}, nil
}

func (g *gitServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !authorized(r, g.auth) {
		deny(w, http.StatusUnauthorized)
		return
	}
	rest, ok := strings.CutPrefix(r.URL.Path, "/private/")
	if !ok {
		textError(w, http.StatusNotFound, "not found")
		return
	}
	if r.URL.Query().Get("go-get") == "1" {
		name, _, _ := strings.Cut(rest, "/")
		if !g.repos[name] {
			textError(w, http.StatusNotFound, "not found: no repository "+name)
			return
		}
		g.serveGoImport(w, name)
		return
	}
	name, _, _ := strings.Cut(rest, "/")
	repo, isRepo := strings.CutSuffix(name, ".git")
	if !isRepo || !g.repos[repo] {
		textError(w, http.StatusNotFound, "not found: no repository "+name)
		return
	}
	g.backend.ServeHTTP(w, r)
}

func (g *gitServer) serveGoImport(w http.ResponseWriter, name string) {
	prefix := g.host + "/private/" + name
	content := fmt.Sprintf("%s git %s/private/%s.git", prefix, g.baseURL, name)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, "<!DOCTYPE html>\n<html><head><meta name=\"go-import\" content=\"%s\"></head><body></body></html>\n",
		html.EscapeString(content))
}
